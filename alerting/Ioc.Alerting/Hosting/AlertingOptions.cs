using Ioc.Alerting.Notifications;
using Ioc.Alerting.Text;
using Ioc.Contract.Alerts;

namespace Ioc.Alerting.Hosting;

/// <summary>Section <c>Ioc:Alerting</c>. Validated at start-up; every error names its key.</summary>
public sealed class AlertingOptions
{
    public const string SectionName = "Ioc:Alerting";

    public bool Enabled { get; set; } = true;

    /// <summary>The rules file; relative paths are resolved against the application directory.</summary>
    public string RulesPath { get; set; } = "Rules/default-rules.json";

    /// <summary>Messages the engine may hold before <c>Observe</c> starts dropping (and counting) them.</summary>
    public int QueueCapacity { get; set; } = 100_000;

    /// <summary>How often time-based conditions (for-durations, no-data, windows, escalation) are checked.</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A device that sends nothing for this long is announced as <c>silent</c> on the health topic.</summary>
    public TimeSpan HealthSilentAfter { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>Resolved alerts (with their audit, comments and notification records) older than this are deleted.</summary>
    public int RetentionDays { get; set; } = 400;

    public FlappingOptions Flapping { get; set; } = new();

    public EscalationOptions Escalation { get; set; } = new();

    public NotificationOptions Notifications { get; set; } = new();

    public AnnouncementOptions Announcements { get; set; } = new();

    public SilenceOptions Silences { get; set; } = new();

    /// <summary>
    /// The secret a dashboard in another process presents (<c>Authorization: Bearer …</c>) to send commands to the engine's
    /// host; required where <c>MapAlertCommandEndpoints</c> maps them and where <c>AddHttpAlertCommands</c> sends them.
    /// </summary>
    public string? CommandToken { get; set; }

    /// <summary>Base URL of the engine's host (the collector) that takes commands, for a dashboard in another process.</summary>
    public string? EngineUrl { get; set; }

    /// <summary>How long a dashboard waits for the engine to answer one command (never retried).</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<string> Validate()
    {
        const string s = SectionName;
        if (string.IsNullOrWhiteSpace(RulesPath))
        {
            yield return $"{s}:RulesPath must name the rules file (e.g. Rules/default-rules.json).";
        }

        if (QueueCapacity is < 100 or > 10_000_000)
        {
            yield return $"{s}:QueueCapacity must be between 100 and 10000000 (was {QueueCapacity}).";
        }

        if (TickInterval < TimeSpan.FromMilliseconds(50) || TickInterval > TimeSpan.FromMinutes(1))
        {
            yield return $"{s}:TickInterval must be between 00:00:00.05 and 00:01:00 (was {TickInterval}).";
        }

        if (HealthSilentAfter < TimeSpan.FromSeconds(1))
        {
            yield return $"{s}:HealthSilentAfter must be at least 00:00:01 (was {HealthSilentAfter}).";
        }

        if (RetentionDays is < 1 or > 36500)
        {
            yield return $"{s}:RetentionDays must be between 1 and 36500 (was {RetentionDays}).";
        }

        if (Flapping.Transitions < 2 || Flapping.Window <= TimeSpan.Zero || Flapping.QuietPeriod <= TimeSpan.Zero)
        {
            yield return $"{s}:Flapping: Transitions must be at least 2 and Window and QuietPeriod positive.";
        }

        for (var i = 0; i < Escalation.Levels.Count; i++)
        {
            var level = Escalation.Levels[i];
            if (level.After <= TimeSpan.Zero || (i > 0 && level.After <= Escalation.Levels[i - 1].After))
            {
                yield return $"{s}:Escalation:Levels:{i}:After must be positive and later than the previous level's.";
            }

            if (level.Webhooks.Count == 0 && level.Emails.Count == 0 && level.Telegram.Count == 0)
            {
                yield return $"{s}:Escalation:Levels:{i} must name at least one webhook (Webhooks), Telegram channel (Telegram) or e-mail address (Emails).";
            }

            foreach (var name in level.Webhooks.Where(n => Notifications.Webhooks.All(w => w.Name != n)))
            {
                yield return $"{s}:Escalation:Levels:{i}:Webhooks names '{name}', which is not in {s}:Notifications:Webhooks.";
            }

            foreach (var name in level.Telegram.Where(n => Notifications.Telegram.All(t => t.Name != n)))
            {
                yield return $"{s}:Escalation:Levels:{i}:Telegram names '{name}', which is not in {s}:Notifications:Telegram.";
            }

            if (level.Emails.Count > 0 && Notifications.Email is null)
            {
                yield return $"{s}:Escalation:Levels:{i}:Emails needs {s}:Notifications:Email (the SMTP server).";
            }
        }

        if (Silences.MaxDuration < TimeSpan.FromHours(1) || Silences.MaxDuration > TimeSpan.FromDays(366))
        {
            yield return $"{s}:Silences:MaxDuration must be between 01:00:00 and 366.00:00:00 (was {Silences.MaxDuration}).";
        }

        if (Silences.MaxRecurringSpan < TimeSpan.FromDays(1) || Silences.MaxRecurringSpan > TimeSpan.FromDays(3660))
        {
            yield return $"{s}:Silences:MaxRecurringSpan must be between 1.00:00:00 and 3660.00:00:00 (was {Silences.MaxRecurringSpan}).";
        }

        foreach (var message in Notifications.Validate($"{s}:Notifications"))
        {
            yield return message;
        }

        if (CommandToken is { } token && token.Trim().Length < 16)
        {
            yield return $"{s}:CommandToken must have at least 16 characters (a random secret shared by the engine's and the dashboard's hosts).";
        }

        if (EngineUrl is { } url && !(Uri.TryCreate(url, UriKind.Absolute, out var engine) && (engine.Scheme == Uri.UriSchemeHttp || engine.Scheme == Uri.UriSchemeHttps)))
        {
            yield return $"{s}:EngineUrl must be an absolute http(s) URL of the collector (alert engine) host, e.g. http://collector:8080/ (was '{url}').";
        }

        if (CommandTimeout < TimeSpan.FromSeconds(1) || CommandTimeout > TimeSpan.FromMinutes(2))
        {
            yield return $"{s}:CommandTimeout must be between 00:00:01 and 00:02:00 (was {CommandTimeout}).";
        }
    }
}

/// <summary>Section <c>Ioc:Alerting:Silences</c>: how long silences and maintenance windows may be.</summary>
public sealed class SilenceOptions
{
    /// <summary>The longest one-off silence or maintenance window.</summary>
    public TimeSpan MaxDuration { get; set; } = SilenceLimits.Default.MaxDuration;

