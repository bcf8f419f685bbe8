using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ioc.Alerting.Announce;
using Ioc.Alerting.Hosting;
using Ioc.Alerting.Text;
using Ioc.Contract.Alerts;

namespace Ioc.Alerting.Notifications;

/// <summary>
/// POSTs a JSON document to a configured webhook, shaped by its <see cref="WebhookOptions.Template"/>: <c>generic</c>
/// (<c>{"event", "notificationId", "text", "alert": {…}}</c>), <c>teams</c> (a message with one Adaptive Card) or
/// <c>zalo</c> (the Official Account message API, one user per notification, the access token in the <c>access_token</c>
/// header; an answer with <c>"error" ≠ 0</c> is a failure). A 2xx answer is success; anything else, a timeout or a
/// connection error is a failed attempt that the dispatcher retries with backoff (after <c>Retry-After</c> when given).
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, AlertingOptions options, TimeProvider time, ISiteNames sites) : INotificationSender
{
    public const string HttpClientName = "Ioc.Alerting.Webhooks";

    public string Channel => NotificationPlanner.WebhookChannel;

    public async Task<string> SendAsync(NotificationRecord notification, Alert alert, CancellationToken cancellationToken)
    {
        var (name, recipient) = NotificationRoutes.ParseTarget(notification.Target);
        var hook = options.Notifications.Webhooks.FirstOrDefault(w => w.Name == name)
            ?? throw new DeliveryException($"webhook '{name}' is no longer configured") { Permanent = true };
        var body = Body(hook, recipient, notification, alert, time.GetUtcNow());
        using var request = new HttpRequestMessage(HttpMethod.Post, hook.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation("X-Ioc-Event", notification.Event);
        request.Headers.TryAddWithoutValidation("Idempotency-Key", $"ioc-notification-{notification.Id}");
        if (hook.Template == WebhookTemplate.Zalo)
        {
            request.Headers.TryAddWithoutValidation("access_token", hook.AccessToken);
        }

        foreach (var (header, value) in hook.Headers)
        {
            request.Headers.TryAddWithoutValidation(header, value);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Notifications.Timeout);
        var client = clients.CreateClient(HttpClientName);
        try
        {
            using var response = await client.SendAsync(request, timeout.Token);
            var status = (int)response.StatusCode;
            if (!response.IsSuccessStatusCode)
            {
                throw new DeliveryException($"HTTP {status} {response.ReasonPhrase}") { RetryAfter = RetryAfter(response) };
            }

            if (hook.Template == WebhookTemplate.Zalo)
            {
                var answer = await response.Content.ReadAsStringAsync(timeout.Token);
                return ZaloOutcome(status, answer);
            }

            return $"HTTP {status}";
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

    /// <summary>The request body for one recipient, in the hook's template and language.</summary>
    public byte[] Body(WebhookOptions hook, string? recipient, NotificationRecord notification, Alert alert, DateTimeOffset now)
    {
        var settings = options.Notifications;
        switch (hook.Template)
        {
            case WebhookTemplate.Teams:
                return JsonSerializer.SerializeToUtf8Bytes(Message(hook, notification, alert, now).ToTeamsCard());
            case WebhookTemplate.Zalo:
                return JsonSerializer.SerializeToUtf8Bytes(Message(hook, notification, alert, now).ToZaloMessage(recipient ?? string.Empty));
            default:
                var values = NotificationTemplate.Values(alert, notification.Event, now, settings.DashboardUrl, sites, settings.Zone());
                return JsonSerializer.SerializeToUtf8Bytes(
                    new { @event = notification.Event, notificationId = notification.Id, text = NotificationTemplate.Render(hook.TextTemplate, values), alert },
                    AnnouncementJson.Options);
        }
    }

    private NotificationMessage Message(WebhookOptions hook, NotificationRecord notification, Alert alert, DateTimeOffset now) =>
        NotificationMessage.Build(alert, notification.Event, now, options.Notifications.DashboardUrl, sites, hook.Language, options.Notifications.Zone());

    /// <summary>Zalo answers HTTP 200 with <c>{"error": 0, "message": "Success", "data": {"message_id"}}</c>, or an error code.</summary>
    private static string ZaloOutcome(int status, string answer)
    {
        try
        {
            var json = JsonNode.Parse(answer);
            var error = json?["error"]?.GetValue<int>() ?? 0;
            if (error != 0)
            {
                throw new DeliveryException($"Zalo error {error}: {json?["message"]?.GetValue<string>()}");
            }

            return json?["data"]?["message_id"]?.ToString() is { } id ? $"HTTP {status}, Zalo message {id}" : $"HTTP {status}";
        }
        catch (JsonException ex)
        {
            throw new DeliveryException($"HTTP {status} but not a Zalo answer: {ex.Message}", ex);
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter?.Delta;
}
