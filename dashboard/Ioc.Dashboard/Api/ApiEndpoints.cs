using System.Globalization;
using System.Text;
using Ioc.Alerting.Service;
using Ioc.Contract;
using Ioc.Contract.Alerts;
using Ioc.Contract.Model;
using Ioc.Dashboard.Data;
using Ioc.Dashboard.Live;
using Ioc.Dashboard.Security;
using Ioc.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace Ioc.Dashboard.Api;

/// <summary>
/// The public REST API, <c>/api/v1/…</c> on the dashboard's host (docs/api.md): devices, telemetry, alerts, silences,
/// events and uptime, over the storage port and the alert engine's queries and commands. Every endpoint needs an API
/// token (<see cref="ApiTokenAuthenticationHandler"/>); reads are open to every role, actions to the roles of the
/// dashboard's own policy for them (<see cref="Policies"/>). Rate limited per token. The alert engine's internal
/// endpoints (<c>/api/v1/engine/…</c>, service token) live on the engine's host and are not part of this API.
/// </summary>
public static class ApiEndpoints
{
    public const string Prefix = "/api/v1";

    /// <summary>The longest window a telemetry or event query may span.</summary>
    public static readonly TimeSpan MaxWindow = TimeSpan.FromDays(31);

    private const int MaxPoints = 10_000;

    public static RouteGroupBuilder MapApiEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(Prefix)
            .RequireAuthorization(ApiPolicies.Read)
            .RequireRateLimiting(ApiRateLimitPolicy.Name)
            .WithGroupName(ApiRegistration.DocumentName)
            .WithMetadata(
                new ProducesResponseTypeMetadata(StatusCodes.Status400BadRequest, typeof(ApiError), ["application/json"]),
                new ProducesResponseTypeMetadata(StatusCodes.Status401Unauthorized, typeof(ApiError), ["application/json"]),
                new ProducesResponseTypeMetadata(StatusCodes.Status403Forbidden, typeof(ApiError), ["application/json"]),
                new ProducesResponseTypeMetadata(StatusCodes.Status429TooManyRequests, typeof(ApiError), ["application/json"]));

        var devices = api.MapGroup("/devices").WithTags("Devices");
        devices.MapGet("", ListDevicesAsync).WithName("ListDevices").WithSummary("Devices of the fleet with their live state");
        devices.MapGet("/{site}/{deviceType}/{deviceId}", GetDeviceAsync).WithName("GetDevice").WithSummary("One device and its latest metrics");
        devices.MapGet("/{site}/{deviceType}/{deviceId}/latest", LatestValuesAsync).WithName("GetLatestValues").WithSummary("The newest stored value of each field of a device");

        var telemetry = api.MapGroup("/telemetry").WithTags("Telemetry");
        telemetry.MapGet("/series", SeriesAsync).WithName("GetSeries").WithSummary("Stored points of one measurement in a window");
        telemetry.MapGet("/aggregate", AggregateAsync).WithName("GetAggregate").WithSummary("A numeric field aggregated into time buckets by the store");

        var alerts = api.MapGroup("/alerts").WithTags("Alerts");
        alerts.MapGet("", ListAlertsAsync).WithName("ListAlerts").WithSummary("Alerts, filtered; open ones unless a state is given");
        alerts.MapGet("/{id:long}", GetAlertAsync).WithName("GetAlert").WithSummary("One alert with children, audit trail, comments and notifications");
        alerts.MapPost("/{id:long}/acknowledge", (long id, AcknowledgeRequest body, HttpContext http, IAlertCommands commands, AuditLog audit) =>
                CommandAsync(http, audit, "acknowledge", id, user => commands.AcknowledgeAsync(id, user, body.Note, CancellationToken.None)))
            .RequireAuthorization(ApiPolicies.OperateAlerts).WithName("AcknowledgeAlert").WithSummary("Acknowledge a firing alert").Produces<Alert>();
        alerts.MapPost("/{id:long}/assign", (long id, AssignRequest body, HttpContext http, IAlertCommands commands, AuditLog audit) =>
                CommandAsync(http, audit, "assign", id, user => commands.AssignAsync(id, body.Assignee, user, CancellationToken.None)))
            .RequireAuthorization(ApiPolicies.OperateAlerts).WithName("AssignAlert").WithSummary("Assign an open alert (empty assignee: unassign)").Produces<Alert>();
        alerts.MapPost("/{id:long}/comments", (long id, CommentRequest body, HttpContext http, IAlertCommands commands, AuditLog audit) =>
                CommandAsync(http, audit, "comment", id, user => commands.CommentAsync(id, user, body.Text, CancellationToken.None)))
            .RequireAuthorization(ApiPolicies.OperateAlerts).WithName("CommentAlert").WithSummary("Add a comment to an alert").Produces<AlertComment>();
        alerts.MapPost("/{id:long}/resolve", (long id, ResolveRequest body, HttpContext http, IAlertCommands commands, AuditLog audit) =>
                CommandAsync(http, audit, "resolve", id, user => commands.ResolveAsync(id, user, body.Note, CancellationToken.None)))
            .RequireAuthorization(ApiPolicies.OperateAlerts).WithName("ResolveAlert").WithSummary("Resolve an alert by hand").Produces<Alert>();

