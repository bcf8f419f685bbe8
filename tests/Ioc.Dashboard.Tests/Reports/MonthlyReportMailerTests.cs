using Ioc.Alerting.Hosting;
using Ioc.Alerting.Tests.Shared;
using Ioc.Dashboard.Reports;
using Ioc.Dashboard.Security;
using Ioc.Dashboard.Tests.Shared;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;
using static Ioc.Dashboard.Tests.Shared.TestReportData;

namespace Ioc.Dashboard.Tests.Reports;

/// <summary>The 1st-of-month mail on a fake clock (24/11/2026 10:00 local) through a real SMTP conversation.</summary>
public sealed class MonthlyReportMailerTests : SeededReportTests
{
    private readonly TestSmtpServer _smtp = new();
    private readonly ReportsOptions _options = new() { ChromiumPath = "/usr/bin/chromium", Recipients = ["lanhdao@haiduong.gov.vn", "soc@haiduong.gov.vn"] };

    public override async Task DisposeAsync()
    {
        _smtp.Dispose();
        await base.DisposeAsync();
    }

    private MonthlyReportMailer NewMailer() => new(
        Context.Services.GetRequiredService<ReportFiles>(),
        Context.Services.GetRequiredService<AuditLog>(),
        Context.Services.GetRequiredService<DashboardClock>(),
        Context.Time,
        Context.Services.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<ReportText>>(),
        Options.Create(_options),
        new StaticMonitor(new EmailOptions { Host = "127.0.0.1", Port = _smtp.Port, From = "ioc@haiduong.gov.vn" }),
        NullLogger<MonthlyReportMailer>.Instance);

    [Fact]
    public async Task Schedule_DueOnTheFirst_OneMailWithTwoAttachmentsAndNoSecondAfterRestart()
    {
        // Arrange: the service as the host runs it.
        var mailer = NewMailer();

        // Act
        await mailer.StartAsync(CancellationToken.None);
        var mail = await WaitForSentAsync();
        await mailer.StopAsync(CancellationToken.None);
        var restarted = NewMailer();
        var again = await restarted.RunOnceAsync(CancellationToken.None);
        Context.Time.Advance(TimeSpan.FromHours(3));
        var later = await restarted.RunOnceAsync(CancellationToken.None);

        // Assert
        Assert.Null(again);
        Assert.Null(later);
        Assert.Single(_smtp.Messages);
        Assert.Equal(["lanhdao@haiduong.gov.vn", "soc@haiduong.gov.vn"], mail.To);
        Assert.Equal("[IOC] Báo cáo vận hành tháng 10/2026", mail.Subject);
        var attachments = System.Text.RegularExpressions.Regex.Matches(mail.Body, "Content-Type: (application/[a-z.-]+);\\s*name=\"?([^\";\\r\\n]+)");
        Assert.Equal(
            [("application/pdf", "bao-cao-thang-2026-10.pdf"), (ReportFiles.XlsxType, "bao-cao-thang-2026-10.xlsx")],
            attachments.Select(m => (m.Groups[1].Value, m.Groups[2].Value)).Order());
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(mail.Body, "Content-Disposition: attachment"));
        var audit = await Context.Services.GetRequiredService<AuditLog>().ListAsync(10, MonthlyReportMailer.Actor, CancellationToken.None);
        Assert.Equal("reports/monthly/2026-10", Assert.Single(audit).Target);
    }

    [Fact]
    public async Task RunOnce_BeforeTheConfiguredDayAndHour_SendsNothing()
    {
        // Arrange: due on the 24th from 11:00 local; it is 10:00.
        _options.SendDay = 24;
        _options.SendHour = 11;
        var mailer = NewMailer();

        // Act
        var before = await mailer.RunOnceAsync(CancellationToken.None);
        Context.Time.Advance(TimeSpan.FromHours(1));
        var at = await mailer.RunOnceAsync(CancellationToken.None);

        // Assert
        Assert.Null(before);
        Assert.Equal(October, at);
        Assert.Single(_smtp.Messages);
    }

    [Fact]
    public async Task RunOnce_NoRecipients_SendsNothing()
    {
        // Arrange
        _options.Recipients = [];

        // Act
        var sent = await NewMailer().RunOnceAsync(CancellationToken.None);

        // Assert
        Assert.Null(sent);
        Assert.Empty(_smtp.Messages);
    }

    /// <summary>Waits until the mail has arrived and its month is recorded as sent.</summary>
    private async Task<TestSmtpServer.ReceivedMail> WaitForSentAsync()
    {
        var audit = Context.Services.GetRequiredService<AuditLog>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (_smtp.Messages.IsEmpty || (await audit.ListAsync(10, MonthlyReportMailer.Actor, timeout.Token)).Count == 0)
        {
            await Task.Delay(50, timeout.Token);
        }

        _smtp.Messages.TryPeek(out var mail);
        return mail!;
    }

    private sealed class StaticMonitor(EmailOptions value) : IOptionsMonitor<EmailOptions>
    {
        public EmailOptions CurrentValue => value;

        public EmailOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<EmailOptions, string?> listener) => null;
    }
}