    /// <summary>The longest span a recurring maintenance window may repeat over.</summary>
    public TimeSpan MaxRecurringSpan { get; set; } = SilenceLimits.Default.MaxRecurringSpan;

    public SilenceLimits ToLimits() => new() { MaxDuration = MaxDuration, MaxRecurringSpan = MaxRecurringSpan };
}

public sealed class FlappingOptions
{
    /// <summary>State changes within <see cref="Window"/> that make an alert flapping.</summary>
    public int Transitions { get; set; } = 4;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A flapping alert settles when it has not changed for this long.</summary>
    public TimeSpan QuietPeriod { get; set; } = TimeSpan.FromMinutes(10);
}

public sealed class EscalationOptions
{
    /// <summary>Severities that escalate; empty means critical only. (Empty by default: the configuration binder appends to lists.)</summary>
    public List<AlertSeverity> Severities { get; set; } = [];

    public bool Escalates(AlertSeverity severity) => Severities.Count == 0 ? severity == AlertSeverity.Critical : Severities.Contains(severity);

    public List<EscalationLevel> Levels { get; set; } = [];
}

/// <summary>An unacknowledged alert reaches this level <see cref="After"/> it fired; the level's targets are notified.</summary>
public sealed class EscalationLevel
{
    public string Name { get; set; } = string.Empty;

    public TimeSpan After { get; set; }

    public List<string> Webhooks { get; set; } = [];

    public List<string> Emails { get; set; } = [];