        var silences = api.MapGroup("/silences").WithTags("Silences");
        silences.MapGet("", (bool? includeExpired, IAlertQueries queries, CancellationToken ct) => ListSilencesAsync(includeExpired ?? false, queries, ct))
            .WithName("ListSilences").WithSummary("Silences in force or scheduled (with includeExpired, the last 1,000 of all)");
        silences.MapPost("", (SilenceRequest body, HttpContext http, IAlertCommands commands, AuditLog audit) =>
                CommandAsync(http, audit, "silence", null, user => commands.CreateSilenceAsync(body, user, CancellationToken.None)))
            .RequireAuthorization(ApiPolicies.ManageSilences).WithName("CreateSilence").WithSummary("Create a silence (maintenance window)").Produces<Silence>();
        silences.MapPost("/{id:long}/end", (long id, HttpContext http, IAlertCommands commands, AuditLog audit) =>
                CommandAsync(http, audit, "silence.end", id, user => commands.EndSilenceAsync(id, user, CancellationToken.None)))
            .RequireAuthorization(ApiPolicies.ManageSilences).WithName("EndSilence").WithSummary("End a silence now").Produces<Silence>();

        api.MapGet("/events", EventsAsync).WithTags("Events").WithName("ListEvents").WithSummary("Device events in a window, newest first");

        var uptime = api.MapGroup("/uptime").WithTags("Uptime");
        uptime.MapGet("", UptimeAsync).WithName("GetUptime").WithSummary("Availability per device, site or district");
        uptime.MapGet("/csv", UptimeCsvAsync).RequireAuthorization(ApiPolicies.Export)
            .WithName("GetUptimeCsv").WithSummary("The same figures as CSV").Produces<string>(StatusCodes.Status200OK, "text/csv");

