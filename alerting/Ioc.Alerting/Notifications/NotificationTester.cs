using Ioc.Alerting.Service;
using Ioc.Contract.Alerts;

namespace Ioc.Alerting.Notifications;

/// <summary>The outcome of a test message to one recipient of a channel.</summary>
public sealed record TestDelivery(string Target, bool Success, string Detail);

/// <summary>
/// Sends a test message to every recipient of one configured channel at once, outside the outbox (nothing is stored or
/// retried), so an administrator sees whether the token, chat id or URL works. The caller audits who asked.
/// In the engine's process this is <see cref="NotificationTester"/>; a dashboard elsewhere sends it to the engine's host.
/// </summary>
public interface INotificationTester
{
    /// <summary>Throws <see cref="AlertCommandException"/> (invalid input) when no such channel is configured.</summary>
    Task<IReadOnlyList<TestDelivery>> SendTestAsync(string channel, string name, string user, CancellationToken cancellationToken);
}

public sealed class NotificationTester(NotificationRoutes routes, IEnumerable<INotificationSender> senders, TimeProvider time) : INotificationTester
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