    /// <summary>Names of <c>Notifications:Telegram</c> channels; every chat of each is told.</summary>
    public List<string> Telegram { get; set; } = [];
}

public sealed class NotificationOptions
{
    /// <summary>New alerts wait this long before notifying, so device alerts can be grouped under a district alert and short blips dropped.</summary>
    public TimeSpan GroupWait { get; set; } = TimeSpan.FromSeconds(15);

    public int MaxAttempts { get; set; } = 6;

    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(10);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Base address of the dashboard, for links in messages (<c>{DashboardUrl}/alerts/{id}</c>); when unset,
    /// <c>Ioc:Dashboard:PublicUrl</c> is used.
    /// </summary>
    public string? DashboardUrl { get; set; }

    /// <summary>The time zone of times in messages and of quiet hours (IANA id).</summary>
    public string TimeZone { get; set; } = "Asia/Ho_Chi_Minh";

    public List<WebhookOptions> Webhooks { get; set; } = [];

    public List<TelegramOptions> Telegram { get; set; } = [];

    public EmailOptions? Email { get; set; }

    /// <summary>The zone named by <see cref="TimeZone"/> (UTC+7 when the machine has no tzdata and it is Viet Nam's).</summary>
    public TimeZoneInfo Zone() => NotificationTemplate.FindZone(TimeZone);

    internal IEnumerable<string> Validate(string s)
    {
        if (GroupWait < TimeSpan.Zero || MaxAttempts is < 1 or > 50 || InitialBackoff <= TimeSpan.Zero || MaxBackoff < InitialBackoff || Timeout <= TimeSpan.Zero)
        {
            yield return $"{s}: GroupWait must not be negative, MaxAttempts between 1 and 50, InitialBackoff and Timeout positive, MaxBackoff at least InitialBackoff.";
        }

        if (DashboardUrl is { } dashboard && !IsHttpUrl(dashboard))
        {
            yield return $"{s}:DashboardUrl (or Ioc:Dashboard:PublicUrl) must be the dashboard's absolute http(s) URL, e.g. https://ioc.haiduong.gov.vn/ (was '{dashboard}').";
        }

        if (!NotificationTemplate.TryFindZone(TimeZone, out _))
        {
            yield return $"{s}:TimeZone must be a time zone id such as Asia/Ho_Chi_Minh (was '{TimeZone}').";
        }

        for (var i = 0; i < Webhooks.Count; i++)
        {
            var hook = Webhooks[i];
            var key = $"{s}:Webhooks:{i}";
            if (string.IsNullOrWhiteSpace(hook.Name) || hook.Name.Contains(':', StringComparison.Ordinal) || Webhooks.Count(w => w.Name == hook.Name) > 1)
            {
                yield return $"{key}:Name must be set, unique and without ':'.";
            }

            if (!IsHttpUrl(hook.Url))
            {
                yield return $"{key}:Url must be an http(s) URL (was '{hook.Url}').";
            }

            if (hook.Template == WebhookTemplate.Zalo)
            {
                if (string.IsNullOrWhiteSpace(hook.AccessToken))
                {
                    yield return $"{key}:AccessToken must be set for the zalo template (the Official Account's access token; keep it in a secret, e.g. Ioc__Alerting__Notifications__Webhooks__{i}__AccessToken).";
                }

                if (hook.UserIds.Count == 0 || hook.UserIds.Any(string.IsNullOrWhiteSpace))
                {
                    yield return $"{key}:UserIds must list the Zalo user ids (followers of the Official Account) to message.";
                }
            }
            else if (hook.UserIds.Count > 0)
            {
                yield return $"{key}:UserIds is only for the zalo template (Template was {hook.Template}).";
            }

            foreach (var message in hook.ValidateRoute(key))
            {
                yield return message;
            }
        }

        for (var i = 0; i < Telegram.Count; i++)
        {
            var bot = Telegram[i];
            var key = $"{s}:Telegram:{i}";
            if (string.IsNullOrWhiteSpace(bot.Name) || bot.Name.Contains(':', StringComparison.Ordinal) || Telegram.Count(t => t.Name == bot.Name) > 1)
            {
                yield return $"{key}:Name must be set, unique and without ':'.";
            }

            if (string.IsNullOrWhiteSpace(bot.BotToken) || !bot.BotToken.Contains(':', StringComparison.Ordinal))
            {
                yield return $"{key}:BotToken must be the bot's token from @BotFather (123456:ABC…); keep it in a secret, e.g. Ioc__Alerting__Notifications__Telegram__{i}__BotToken.";
            }

            if (bot.ChatIds.Count == 0)
            {
                yield return $"{key}:ChatIds must list at least one chat id (a number such as -1001234567890, or @channelname).";
            }

            foreach (var chat in bot.ChatIds.Where(c => !TelegramOptions.IsChatId(c)))
            {
                yield return $"{key}:ChatIds entry '{chat}' is neither a number nor an @channelname.";
            }

            if (bot.ApiUrl is { } api && !IsHttpUrl(api))
            {
                yield return $"{key}:ApiUrl must be an http(s) URL of a Bot API server (was '{api}'); leave it unset for https://api.telegram.org.";
            }

            foreach (var message in bot.ValidateRoute(key))
            {
                yield return message;
            }
        }

        if (Email is { } email)
        {
            if (string.IsNullOrWhiteSpace(email.Host) || email.Port is < 1 or > 65535)
            {
                yield return $"{s}:Email: Host and Port (1-65535) must be set.";
            }

            if (!IsAddress(email.From))
            {
                yield return $"{s}:Email:From must be an e-mail address (was '{email.From}').";
            }

            foreach (var to in email.To.Where(a => !IsAddress(a)))
            {
                yield return $"{s}:Email:To entry '{to}' is not an e-mail address.";
            }

            foreach (var message in email.ValidateRoute($"{s}:Email"))
            {
                yield return message;
            }
        }
    }

