using System.Globalization;
using System.Text;
using Ioc.Contract;
using Ioc.Contract.Model;

namespace Ioc.Dashboard.Data;

public sealed record Outage(DeviceAddress Device, DateTimeOffset Start, DateTimeOffset? End, TimeSpan Duration);

/// <summary>Availability of one device (or a group) over a window: online time over observed time.</summary>
public sealed record UptimeFigure(string Key, TimeSpan Observed, TimeSpan Online, int OutageCount)
{
    public double? Percent => Observed <= TimeSpan.Zero ? null : 100.0 * Online.Ticks / Observed.Ticks;

    public bool Meets(double target) => Percent is { } p && p >= target;
}

public sealed record UptimeReport(
    DateTimeOffset From,
    DateTimeOffset To,
    UptimeFigure DataCenter,
    IReadOnlyList<UptimeFigure> Services,
    IReadOnlyList<UptimeFigure> Devices,
    IReadOnlyList<Outage> Outages);

/// <summary>
/// Computes availability from status history. Time before a device's first known state in the window is not
/// observed (neither up nor down); an outage is an offline interval, open if the device is still offline.
/// </summary>
public static class UptimeCalculator
{
    public static (UptimeFigure Figure, IReadOnlyList<Outage> Outages) ForDevice(
        DeviceAddress device, DeviceState? initial, IEnumerable<StatusChange> changes, DateTimeOffset from, DateTimeOffset to)
    {
        var online = TimeSpan.Zero;
        var observed = TimeSpan.Zero;
        var outages = new List<Outage>();
        DeviceState? state = initial;
        var since = from;
        DateTimeOffset? downSince = initial == DeviceState.Offline ? from : null;
        foreach (var change in changes.Where(c => c.At >= from && c.At < to).OrderBy(c => c.At))
        {
            Account(change.At);
            if (change.State == state)
            {
                continue;
            }

            if (change.State == DeviceState.Offline)
            {
                downSince = change.At;
            }
            else if (downSince is { } start)
            {
                outages.Add(new Outage(device, start, change.At, change.At - start));
                downSince = null;
            }

            state = change.State;
        }

        Account(to);
        if (downSince is { } openStart)
        {
            outages.Add(new Outage(device, openStart, null, to - openStart));
        }

        return (new UptimeFigure(device.ToString(), observed, online, outages.Count), outages);

        void Account(DateTimeOffset until)
        {
            if (state is not null && until > since)
            {
                observed += until - since;
                if (state == DeviceState.Online)
                {
                    online += until - since;
                }
            }

            since = until;
        }
    }

    public static UptimeFigure Sum(string key, IEnumerable<UptimeFigure> figures)
    {
        var list = figures.ToList();
        return new UptimeFigure(key, new TimeSpan(list.Sum(f => f.Observed.Ticks)), new TimeSpan(list.Sum(f => f.Online.Ticks)), list.Sum(f => f.OutageCount));
    }

    public static UptimeReport Report(
        IReadOnlyDictionary<string, DeviceState> initial,
        IReadOnlyList<StatusChange> changes,
        IEnumerable<DeviceAddress> devices,
        string dataCenterSite,
        DateTimeOffset from,
        DateTimeOffset to)
    {
        var bySite = changes.GroupBy(c => c.Device.ToString(), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var all = devices.Concat(changes.Select(c => c.Device)).DistinctBy(d => d.ToString()).ToList();
        var figures = new List<(DeviceAddress Device, UptimeFigure Figure)>();
        var outages = new List<Outage>();
        foreach (var device in all)
        {
            var key = device.ToString();
            var (figure, deviceOutages) = ForDevice(device, initial.TryGetValue(key, out var s) ? s : null, bySite.GetValueOrDefault(key) ?? [], from, to);
            figures.Add((device, figure));
            outages.AddRange(deviceOutages);
        }

        var dataCenter = Sum(dataCenterSite, figures.Where(f => f.Device.Site == dataCenterSite).Select(f => f.Figure));
        var services = figures.GroupBy(f => f.Device.DeviceType, StringComparer.Ordinal)
            .Select(g => Sum(g.Key, g.Select(f => f.Figure)))
            .OrderBy(f => f.Key, StringComparer.Ordinal)
            .ToList();
        return new UptimeReport(
            from,
            to,
            dataCenter,
            services,
            [.. figures.Select(f => f.Figure).OrderBy(f => f.Percent ?? 101).ThenBy(f => f.Key, StringComparer.Ordinal)],
            [.. outages.OrderByDescending(o => o.Start)]);
    }

    /// <summary>CSV (RFC 4180, invariant numbers, ISO 8601 times in the console's zone) of devices then outages.</summary>
    public static string ToCsv(UptimeReport report, TimeZoneInfo zone)
    {
        var csv = new StringBuilder();
        csv.AppendLine("kind,key,observed_s,online_s,availability_pct,outages,start,end,duration_s");
        foreach (var f in report.Devices)
        {
            csv.Append("device,").Append(Quote(f.Key)).Append(',')
                .Append(((long)f.Observed.TotalSeconds).ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(((long)f.Online.TotalSeconds).ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(f.Percent?.ToString("0.0000", CultureInfo.InvariantCulture) ?? string.Empty).Append(',')
                .Append(f.OutageCount.ToString(CultureInfo.InvariantCulture)).AppendLine(",,,");
        }

        foreach (var o in report.Outages)
        {
            csv.Append("outage,").Append(Quote(o.Device.ToString())).Append(",,,,,")
                .Append(TimeZoneInfo.ConvertTime(o.Start, zone).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture)).Append(',')
                .Append(o.End is { } end ? TimeZoneInfo.ConvertTime(end, zone).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture) : string.Empty).Append(',')
                .AppendLine(((long)o.Duration.TotalSeconds).ToString(CultureInfo.InvariantCulture));
        }

        return csv.ToString();
    }

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
