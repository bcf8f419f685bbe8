using System.Globalization;
using Ioc.Alerting.Hosting;
using Ioc.Alerting.Text;
using Ioc.Contract.Alerts;

namespace Ioc.Alerting.Notifications;

/// <summary>One recipient of one channel: <c>telegram</c> / <c>noc:-1001234</c>, <c>webhook</c> / <c>teams-soc</c>, <c>email</c> / an address.</summary>
public sealed record NotificationRoute(string Channel, string Target, string Name, ChannelRouteOptions Options);

/// <summary>
/// The configured channels as recipients, and which of them hear of an alert: severity, sites, districts (the site
/// registry's district of the alert's site, else the alert's own), rule ids. Quiet hours are a separate question
/// (<see cref="QuietUntil"/>): they delay, they do not filter.
/// </summary>
public sealed class NotificationRoutes(AlertingOptions options, ISiteNames sites)
{
    public const string WebhookChannel = "webhook";
    public const string EmailChannel = "email";
    public const string TelegramChannel = "telegram";

    /// <summary>Every recipient of every configured channel.</summary>
    public IEnumerable<NotificationRoute> All()
    {
        var settings = options.Notifications;
        foreach (var hook in settings.Webhooks)
        {
            foreach (var route in Webhook(hook))
            {
                yield return route;
            }
        }

        foreach (var bot in settings.Telegram)
        {
            foreach (var route in Telegram(bot))
            {
                yield return route;
            }
        }

        if (settings.Email is { } email)
        {
            foreach (var address in email.To)
            {
                yield return new NotificationRoute(EmailChannel, address, "email", email);
            }
        }
    }

    /// <summary>The recipients whose routing takes this alert.</summary>
    public IEnumerable<NotificationRoute> For(Alert alert)
    {
        var district = DistrictOf(alert);
        return All().Where(r => Matches(r.Options, alert, district));
    }

    /// <summary>The recipients an escalation level names, whatever their routing.</summary>
    public IEnumerable<NotificationRoute> For(EscalationLevel level)
    {
        var settings = options.Notifications;
        foreach (var hook in level.Webhooks.Select(n => settings.Webhooks.FirstOrDefault(w => w.Name == n)).OfType<WebhookOptions>())
        {
            foreach (var route in Webhook(hook))
            {
                yield return route;
            }
        }

        foreach (var bot in level.Telegram.Select(n => settings.Telegram.FirstOrDefault(t => t.Name == n)).OfType<TelegramOptions>())
        {
            foreach (var route in Telegram(bot))
            {
                yield return route;
            }
        }

        if (settings.Email is { } email)
        {
            foreach (var address in level.Emails)
            {
                yield return new NotificationRoute(EmailChannel, address, "email", email);
            }
        }
    }

    /// <summary>The routing of a channel's recipient as configured now; null when it is no longer configured.</summary>
    public ChannelRouteOptions? Find(string channel, string target)
    {
        var (name, _) = ParseTarget(target);
        return channel switch
        {
            WebhookChannel => options.Notifications.Webhooks.FirstOrDefault(w => w.Name == name),
            TelegramChannel => options.Notifications.Telegram.FirstOrDefault(t => t.Name == name),
            EmailChannel => options.Notifications.Email,
            _ => null,
        };
    }

    /// <summary>The district of the alert's site in the site registry, else the alert's own district.</summary>
    public string? DistrictOf(Alert alert) =>
        alert.Site is { } site && sites.Find(site) is { } registered ? registered.District ?? alert.District : alert.District;

    public static bool Matches(ChannelRouteOptions route, Alert alert, string? district) =>
        alert.Severity >= route.MinSeverity
        && (route.Rules.Count == 0 || route.Rules.Contains(alert.RuleId, StringComparer.Ordinal))
        && (route.Sites.Count == 0 || (alert.Site is { } site && route.Sites.Contains(site, StringComparer.Ordinal)))
        && (route.Districts.Count == 0 || (district is not null && route.Districts.Contains(district, StringComparer.Ordinal)));

    /// <summary>
    /// When <paramref name="at"/> falls in the route's quiet hours (local time in <paramref name="zone"/>), the end of that
    /// window; otherwise null. A window may cross midnight: 22:00 → 06:00 holds 23:30 until 06:00 the next day.
    /// </summary>
    public static DateTimeOffset? QuietUntil(ChannelRouteOptions route, DateTimeOffset at, TimeZoneInfo zone)
    {
        if (route.QuietHours is not { } quiet
            || !QuietHoursOptions.TryParse(quiet.From, out var from)
            || !QuietHoursOptions.TryParse(quiet.To, out var to)
            || from == to)
        {
            return null;
        }

        var local = TimeZoneInfo.ConvertTime(at, zone);
        var time = TimeOnly.FromDateTime(local.DateTime);
        var inside = from < to ? time >= from && time < to : time >= from || time < to;
        if (!inside)
        {
            return null;
        }

        var day = DateOnly.FromDateTime(local.DateTime);
        if (from > to && time >= from)
        {
            day = day.AddDays(1);
        }

        var end = day.ToDateTime(to, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(end))
        {
            // A daylight-saving gap: the first minute that exists.
            end = end.AddMinutes(1);
        }

        return new DateTimeOffset(end, zone.GetUtcOffset(end));
    }

    /// <summary><c>name</c> or <c>name:recipient</c> (a Telegram chat, a Zalo user).</summary>
    public static (string Name, string? Recipient) ParseTarget(string target)
    {
        var colon = target.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (target, null) : (target[..colon], target[(colon + 1)..]);
    }

    private static IEnumerable<NotificationRoute> Webhook(WebhookOptions hook) =>
        hook.Template == WebhookTemplate.Zalo
            ? hook.UserIds.Select(u => new NotificationRoute(WebhookChannel, string.Create(CultureInfo.InvariantCulture, $"{hook.Name}:{u}"), hook.Name, hook))
            : [new NotificationRoute(WebhookChannel, hook.Name, hook.Name, hook)];

    private static IEnumerable<NotificationRoute> Telegram(TelegramOptions bot) =>
        bot.ChatIds.Select(c => new NotificationRoute(TelegramChannel, string.Create(CultureInfo.InvariantCulture, $"{bot.Name}:{c}"), bot.Name, bot));
}