    private static bool IsHttpUrl(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    private static bool IsAddress(string? text) => System.Net.Mail.MailAddress.TryCreate(text, out _);
}

/// <summary>
/// Which alerts a channel hears of and how: at least <see cref="MinSeverity"/>, and when set, only these sites, districts
/// (by the site registry's district) and rule ids; outside <see cref="QuietHours"/> for all but critical alerts; in
/// <see cref="Language"/>. Escalations go to the level's channels whatever their routing.
/// </summary>
public abstract class ChannelRouteOptions
{
    /// <summary>Only alerts at least this severe are sent here (escalations always are).</summary>
    public AlertSeverity MinSeverity { get; set; } = AlertSeverity.Warning;

    /// <summary>Site slugs; empty means every site.</summary>
    public List<string> Sites { get; set; } = [];

    /// <summary>District slugs (<c>thanh-ha</c>); empty means every district. Provincial alerts have no district.</summary>
    public List<string> Districts { get; set; } = [];

    /// <summary>Rule ids; empty means every rule.</summary>
    public List<string> Rules { get; set; } = [];

    /// <summary>A local-time window when only critical alerts are sent; the rest wait until it ends.</summary>
    public QuietHoursOptions? QuietHours { get; set; }

    /// <summary>The language of messages: <c>vi</c> (default) or <c>en</c>.</summary>
    public Language Language { get; set; } = Language.Vi;

    internal IEnumerable<string> ValidateRoute(string key)
    {
        if (!Enum.IsDefined(MinSeverity))
        {
            yield return $"{key}:MinSeverity must be info, warning, minor, major or critical.";
        }

        if (!Enum.IsDefined(Language))
        {
            yield return $"{key}:Language must be vi or en.";
        }

        if (QuietHours is { } quiet)
        {
            if (!QuietHoursOptions.TryParse(quiet.From, out var from) || !QuietHoursOptions.TryParse(quiet.To, out var to))
            {
                yield return $"{key}:QuietHours: From and To must be local times HH:mm (were '{quiet.From}' and '{quiet.To}').";
            }
            else if (from == to)
            {
                yield return $"{key}:QuietHours: From and To must differ (both were {quiet.From}).";
            }
        }
    }
}

/// <summary>From <see cref="From"/> to <see cref="To"/> local time (HH:mm); a window may cross midnight (22:00 → 06:00).</summary>
public sealed class QuietHoursOptions
{
    public string From { get; set; } = "22:00";

