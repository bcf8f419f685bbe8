using Ioc.Simulators.Fleet;

namespace Ioc.Simulators.Devices;

/// <summary>
/// A data-center server publishing what Telegraf's <c>outputs.mqtt</c> (<c>data_format = "influx"</c>) sends: the
/// <c>cpu</c>, <c>mem</c>, <c>disk</c>, <c>net</c>, <c>system</c> and <c>temp</c> measurements in line protocol with
/// nanosecond timestamps and Telegraf's tags (<c>host</c>, plus the global tags <c>rack</c> and <c>row</c>).
/// </summary>
public sealed class ServerModel : DeviceModel
{
    private const long GiB = 1L << 30;
    private readonly DataCenterState _dc;
    private readonly string _rack;
    private readonly string _row;
    private readonly long _memTotal;
    private readonly long _diskTotal;
    private readonly double _diskBaseline;
    private readonly long _bootUnix;
    private double _diskUsed;
    private double _bytesRecv;
    private double _bytesSent;

    public ServerModel(Device device, ulong key, DataCenterState dc)
        : base(device, key)
    {
        _dc = dc;
        _rack = device.Tag("rack") ?? "R00";
        _row = device.Tag("row") ?? "A";
        _memTotal = (long)Trait("mem", 4, 17) * 16 * GiB;
        _diskTotal = (long)Trait("disk", 2, 9) * 240 * GiB;
        _diskBaseline = Trait("disk_used", 28, 72);
        _diskUsed = _diskBaseline;
        _bytesRecv = Trait("recv0", 1e11, 4e13);
        _bytesSent = _bytesRecv * Trait("sentratio", 0.5, 3);
        _bootUnix = 1_740_000_000 + (long)Trait("boot", 0, 8e6);
    }

    public override TimeSpan DefaultInterval => TimeSpan.FromSeconds(10);

    public double DiskUsedPercent => _diskUsed;

    protected override byte[] Produce(in SampleContext context)
    {
        var at = context.At;
        var util = DataCenterState.ServerUtilization(Key, at);
        var cpuBusy = Math.Clamp((util * 100) + (2.5 * Gaussian(1, context.Second)), 0.5, 99.5);
        var user = cpuBusy * 0.72;
        var system = cpuBusy * 0.2;
        var iowait = cpuBusy * 0.08;
        var memUsedPct = Math.Clamp(Trait("mem_base", 35, 65) + (20 * util) + Gaussian(2, context.Minute), 5, 99);
        var memUsed = (long)(_memTotal * memUsedPct / 100);

        var fill = context.Conditions.DiskFillPerMinute;
        _diskUsed = fill > 0
            ? Math.Min(100, _diskUsed + (fill * context.ElapsedSeconds / 60))
            : Approach(_diskUsed, _diskBaseline, context.ElapsedSeconds, 240);
        var diskUsed = (long)(_diskTotal * _diskUsed / 100);

        var rate = (20e6 + (300e6 * util)) * (1 + (0.15 * Gaussian(3, context.Minute)));
        _bytesRecv += Math.Max(0, rate * context.ElapsedSeconds);
        _bytesSent += Math.Max(0, rate * 1.6 * context.ElapsedSeconds);

        var thermal = _dc.Row(_row);
        thermal.Advance(at, context.Conditions.CoolingFailed, _dc.RowUtilization(_row, at));
        var cpuTemp = thermal.Inlet + 22 + (28 * util) + Gaussian(4, context.Second);

        var host = Device.Id;
        var w = context.Writer.BeginLines();
        w.Line("cpu", ("cpu", "cpu-total"), ("host", host), ("rack", _rack), ("row", _row))
            .Field("usage_user", user).Field("usage_system", system).Field("usage_iowait", iowait).Field("usage_idle", 100 - cpuBusy).EndLine(at);
        w.Line("mem", ("host", host), ("rack", _rack), ("row", _row))
            .Field("total", _memTotal).Field("used", memUsed).Field("available", _memTotal - memUsed).Field("used_percent", memUsedPct).EndLine(at);
        w.Line("disk", ("fstype", "ext4"), ("host", host), ("mode", "rw"), ("path", "/"), ("rack", _rack), ("row", _row))
            .Field("total", _diskTotal).Field("used", diskUsed).Field("free", _diskTotal - diskUsed).Field("used_percent", _diskUsed).EndLine(at);
        w.Line("net", ("host", host), ("interface", "eth0"), ("rack", _rack), ("row", _row))
            .Field("bytes_recv", (long)_bytesRecv).Field("bytes_sent", (long)_bytesSent).EndLine(at);
        w.Line("system", ("host", host), ("rack", _rack), ("row", _row))
            .Field("load1", util * 16 * (1 + (0.1 * Gaussian(5, context.Second)))).Field("n_cpus", 16L)
            .Field("uptime", Math.Max(0, at.ToUnixTimeSeconds() - _bootUnix)).EndLine(at);
        w.Line("temp", ("host", host), ("rack", _rack), ("row", _row), ("sensor", "coretemp_package_id_0"))
            .Field("temp", cpuTemp, 1).EndLine(at);
        return w.EndLines();
    }
}
