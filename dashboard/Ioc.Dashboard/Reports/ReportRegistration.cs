using Ioc.Alerting.Hosting;
using Ioc.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ioc.Dashboard.Reports;

public static class ReportRegistration
{
    /// <summary>
    /// The monthly report's options (validated at start: a ChromiumPath that is set must exist; recipients need the
    /// alerting's SMTP section), its computation, renderers and the 1st-of-month mail.
    /// </summary>
    public static IServiceCollection AddIocReports(this IServiceCollection services, IConfiguration configuration)
    {
        var smtp = configuration.GetSection(MonthlyReportMailer.EmailSection);
        services.AddValidatedOptions<ReportsOptions>(configuration, ReportsOptions.SectionName, o => o.Validate().Concat(
            o.Recipients.Count > 0 && string.IsNullOrWhiteSpace(smtp["From"])
                ? [$"{ReportsOptions.SectionName}:Recipients are set but {MonthlyReportMailer.EmailSection}:From (and Host, Port) is not: the report is mailed over the alerting's SMTP settings (docs/reports.md)."]
                : []));
        services.AddOptions<EmailOptions>(MonthlyReportMailer.EmailOptionsName).Bind(smtp);
        services.AddSingleton<MonthlyReportService>();
        services.AddSingleton<ReportWorkbook>();
        services.AddSingleton<ReportDocument>();
        services.AddSingleton<ReportPdfPrinter>();
        services.AddSingleton<ReportFiles>();
        services.AddSingleton<MonthlyReportMailer>();
        services.AddHostedService(sp => sp.GetRequiredService<MonthlyReportMailer>());
        return services;
    }
}
