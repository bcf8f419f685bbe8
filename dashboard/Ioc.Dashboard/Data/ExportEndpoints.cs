using System.Text;
using Ioc.Dashboard.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ioc.Dashboard.Data;

/// <summary>CSV downloads; each is authorized by policy and audited.</summary>
internal static class ExportEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/uptime.csv", UptimeCsvAsync).RequireAuthorization(Policies.ExportData);
        endpoints.MapGet("/rules/export", RulesFileAsync).RequireAuthorization();
    }

    /// <summary>The rule catalogue as a rules file (the format the engine's loader reads), freshly read from the store.</summary>
    private static async Task<IResult> RulesFileAsync(HttpContext http, DashboardClock clock, AuditLog audit)
    {
        // Registered by the host with the alerting reads (AddAlerting or AddAlertingQueries); without them there is no catalogue.
        if (http.RequestServices.GetService(typeof(Ioc.Alerting.Rules.Catalogue.RuleCatalog)) is not Ioc.Alerting.Rules.Catalogue.RuleCatalog catalog)
        {
            return Results.NotFound();
        }

        await catalog.RefreshAsync(http.RequestAborted);
        string json;
        try
        {
            json = catalog.Export();
        }
        catch (Ioc.Alerting.Rules.Catalogue.RuleCommandException ex)
        {
            // A stored rule that is not valid JSON: no file rather than one silently lacking it; the message names the rule.
            var vietnamese = System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "vi";
            var message = string.Join(Environment.NewLine, ex.Problems.Select(p => p.Describe(vietnamese)));
            await audit.WriteAsync(http.User.Identity!.Name!, "rules.export", "rules.json", ex.Message, false, http.RequestAborted);
            return Results.Text(message, "text/plain; charset=utf-8", Encoding.UTF8, StatusCodes.Status409Conflict);
        }

        await audit.WriteAsync(http.User.Identity!.Name!, "rules.export", "rules.json", $"{catalog.Rules.Count} rules", true, http.RequestAborted);
        return Results.File(Encoding.UTF8.GetBytes(json), "application/json; charset=utf-8", $"ioc-rules-{clock.Now:yyyyMMdd-HHmm}.json");
    }

    private static async Task<IResult> UptimeCsvAsync(HttpContext http, string? range, UptimeService uptime, DashboardClock clock, AuditLog audit)
    {
        var window = UptimeRanges.Parse(range);
        var to = clock.UtcNow;
        var report = await uptime.ReportAsync(to - window, to, http.RequestAborted);
        await audit.WriteAsync(http.User.Identity!.Name!, "export", "uptime.csv", range ?? "24h", true, http.RequestAborted);
        var csv = UptimeCalculator.ToCsv(report, clock.Zone);
        return Results.File(Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", $"uptime-{range ?? "24h"}-{clock.Now:yyyyMMdd-HHmm}.csv");
    }
}

public static class UptimeRanges
{
    public static IReadOnlyList<string> All { get; } = ["24h", "7d", "30d"];

    public static TimeSpan Parse(string? range) => range switch
    {
        "7d" => TimeSpan.FromDays(7),
        "30d" => TimeSpan.FromDays(30),
        _ => TimeSpan.FromHours(24),
    };
}