    public string To { get; set; } = "06:00";

    public static bool TryParse(string? text, out TimeOnly time) =>
        TimeOnly.TryParseExact(text, ["HH:mm", "H:mm"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out time);
}

/// <summary>The payload a webhook gets.</summary>
public enum WebhookTemplate
{
    /// <summary>Ioc's JSON: <c>{"event", "notificationId", "text", "alert": {…}}</c>.</summary>
    Generic,

    /// <summary>Microsoft Teams (incoming webhook or Workflows): a message with one Adaptive Card.</summary>
    Teams,

    /// <summary>Zalo Official Account message API: one text message per user id, the OA's access token in a header.</summary>
    Zalo,
}

public sealed class WebhookOptions : ChannelRouteOptions
{
    public string Name { get; set; } = string.Empty;

    public string Url { get; set; } = string.Empty;

    public WebhookTemplate Template { get; set; } = WebhookTemplate.Generic;

    public Dictionary<string, string> Headers { get; set; } = [];

    /// <summary>Template of the generic payload's <c>text</c> field (Slack/Mattermost-compatible).</summary>
    public string TextTemplate { get; set; } = "[{severityText}] {eventText}: {summary} ({place}) #{id}";

    /// <summary>Zalo: the Official Account's access token (sent in the <c>access_token</c> header). A secret.</summary>
    public string? AccessToken { get; set; }

    /// <summary>Zalo: the followers' user ids; each gets the message.</summary>
    public List<string> UserIds { get; set; } = [];
}

/// <summary>A Telegram bot that posts to chats (a group, a channel or a person who started the bot).</summary>
public sealed class TelegramOptions : ChannelRouteOptions
{
    public string Name { get; set; } = string.Empty;

    /// <summary>The bot's token from @BotFather. A secret: set it from the environment or a secret store, never in the repository.</summary>
    public string? BotToken { get; set; }

    /// <summary>Chat ids (<c>-1001234567890</c>) or public channel names (<c>@ioc_haiduong</c>); each gets the message.</summary>
    public List<string> ChatIds { get; set; } = [];

    /// <summary>A Bot API server other than https://api.telegram.org (a local Bot API server, or a test fake).</summary>
    public string? ApiUrl { get; set; }

    internal static bool IsChatId(string? text) =>
        !string.IsNullOrWhiteSpace(text) && (long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _) || (text.StartsWith('@') && text.Length > 1));
}

public sealed class EmailOptions : ChannelRouteOptions
{
    public EmailOptions()
    {
        MinSeverity = AlertSeverity.Major;
    }

    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 25;

    public bool EnableSsl { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    public string From { get; set; } = string.Empty;

    public List<string> To { get; set; } = [];

    public string SubjectTemplate { get; set; } = "[IOC {severityText}] {eventText}: {summary}";

    /// <summary>Vietnamese first, then the same in English (placeholders in docs/alerting.md).</summary>
    public string BodyTemplate { get; set; } = """
        Cảnh báo #{id}: {eventText} lúc {atLocal}

        Quy tắc:    {rule}
        Mức độ:     {severityText}
        Đối tượng:  {subject}
        Địa điểm:   {place}
        Trạng thái: {stateText}
        Nội dung:   {summary}
        Phát lúc:   {firedAtLocal}
        Cấp leo thang: {escalationLevel}

        {link}

        --
        Alert #{id}: {eventTextEn} at {at}
        Rule:      {ruleEn}
        Severity:  {severityTextEn}
        Place:     {placeEn}
        State:     {stateTextEn}
        Summary:   {summaryEn}
        Fired at:  {firedAt}
        """;
}

/// <summary>The broker is <c>Ioc:Mqtt</c> (overridable in <c>Ioc:Mqtt:Alerting</c>, e.g. the engine's own credentials).</summary>
public sealed class AnnouncementOptions
{
    /// <summary>Publish alert and health changes to MQTT under <c>ioc/v1/_system/</c>.</summary>
    public bool Enabled { get; set; }
}
