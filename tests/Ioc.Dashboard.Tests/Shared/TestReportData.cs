using Ioc.Contract;
using Ioc.Contract.Alerts;
using Ioc.Contract.Model;
using Ioc.Dashboard.Reports;
using Ioc.Storage;
using Ioc.Storage.Operational;
using Microsoft.Extensions.DependencyInjection;

namespace Ioc.Dashboard.Tests.Shared;

/// <summary>
/// A small demo province for the monthly report, in October 2026 (the last full month at the test clock, 24/11/2026),
/// with a few things just outside the month that must not count. Local time is Asia/Ho_Chi_Minh (UTC+7).
/// <list type="bullet">
/// <item>TH-AP-01 (An Sơn, Thanh Hà, wifi-ap): online all month but 2 h on 10/10 08:00–10:00 local.</item>
/// <item>GL-SW-01 (Gia Lộc, switch): online all month.</item>
/// <item>DC-UPS-01 (data center, ups): online all month, no district.</item>
/// <item>Incidents: a critical district-down in Thanh Hà (acknowledged after 4 min, resolved after 2 h) with the AP's
/// offline alert folded under it; a major on GL-SW-01 (acknowledged after 10 min, still open); one alert on 30/09 local.</item>
/// <item>Security events: 3 auth_failure and 1 rogue_ap in October; an auth_failure on 01/11 local and a compressor_fault
/// (not a security event) in October.</item>
/// </list>
/// </summary>
public static class TestReportData
{
    public static readonly ReportMonth October = new(2026, 10);
    public static readonly TimeSpan Local = TimeSpan.FromHours(7);
    public static readonly DateTimeOffset MonthStart = new(2026, 10, 1, 0, 0, 0, Local);
    public static readonly DateTimeOffset MonthEnd = new(2026, 11, 1, 0, 0, 0, Local);
    public static readonly DeviceAddress Ap = new("thanh-ha-an-son", "wifi-ap", "TH-AP-01");
    public static readonly DeviceAddress Switch = new("gia-loc", "switch", "GL-SW-01");
    public static readonly DeviceAddress Ups = new("dc-tinh", "ups", "DC-UPS-01");
    public static readonly TimeSpan MonthLength = MonthEnd - MonthStart;

