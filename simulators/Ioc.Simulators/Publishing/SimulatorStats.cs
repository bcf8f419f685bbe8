using Ioc.Simulators.Generation;

namespace Ioc.Simulators.Publishing;

/// <summary>A moment's view of a run: messages sent and failed, devices online (by the last status each announced).</summary>
public readonly record struct SimulatorSnapshot(long Sent, long Failed, long Bytes, int DevicesOnline, int Devices, int Connections, DateTimeOffset SimulatedTime);

/// <summary>Counters of a run, updated by the publisher from many threads.</summary>
public sealed class SimulatorStats
{
    private readonly object _gate = new();
    private long _sent;
    private long _failed;
    private long _bytes;
    private bool[] _online = [];
    private int _onlineCount;
    private long _simulatedTicks;

    public int Connections { get; set; }

    public void Reset(int devices)
    {
        lock (_gate)
        {
            _online = new bool[devices];
            _onlineCount = 0;
            Interlocked.Exchange(ref _sent, 0);
            Interlocked.Exchange(ref _failed, 0);
            Interlocked.Exchange(ref _bytes, 0);
        }
    }

    public void RecordSent(SimMessage message)
    {
        Interlocked.Increment(ref _sent);
        Interlocked.Add(ref _bytes, message.Payload.Length);
        if (message.Online is { } online)
        {
            lock (_gate)
            {
                if ((uint)message.DeviceIndex < (uint)_online.Length && _online[message.DeviceIndex] != online)
                {
                    _online[message.DeviceIndex] = online;
                    _onlineCount += online ? 1 : -1;
                }
            }
        }
    }

    public void RecordFailed() => Interlocked.Increment(ref _failed);

    public void RecordSimulatedTime(DateTimeOffset at) => Interlocked.Exchange(ref _simulatedTicks, at.UtcTicks);

    public SimulatorSnapshot Snapshot()
    {
        lock (_gate)
        {
            var ticks = Interlocked.Read(ref _simulatedTicks);
            return new SimulatorSnapshot(
                Interlocked.Read(ref _sent),
                Interlocked.Read(ref _failed),
                Interlocked.Read(ref _bytes),
                _onlineCount,
                _online.Length,
                Connections,
                new DateTimeOffset(ticks, TimeSpan.Zero));
        }
    }
}
