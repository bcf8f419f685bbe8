using Ioc.Alerting.Hosting;
using Ioc.Alerting.Service;
using Ioc.Alerting.Text;
using Ioc.Contract.Alerts;

namespace Ioc.Alerting.Notifications;

/// <summary>The outcome of a test message to one recipient of a channel.</summary>
public sealed record TestDelivery(string Target, bool Success, string Detail);

/// <summary>
/// A configured channel as an administrator sees it, never its secrets: <c>Kind</c> is <c>telegram</c>, <c>webhook-generic</c>,
/// <c>webhook-teams</c>, <c>webhook-zalo</c> or <c>email</c>; a webhook's recipient is its URL's host only (a Teams or
/// Workflows URL carries its signature).
/// </summary>
public sealed record ChannelSummary(
    string Channel,
    string Kind,
    string Name,
    IReadOnlyList<string> Recipients,
    AlertSeverity MinSeverity,
    IReadOnlyList<string> Sites,
    IReadOnlyList<string> Districts,
    IReadOnlyList<string> Rules,
    string? QuietFrom,
    string? QuietTo,
    Language Language);

/// <summary>
/// Sends a test message to every recipient of one configured channel at once, outside the outbox (nothing is stored or
/// retried), so an administrator sees whether the token, chat id or URL works. The caller audits who asked.
/// In the engine's process this is <see cref="NotificationTester"/>; a dashboard elsewhere sends it to the engine's host.
/// </summary>
public interface INotificationTester
{
    /// <summary>Throws <see cref="AlertCommandException"/> (invalid input) when no such channel is configured.</summary>
    Task<IReadOnlyList<TestDelivery>> SendTestAsync(string channel, string name, string user, CancellationToken cancellationToken);

    /// <summary>The channels configured where the messages are sent (the engine's host), with their routing.</summary>
    Task<IReadOnlyList<ChannelSummary>> ChannelsAsync(CancellationToken cancellationToken);
}

public sealed class NotificationTester(AlertingOptions options, NotificationRoutes routes, IEnumerable<INotificationSender> senders, TimeProvider time) : INotificationTester
{
    /// <summary>The event of a test message (its words: "Tin nhắn thử" / "Test message").</summary>
    public const string TestEvent = "test";

    private readonly Dictionary<string, INotificationSender> _senders = senders.ToDictionary(s => s.Channel, StringComparer.Ordinal);

    public async Task<IReadOnlyList<TestDelivery>> SendTestAsync(string channel, string name, string user, CancellationToken cancellationToken)
    {
        var recipients = routes.All().Where(r => r.Channel == channel && r.Name == name).ToList();
        if (recipients.Count == 0 || !_senders.TryGetValue(channel, out var sender))
        {
            throw new AlertCommandException($"no {channel} channel named '{name}' is configured", isInvalidInput: true);
        }

        var now = time.GetUtcNow();
        var alert = TestAlert(user, now);
        var results = new List<TestDelivery>(recipients.Count);
        foreach (var recipient in recipients)
        {
            var notification = new NotificationRecord(0, 0, TestEvent, channel, recipient.Target, NotificationStatus.Pending, 0, now, now, null);
            try
            {
                results.Add(new TestDelivery(recipient.Target, true, await sender.SendAsync(notification, alert, cancellationToken)));
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                results.Add(new TestDelivery(recipient.Target, false, ex.Message));
            }
        }

        return results;
    }

    public Task<IReadOnlyList<ChannelSummary>> ChannelsAsync(CancellationToken cancellationToken) => Task.FromResult(Channels(options.Notifications));

    public static IReadOnlyList<ChannelSummary> Channels(NotificationOptions settings)
    {
        var list = new List<ChannelSummary>();
        foreach (var bot in settings.Telegram)
        {
            list.Add(Summary(NotificationRoutes.TelegramChannel, "telegram", bot.Name, bot.ChatIds, bot));
        }

        foreach (var hook in settings.Webhooks)
        {
            var recipients = hook.Template == WebhookTemplate.Zalo ? hook.UserIds : [Uri.TryCreate(hook.Url, UriKind.Absolute, out var uri) ? uri.Host : "-"];
            list.Add(Summary(NotificationRoutes.WebhookChannel, "webhook-" + hook.Template.ToString().ToLowerInvariant(), hook.Name, recipients, hook));
        }

        if (settings.Email is { } email)
        {
            list.Add(Summary(NotificationRoutes.EmailChannel, "email", "email", email.To, email));
        }

        return list;
    }

    private static ChannelSummary Summary(string channel, string kind, string name, IReadOnlyList<string> recipients, ChannelRouteOptions route) =>
        new(channel, kind, name, [.. recipients], route.MinSeverity, [.. route.Sites], [.. route.Districts], [.. route.Rules], route.QuietHours?.From, route.QuietHours?.To, route.Language);

    private static Alert TestAlert(string user, DateTimeOffset now) => new()
    {
        Id = 0,
        RuleId = "test",
        RuleName = "Tin nhắn thử",
        Kind = "test",
        SubjectKey = "test",
        Subject = "IOC",
        Severity = AlertSeverity.Info,
        State = AlertState.Firing,
        Summary = $"Tin nhắn thử từ Trung tâm IOC Hải Dương, do {user} gửi.",
        Texts = new AlertTexts(
            new Ioc.Contract.Text.LocalizedText($"Tin nhắn thử từ Trung tâm IOC Hải Dương, do {user} gửi.", $"A test message from the Hai Duong IOC, sent by {user}."),
            new Ioc.Contract.Text.LocalizedText("Tin nhắn thử", "Test message")),
        FiredAt = now,
        LastFiredAt = now,
        UpdatedAt = now,
    };
}
