namespace Ioc.Contract;

/// <summary>
/// A part of a process that can say why the process is degraded though still working (one English line per cause),
/// such as the alert engine running without a stored rule it cannot load. The collector's status adds every registered
/// one to <c>/healthz</c> and its health telemetry.
/// </summary>
public interface IDegradedReasons
{
    IReadOnlyList<string> DegradedReasons();
}
