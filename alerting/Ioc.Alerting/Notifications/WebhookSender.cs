using System.Net.Http.Headers;
using System.Text.Json;
using Ioc.Alerting.Announce;
using Ioc.Alerting.Hosting;
using Ioc.Alerting.Text;
using Ioc.Contract.Alerts;

namespace Ioc.Alerting.Notifications;

/// <summary>
/// POSTs a JSON document to a configured webhook: <c>{"event", "text", "alert": {…}}</c>. A 2xx answer is success;
/// anything else, a timeout or a connection error is a failed attempt that the dispatcher retries with backoff.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, AlertingOptions options, TimeProvider time, ISiteNames sites) : INotificationSender
{
    public const string HttpClientName = "Ioc.Alerting.Webhooks";

    public string Channel => NotificationPlanner.WebhookChannel;

    public async Task<string> SendAsync(NotificationRecord notification, Alert alert, CancellationToken cancellationToken)
    {
        var hook = options.Notifications.Webhooks.FirstOrDefault(w => w.Name == notification.Target)
            ?? throw new DeliveryException($"webhook '{notification.Target}' is no longer configured");
        var values = NotificationTemplate.Values(alert, notification.Event, time.GetUtcNow(), options.Notifications.DashboardUrl, sites);
        var body = JsonSerializer.SerializeToUtf8Bytes(
            new { @event = notification.Event, notificationId = notification.Id, text = NotificationTemplate.Render(hook.TextTemplate, values), alert },
            AnnouncementJson.Options);
        using var request = new HttpRequestMessage(HttpMethod.Post, hook.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation("X-Ioc-Event", notification.Event);
        request.Headers.TryAddWithoutValidation("Idempotency-Key", $"ioc-notification-{notification.Id}");
        foreach (var (name, value) in hook.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Notifications.Timeout);
        var client = clients.CreateClient(HttpClientName);
        try
        {
            using var response = await client.SendAsync(request, timeout.Token);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode ? $"HTTP {status}" : throw new DeliveryException($"HTTP {status} {response.ReasonPhrase}");
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DeliveryException($"no answer within {options.Notifications.Timeout.TotalSeconds:0.#}s", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new DeliveryException(ex.Message, ex);
        }
    }
}
