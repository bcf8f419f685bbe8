using Ioc.Contract;

namespace Ioc.Contract.Model;

/// <summary>A message that passed the contract: the points to store, plus the event or status it carried.</summary>
public sealed record DecodedMessage(
    DeviceAddress Device,
    MessageChannel Channel,
    IReadOnlyList<Point> Points,
    DeviceEvent? Event = null,
    DeviceStatus? Status = null);
