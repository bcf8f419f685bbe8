using Ioc.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Ioc.Dashboard.Reports;

public static class ReportRegistration
{
    /// <summary>The monthly report's options (validated at start), its computation and renderers.</summary>
    public static IServiceCollection AddIocReports(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ReportsOptions>(configuration, ReportsOptions.SectionName, o => o.Validate());
        services.AddSingleton<MonthlyReportService>();
        services.AddSingleton<ReportWorkbook>();
        services.AddSingleton<ReportDocument>();
        services.AddSingleton<ReportPdfPrinter>();
        services.AddSingleton<ReportFiles>();
        return services;
    }
}
