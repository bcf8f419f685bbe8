using System.Globalization;
using System.Net;
using System.Net.Mail;
using Ioc.Alerting.Hosting;
using Ioc.Dashboard.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ioc.Dashboard.Reports;

/// <summary>
/// E-mails the previous month's report (XLSX and PDF attached, in <see cref="ReportsOptions.MailCulture"/>) to
/// <see cref="ReportsOptions.Recipients"/> once the local time reaches <see cref="ReportsOptions.SendDay"/> at
/// <see cref="ReportsOptions.SendHour"/>, over the alerting's SMTP settings (<c>Ioc:Alerting:Notifications:Email</c>).
/// Once per month, across restarts: a sent month is recorded in the audit log (user <see cref="Actor"/>, action
/// <see cref="SentAction"/>) and a month found there is not sent again. A failed send is retried at the next check.
/// </summary>
public sealed partial class MonthlyReportMailer(
    ReportFiles files,
    AuditLog audit,
    DashboardClock clock,
    TimeProvider time,
    IStringLocalizer<ReportText> text,
    IOptions<ReportsOptions> options,
    IOptionsMonitor<EmailOptions> email,
    ILogger<MonthlyReportMailer> logger) : BackgroundService
{
    /// <summary>The name the SMTP settings are bound under (the alerting's section, read by the reports too).</summary>
    public const string EmailOptionsName = "reports";

    public const string EmailSection = "Ioc:Alerting:Notifications:Email";

    public const string Actor = "system:reports";

    public const string SentAction = "report.mailed";

    public static string Target(ReportMonth month) => $"reports/monthly/{month}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Recipients.Count == 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.CheckInterval, time);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                Log.Failed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Sends the previous month's report if it is due and not sent yet; returns the month sent, or null.</summary>
    public async Task<ReportMonth?> RunOnceAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        if (o.Recipients.Count == 0)
        {
            return null;
        }

        var now = clock.Now;
        var current = ReportMonth.Of(now);
        var due = current.Start(clock.Zone).AddDays(o.SendDay - 1).AddHours(o.SendHour);
        if (clock.UtcNow < due)
        {
            return null;
        }

        var month = current.Previous;
        var sent = await audit.ListAsync(500, Actor, cancellationToken);
        if (sent.Any(e => e.Action == SentAction && e.Target == Target(month)))
        {
            return null;
        }

        await SendAsync(month, cancellationToken);

        // Recorded even when the host is stopping now: the mail has gone, a restart must not send it again.
        await audit.WriteAsync(Actor, SentAction, Target(month), string.Join(", ", o.Recipients), true, CancellationToken.None);
        Log.Sent(logger, month.ToString(), o.Recipients.Count);
        return month;
    }

    private async Task SendAsync(ReportMonth month, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var smtp = email.Get(EmailOptionsName);
        var culture = CultureInfo.GetCultureInfo(o.MailCulture);
        var report = await files.BuildAsync(month, culture, cancellationToken);
        var xlsx = await files.RenderAsync(report, ReportFormat.Xlsx, cancellationToken);
        ReportFile? pdf = null;
        string? pdfError = null;
        try
        {
            pdf = await files.RenderAsync(report, ReportFormat.Pdf, cancellationToken);
        }
        catch (ReportPdfUnavailableException ex)
        {
            pdfError = ex.Message;
            Log.NoPdf(logger, month.ToString(), ex.Message);
        }

        string subject, body;
        using (CultureScope.Use(culture))
        {
            var display = month.Display(culture);
            subject = string.Format(culture, text["Mail_Subject"], display);
            body = string.Format(culture, text["Mail_Body"], display) + "\n\n" + report.Summary
                + (pdfError is null ? string.Empty : "\n\n" + string.Format(culture, text["Mail_NoPdf"], pdfError));
        }

        using var message = new MailMessage
        {
            From = new MailAddress(smtp.From),
            Subject = subject,
            Body = body,
            BodyEncoding = System.Text.Encoding.UTF8,
            SubjectEncoding = System.Text.Encoding.UTF8,
        };
        foreach (var recipient in o.Recipients)
        {
            message.To.Add(recipient);
        }

        message.Attachments.Add(new Attachment(new MemoryStream(xlsx.Content), xlsx.FileName, ReportFiles.XlsxType));
        if (pdf is not null)
        {
            message.Attachments.Add(new Attachment(new MemoryStream(pdf.Content), pdf.FileName, pdf.ContentType));
        }

        using var client = new SmtpClient(smtp.Host, smtp.Port)
        {
            EnableSsl = smtp.EnableSsl,
            DeliveryMethod = SmtpDeliveryMethod.Network,
            Timeout = 60_000,
        };
        if (!string.IsNullOrEmpty(smtp.Username))
        {
            client.Credentials = new NetworkCredential(smtp.Username, smtp.Password);
        }

        await client.SendMailAsync(message, cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Monthly report {Month} mailed to {Recipients} recipients")]
        public static partial void Sent(ILogger logger, string month, int recipients);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Monthly report {Month} is mailed without its PDF: {Reason}")]
        public static partial void NoPdf(ILogger logger, string month, string reason);

        [LoggerMessage(Level = LogLevel.Error, Message = "Monthly report mail failed; retried at the next check")]
        public static partial void Failed(ILogger logger, Exception exception);
    }
}