    /// <summary>The report's services over the context's stores, PDF through the machine's Chromium.</summary>
    public static void AddReports(DashboardTestContext ctx, string? chromium = "/usr/bin/chromium")
    {
        ctx.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new ReportsOptions { ChromiumPath = chromium }));
        // The fleet as production lists it (every stored series), so devices without a change in the month still count.
        ctx.Services.AddSingleton<Ioc.Dashboard.Data.IFleetDirectory, Ioc.Dashboard.Data.SeriesFleetDirectory>();
        ctx.Services.AddSingleton<MonthlyReportService>();
        ctx.Services.AddSingleton<ReportWorkbook>();
        ctx.Services.AddSingleton<ReportDocument>();
        ctx.Services.AddSingleton<ReportPdfPrinter>();
        ctx.Services.AddSingleton<ReportFiles>();
    }

    public static async Task SeedAsync(DashboardTestContext ctx)
    {
        await ctx.RegisterSitesAsync(
            new SiteRecord("thanh-ha", "Thanh Hà", "Thanh Ha", "thanh-ha", SiteKinds.District),
            new SiteRecord("thanh-ha-an-son", "An Sơn", "An Son", "thanh-ha", SiteKinds.Commune),
            new SiteRecord("gia-loc", "Gia Lộc", "Gia Loc", "gia-loc", SiteKinds.District),
            new SiteRecord("dc-tinh", "Trung tâm dữ liệu tỉnh", "Provincial data center", null, SiteKinds.DataCenter));
        var store = ctx.Services.GetRequiredService<ITelemetryStore>();
        var before = MonthStart.AddDays(-1);
        await store.WriteAsync(
        [
            Status(Ap, before, "online"),
            Status(Ap, new DateTimeOffset(2026, 10, 10, 8, 0, 0, Local), "offline"),
            Status(Ap, new DateTimeOffset(2026, 10, 10, 10, 0, 0, Local), "online"),
            Status(Switch, before, "online"),
            Status(Ups, before, "online"),
            Event("auth_failure", new DateTimeOffset(2026, 10, 3, 9, 0, 0, Local)),
            Event("auth_failure", new DateTimeOffset(2026, 10, 3, 9, 0, 1, Local)),
            Event("auth_failure", new DateTimeOffset(2026, 10, 31, 23, 59, 0, Local)),
            Event("rogue_ap", new DateTimeOffset(2026, 10, 15, 14, 0, 0, Local)),
            Event("auth_failure", new DateTimeOffset(2026, 11, 1, 0, 0, 1, Local)),
            Event("compressor_fault", new DateTimeOffset(2026, 10, 20, 1, 0, 0, Local)),
        ],
            CancellationToken.None);

        var cut = new DateTimeOffset(2026, 10, 10, 8, 1, 0, Local);
        var parent = ctx.Alerts.Put(NewAlert("district-down", AlertSeverity.Critical, "Thanh Hà", null, null, null, "thanh-ha", cut) with
        {
            State = AlertState.Resolved,
            AcknowledgedAt = cut.AddMinutes(4),
            ResolvedAt = cut.AddHours(2),
        });
        ctx.Alerts.Put(NewAlert("device-offline", AlertSeverity.Major, "TH-AP-01", Ap.Site, Ap.DeviceType, Ap.DeviceId, "thanh-ha", cut.AddSeconds(-30)) with
        {
            State = AlertState.Resolved,
            ParentId = parent.Id,
            ResolvedAt = cut.AddHours(2),
        });
        var hot = new DateTimeOffset(2026, 10, 20, 13, 0, 0, Local);
        ctx.Alerts.Put(NewAlert("port-errors", AlertSeverity.Major, "GL-SW-01", Switch.Site, Switch.DeviceType, Switch.DeviceId, "gia-loc", hot) with
        {
            State = AlertState.Acknowledged,
            AcknowledgedAt = hot.AddMinutes(10),
        });
        ctx.Alerts.Put(NewAlert("port-errors", AlertSeverity.Minor, "GL-SW-01", Switch.Site, Switch.DeviceType, Switch.DeviceId, "gia-loc", MonthStart.AddMinutes(-1)));
    }

    private static Alert NewAlert(string rule, AlertSeverity severity, string subject, string? site, string? type, string? id, string district, DateTimeOffset at) => new()
    {
        Id = 0,
        RuleId = rule,
        RuleName = rule,
        Kind = "threshold",
        SubjectKey = site is null ? $"district:{district}" : $"device:{site}/{type}/{id}",
        Subject = subject,
        Severity = severity,
        State = AlertState.Firing,
        Site = site,
        District = district,
        DeviceType = type,
        DeviceId = id,
        Summary = $"{subject}: sự cố",
        FiredAt = at,
        LastFiredAt = at,
        UpdatedAt = at,
    };

    /// <summary>A fresh install: the fleet's first reports came this month (November, the context's clock), nothing before.</summary>
    public static async Task SeedCurrentMonthOnlyAsync(DashboardTestContext ctx)
    {
        await ctx.RegisterSitesAsync(
            new SiteRecord("thanh-ha", "Thanh Hà", "Thanh Ha", "thanh-ha", SiteKinds.District),
            new SiteRecord("thanh-ha-an-son", "An Sơn", "An Son", "thanh-ha", SiteKinds.Commune));
        await ctx.Services.GetRequiredService<ITelemetryStore>().WriteAsync(
            [Status(Ap, new DateTimeOffset(2026, 11, 20, 9, 0, 0, Local), "online")],
            CancellationToken.None);
    }

    private static Point Status(DeviceAddress device, DateTimeOffset at, string state) =>
        new(Measurements.Status,
            [new Tag(TagNames.Site, device.Site), new Tag(TagNames.Device, device.DeviceId), new Tag(TagNames.DeviceType, device.DeviceType)],
            [new Field("state", FieldValue.String(state)), new Field("online", FieldValue.Integer(state == "online" ? 1 : 0))],
            MessageDecoder.ToNs(at));

    private static Point Event(string type, DateTimeOffset at) =>
        new(Measurements.Event,
            [new Tag(TagNames.Site, "dc-tinh"), new Tag(TagNames.Device, "DC-FW-01"), new Tag(TagNames.DeviceType, "firewall"), new Tag(TagNames.EventType, type)],
            [new Field("message", FieldValue.String(type))],
            MessageDecoder.ToNs(at));
}
