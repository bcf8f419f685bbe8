using System.Net;
using System.Net.Mail;
using Ioc.Alerting.Hosting;
using Ioc.Alerting.Text;
using Ioc.Contract.Alerts;

namespace Ioc.Alerting.Notifications;

/// <summary>Sends one plain-text e-mail per recipient over SMTP, from the configured subject and body templates.</summary>
public sealed class EmailSender(AlertingOptions options, TimeProvider time, ISiteNames sites) : INotificationSender
{
    public string Channel => NotificationPlanner.EmailChannel;

    public async Task<string> SendAsync(NotificationRecord notification, Alert alert, CancellationToken cancellationToken)
    {
        var email = options.Notifications.Email ?? throw new DeliveryException("e-mail is no longer configured (Ioc:Alerting:Notifications:Email)");
        var values = NotificationTemplate.Values(alert, notification.Event, time.GetUtcNow(), options.Notifications.DashboardUrl, sites);
        using var message = new MailMessage(email.From, notification.Target)
        {
            Subject = NotificationTemplate.Render(email.SubjectTemplate, values).ReplaceLineEndings(" "),
            Body = NotificationTemplate.Render(email.BodyTemplate, values),
            BodyEncoding = System.Text.Encoding.UTF8,
            SubjectEncoding = System.Text.Encoding.UTF8,
        };
        message.Headers.Add("X-Ioc-Alert-Id", alert.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var client = new SmtpClient(email.Host, email.Port)
        {
            EnableSsl = email.EnableSsl,
            DeliveryMethod = SmtpDeliveryMethod.Network,
            Timeout = (int)options.Notifications.Timeout.TotalMilliseconds,
        };
        if (!string.IsNullOrEmpty(email.Username))
        {
            client.Credentials = new NetworkCredential(email.Username, email.Password);
        }

        try
        {
            await client.SendMailAsync(message, cancellationToken);
            return $"accepted by {email.Host}:{email.Port}";
        }
        catch (SmtpException ex)
        {
            throw new DeliveryException($"SMTP {(int)ex.StatusCode} {ex.Message}", ex);
        }
    }
}