        api.MapGet("/reports/monthly/{month}", Reports.ReportEndpoints.ApiAsync).WithTags("Reports").WithName("GetMonthlyReport")
            .WithSummary("The monthly report of a calendar month (yyyy-MM) as JSON, XLSX or PDF (format), in vi or en (lang)");
        return api;
    }

    private static async Task<IResult> ListDevicesAsync(string? site, string? district, string? deviceType, string? state, FleetView fleet, ISiteDirectory sites, CancellationToken ct)
    {
        var rows = await fleet.RowsAsync(ct);
        var culture = CultureInfo.CurrentUICulture;
        var list = rows
            .Where(r => site is null || r.Device.Address.Site == site)
            .Where(r => district is null || DistrictOf(r, sites) == district)
            .Where(r => deviceType is null || r.Device.Address.DeviceType == deviceType)
            .Where(r => state is null || StateName(r.Live?.State) == state)
            .OrderBy(r => r.Device.Key, StringComparer.Ordinal)
            .Select(r => ToDevice(r.Device.Address, DistrictOf(r, sites), r.Live, sites, culture))
            .ToList();
        return TypedResults.Ok(list);
    }

    private static async Task<IResult> GetDeviceAsync(string site, string deviceType, string deviceId, FleetView fleet, DeviceStateStore live, ISiteDirectory sites, CancellationToken ct)
    {
        var address = new DeviceAddress(site, deviceType, deviceId);
        var row = (await fleet.RowsAsync(ct)).FirstOrDefault(r => r.Device.Address == address);
        var state = row?.Live ?? live.Find(address);
        if (row is null && state is null)
        {
            return NotFound($"no device {address}");
        }

        var district = row is not null ? DistrictOf(row, sites) : sites.DistrictOf(site)?.Slug;
        var device = ToDevice(address, district, state, sites, CultureInfo.CurrentUICulture);
        var metrics = state?.Metrics.ToDictionary(m => m.Key, m => ApiJson.Value(m.Value), StringComparer.Ordinal) ?? [];
        return TypedResults.Ok(new ApiDeviceDetail(device, metrics, state?.Tags ?? new Dictionary<string, string>()));
    }

    private static async Task<IResult> LatestValuesAsync(string site, string deviceType, string deviceId, ITelemetryStore store, DashboardClock clock, CancellationToken ct)
    {
        var to = clock.UtcNow.AddMinutes(1);
        var query = new LatestQuery(deviceType, to - MaxWindow, to)
        {
            Tags = new Dictionary<string, string> { [TagNames.Site] = site, [TagNames.Device] = deviceId },
            Limit = 100,
        };
        var points = await store.LatestAsync(query, ct);
        var values = points.SelectMany(p => p.Fields.Select(f => (f.Key, f.Value, p.Timestamp)))
            .GroupBy(v => v.Key, StringComparer.Ordinal)
            .Select(g => g.MaxBy(v => v.Timestamp))
            .OrderBy(v => v.Key, StringComparer.Ordinal)
            .Select(v => new ApiLatestValue(v.Key, ApiJson.Value(v.Value), v.Timestamp))
            .ToList();
        return values.Count == 0 ? NotFound($"no telemetry stored for {site}/{deviceType}/{deviceId} in the last {MaxWindow.TotalDays:0} days") : TypedResults.Ok(values);
    }

    private static async Task<IResult> SeriesAsync(
        string measurement, DateTimeOffset? from, DateTimeOffset? to, string? site, string? deviceId, int? limit, ITelemetryStore store, DashboardClock clock, CancellationToken ct)
    {
        if (Window(from, to, clock) is not (var start, var end))
        {
            return Invalid($"from must be before to, at most {MaxWindow.TotalDays:0} days apart");
        }

        var query = new PointQuery(measurement, start, end) { Tags = DeviceTags(site, deviceId), Limit = Math.Clamp(limit ?? 1000, 1, MaxPoints) };
        var points = await store.QueryAsync(query, ct);
        return TypedResults.Ok(points.Select(ToPoint).ToList());
    }

    private static async Task<IResult> AggregateAsync(
        string measurement, string field, DateTimeOffset? from, DateTimeOffset? to, string? every, string? functions, string? site, string? deviceId, string? groupBy,
        ITelemetryStore store, DashboardClock clock, CancellationToken ct)
    {
        if (Window(from, to, clock) is not (var start, var end))
        {
            return Invalid($"from must be before to, at most {MaxWindow.TotalDays:0} days apart");
        }

        if (!TryParseDuration(every ?? "5m", out var bucket))
        {
            return Invalid("every is a duration such as 30s, 5m, 1h or 1d");
        }

        var names = (functions ?? "mean").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var parsed = new List<AggregateFunction>();
        foreach (var name in names)
        {
            if (!Enum.TryParse<AggregateFunction>(name, ignoreCase: true, out var function))
            {
                return Invalid($"unknown function '{name}': use {string.Join(", ", Enum.GetNames<AggregateFunction>().Select(n => n.ToLowerInvariant()))}");
            }

            parsed.Add(function);
        }

        var query = new AggregateQuery(measurement, field, start, end, bucket)
        {
            Functions = parsed,
            Tags = DeviceTags(site, deviceId),
            GroupBy = groupBy?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [],
            Limit = MaxPoints,
        };
        var buckets = await store.AggregateAsync(query, ct);
        return TypedResults.Ok(buckets.Select(b => new ApiBucket(
            b.Time,
            parsed.Select((f, i) => (Name: f.ToString().ToLowerInvariant(), Value: b.Values[i])).ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal),
            b.Group)).ToList());
    }

    private static async Task<IResult> ListAlertsAsync(
        string? state, string? severity, string? site, string? district, string? deviceType, string? deviceId, string? rule, string? assignee, bool? topLevelOnly, int? limit,
        IAlertQueries queries, CancellationToken ct)
    {
        AlertState? parsedState = null;
        if (state is not null)
        {
            if (!Enum.TryParse<AlertState>(state, ignoreCase: true, out var s))
            {
                return Invalid($"unknown state '{state}': use firing, acknowledged or resolved");
            }

            parsedState = s;
        }

        AlertSeverity? minSeverity = null;
        if (severity is not null)
        {
            if (!Enum.TryParse<AlertSeverity>(severity, ignoreCase: true, out var s))
            {
                return Invalid($"unknown severity '{severity}': use {string.Join(", ", Enum.GetNames<AlertSeverity>().Select(n => n.ToLowerInvariant()))}");
            }

            minSeverity = s;
        }

        var filter = new AlertFilter
        {
            State = parsedState,
            MinSeverity = minSeverity,
            Site = site,
            District = district,
            DeviceType = deviceType,
            DeviceId = deviceId,
            RuleId = rule,
            Assignee = assignee,
            TopLevelOnly = topLevelOnly ?? false,
            Limit = Math.Clamp(limit ?? 500, 1, 5000),
        };
        var alerts = parsedState is null ? await queries.ListOpenAsync(filter, ct) : await queries.ListAsync(filter, ct);
        return TypedResults.Ok(alerts);
    }

    private static async Task<IResult> GetAlertAsync(long id, IAlertQueries queries, CancellationToken ct) =>
        await queries.GetAsync(id, ct) is { } details ? TypedResults.Ok(details) : NotFound($"alert #{id} does not exist");

    private static async Task<IResult> ListSilencesAsync(bool includeExpired, IAlertQueries queries, CancellationToken ct) =>
        TypedResults.Ok(await queries.ListSilencesAsync(includeExpired, ct));

    private static async Task<IResult> EventsAsync(
        DateTimeOffset? from, DateTimeOffset? to, string? site, string? deviceType, string? deviceId, int? limit, TelemetryHistory history, DashboardClock clock, CancellationToken ct)
    {
        if (Window(from, to, clock) is not (var start, var end))
        {
            return Invalid($"from must be before to, at most {MaxWindow.TotalDays:0} days apart");
        }

        DeviceAddress? device = site is not null && deviceId is not null ? new DeviceAddress(site, deviceType ?? string.Empty, deviceId) : null;
        var events = await history.EventsAsync(device, start, end, Math.Clamp(limit ?? 500, 1, MaxPoints), ct);
        return TypedResults.Ok(events.Where(e => site is null || e.GetTag(TagNames.Site) == site).Select(ToPoint).ToList());
    }

    private static async Task<IResult> UptimeAsync(string? range, DateTimeOffset? from, DateTimeOffset? to, string? by, UptimeService uptime, ISiteDirectory sites, DashboardClock clock, CancellationToken ct)
    {
        if (await UptimeRowsAsync(range, from, to, by, uptime, sites, clock, ct) is not { } result)
        {
            return Invalid("by is device, site or district; from must be before to, at most 31 days apart");
        }

        return TypedResults.Ok(result);
    }

    private static async Task<IResult> UptimeCsvAsync(
        string? range, DateTimeOffset? from, DateTimeOffset? to, string? by, HttpContext http, UptimeService uptime, ISiteDirectory sites, DashboardClock clock, AuditLog audit, CancellationToken ct)
    {
        if (await UptimeRowsAsync(range, from, to, by, uptime, sites, clock, ct) is not { } result)
        {
            return Invalid("by is device, site or district; from must be before to, at most 31 days apart");
        }

        await audit.WriteAsync(http.User.Identity!.Name!, "export", "api/uptime.csv", $"{result.By} {result.From:O}/{result.To:O}", true, ct);
        var csv = new StringBuilder("key,name,observed_s,online_s,availability_pct,outages\n");
        foreach (var row in result.Rows)
        {
            csv.Append(Csv(row.Key)).Append(',').Append(Csv(row.Name ?? string.Empty)).Append(',')
                .Append(row.ObservedSeconds.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(row.OnlineSeconds.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(row.AvailabilityPercent?.ToString("0.0000", CultureInfo.InvariantCulture) ?? string.Empty).Append(',')
                .Append(row.Outages.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return Results.File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", $"uptime-{result.By}-{clock.Now:yyyyMMdd-HHmm}.csv");
    }

    /// <summary>Device figures summed per site or district (a device whose site has no district is left out of the district rows).</summary>
    private static async Task<ApiUptime?> UptimeRowsAsync(string? range, DateTimeOffset? from, DateTimeOffset? to, string? by, UptimeService uptime, ISiteDirectory sites, DashboardClock clock, CancellationToken ct)
    {
        by ??= "device";
        if (by is not ("device" or "site" or "district"))
        {
            return null;
        }

        DateTimeOffset start, end;
        if (from is null && to is null)
        {
            end = clock.UtcNow;
            start = end - UptimeRanges.Parse(range);
        }
        else if (Window(from, to, clock) is (var s, var e))
        {
            (start, end) = (s, e);
        }
        else
        {
            return null;
        }

        var report = await uptime.ReportAsync(start, end, ct);
        var culture = CultureInfo.CurrentUICulture;
        var devices = report.Devices.Select(f => (Figure: f, Site: f.Key.Split('/')[0])).ToList();
        IEnumerable<(UptimeFigure Figure, string? Name)> rows = by switch
        {
            "site" => devices.GroupBy(d => d.Site, StringComparer.Ordinal)
                .Select(g => (UptimeCalculator.Sum(g.Key, g.Select(d => d.Figure)), (string?)sites.DisplayName(g.Key, culture))),
            "district" => devices.Select(d => (d.Figure, District: sites.DistrictOf(d.Site)))
                .Where(d => d.District is not null)
                .GroupBy(d => d.District!.Slug, StringComparer.Ordinal)
                .Select(g => (UptimeCalculator.Sum(g.Key, g.Select(d => d.Figure)), (string?)g.First().District!.Name(culture))),
            _ => devices.Select(d => (d.Figure, (string?)null)),
        };
        return new ApiUptime(report.From, report.To, by, [.. rows
            .OrderBy(r => r.Figure.Key, StringComparer.Ordinal)
            .Select(r => new ApiUptimeRow(r.Figure.Key, r.Name, (long)r.Figure.Observed.TotalSeconds, (long)r.Figure.Online.TotalSeconds, r.Figure.Percent is { } p ? Math.Round(p, 4) : null, r.Figure.OutageCount))]);
    }

    /// <summary>
    /// Runs an engine command as the token (<c>api:{name}</c>, the actor the engine records) and writes the dashboard's
    /// audit line. Not tied to the request once started: a client going away does not cut it between store and announcement.
    /// </summary>
    private static async Task<IResult> CommandAsync<T>(HttpContext http, AuditLog audit, string action, long? id, Func<string, Task<T>> command)
    {
        var user = http.User.Identity!.Name!;
        var target = id is { } n ? $"#{n.ToString(CultureInfo.InvariantCulture)}" : "new";
        try
        {
            var result = await command(user);
            await audit.WriteAsync(user, "api." + action, target, string.Empty, true, CancellationToken.None);
            return TypedResults.Ok(result);
        }
        catch (AlertNotFoundException ex)
        {
            return NotFound(ex.Message);
        }
        catch (AlertCommandException ex)
        {
            return ex.IsInvalidInput ? Invalid(ex.Message) : TypedResults.Conflict(new ApiError("conflict", ex.Message));
        }
        catch (HttpRequestException ex)
        {
            return TypedResults.Json(new ApiError("unavailable", $"the alert engine did not answer: {ex.Message}"), ApiJson.Options, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static (DateTimeOffset From, DateTimeOffset To)? Window(DateTimeOffset? from, DateTimeOffset? to, DashboardClock clock)
    {
        var end = to ?? clock.UtcNow;
        var start = from ?? end.AddHours(-24);
        return start < end && end - start <= MaxWindow ? (start, end) : null;
    }

    private static Dictionary<string, string> DeviceTags(string? site, string? deviceId)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (site is not null)
        {
            tags[TagNames.Site] = site;
        }

        if (deviceId is not null)
        {
            tags[TagNames.Device] = deviceId;
        }

        return tags;
    }

    /// <summary>30s, 5m, 1h, 1d, or a TimeSpan (00:05:00).</summary>
    internal static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        if (text.Length >= 2 && long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
        {
            duration = text[^1] switch
            {
                's' => TimeSpan.FromSeconds(n),
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                'd' => TimeSpan.FromDays(n),
                _ => default,
            };
        }
        else if (TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span))
        {
            duration = span;
        }

        return duration > TimeSpan.Zero;
    }

    private static string? DistrictOf(DeviceRow row, ISiteDirectory sites) => row.Device.DistrictSlug ?? sites.DistrictOf(row.Device.Address.Site)?.Slug;

    private static string? StateName(DeviceState? state) => state switch
    {
        DeviceState.Online => "online",
        DeviceState.Offline => "offline",
        _ => null,
    };

    private static ApiDevice ToDevice(DeviceAddress address, string? district, DeviceLiveState? live, ISiteDirectory sites, CultureInfo culture) => new(
        address.Site,
        address.DeviceType,
        address.DeviceId,
        district,
        sites.DisplayName(address.Site, culture),
        StateName(live?.State),
        live?.StateSince,
        live?.LastTelemetryAt,
        live?.Health?.State.ToString().ToLowerInvariant());

    private static ApiPoint ToPoint(Point point) => new(
        point.Measurement,
        point.Timestamp,
        point.Tags.ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal),
        point.Fields.ToDictionary(f => f.Key, f => ApiJson.Value(f.Value), StringComparer.Ordinal));

    private static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;

    private static IResult NotFound(string message) => TypedResults.NotFound(new ApiError("not_found", message));

    private static IResult Invalid(string message) => TypedResults.BadRequest(new ApiError("invalid", message));
}
