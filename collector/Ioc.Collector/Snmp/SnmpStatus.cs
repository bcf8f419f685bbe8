using System.Collections.Concurrent;

namespace Ioc.Collector.Snmp;

/// <summary>One polled device on /healthz.</summary>
public sealed record SnmpDeviceStatus(string Device, long Polls, long Failures, int LastReadings, string? LastError);

/// <summary>The SNMP bridge's part of /healthz: polls per device, traps received, kept as events, from unknown sources.</summary>
public sealed record SnmpSnapshot(string? TrapListener, bool TrapReceiverRunning, long Traps, long TrapEvents, long TrapsUnknownSource, IReadOnlyList<SnmpDeviceStatus> Devices);

public sealed class SnmpStatus
{
    private readonly ConcurrentDictionary<string, SnmpDeviceStatus> _devices = new(StringComparer.Ordinal);
    private long _traps;
    private long _trapEvents;
    private long _unknown;

    public string? TrapListener { get; set; }

    public bool TrapReceiverRunning { get; set; }

    public void Polled(string device, int readings, string? error) =>
        _devices.AddOrUpdate(
            device,
            _ => new SnmpDeviceStatus(device, 1, error is null ? 0 : 1, readings, error),
            (_, s) => new SnmpDeviceStatus(device, s.Polls + 1, s.Failures + (error is null ? 0 : 1), readings, error));

    public void Trap(bool known)
    {
        Interlocked.Increment(ref _traps);
        if (known)
        {
            Interlocked.Increment(ref _trapEvents);
        }
        else
        {
            Interlocked.Increment(ref _unknown);
        }
    }

    public SnmpSnapshot Snapshot() => new(
        TrapListener,
        TrapReceiverRunning,
        Interlocked.Read(ref _traps),
        Interlocked.Read(ref _trapEvents),
        Interlocked.Read(ref _unknown),
        _devices.Values.OrderBy(d => d.Device, StringComparer.Ordinal).ToList());
}
