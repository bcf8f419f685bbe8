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

            if (level.Webhooks.Count == 0 && level.Emails.Count == 0)
            {
                yield return $"{s}:Escalation:Levels:{i} must name at least one webhook (Webhooks) or e-mail address (Emails).";
            }

            foreach (var name in level.Webhooks.Where(n => Notifications.Webhooks.All(w => w.Name != n)))
            {
                yield return $"{s}:Escalation:Levels:{i}:Webhooks names '{name}', which is not in {s}:Notifications:Webhooks.";
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
}

public sealed class NotificationOptions
{
    /// <summary>New alerts wait this long before notifying, so device alerts can be grouped under a district alert and short blips dropped.</summary>
    public TimeSpan GroupWait { get; set; } = TimeSpan.FromSeconds(15);

    public int MaxAttempts { get; set; } = 6;

    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(10);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Base address of the dashboard, for links in messages (<c>{link}</c>).</summary>
    public string? DashboardUrl { get; set; }

    public List<WebhookOptions> Webhooks { get; set; } = [];

    public EmailOptions? Email { get; set; }

    internal IEnumerable<string> Validate(string s)
    {
        if (GroupWait < TimeSpan.Zero || MaxAttempts is < 1 or > 50 || InitialBackoff <= TimeSpan.Zero || MaxBackoff < InitialBackoff || Timeout <= TimeSpan.Zero)
        {
            yield return $"{s}: GroupWait must not be negative, MaxAttempts between 1 and 50, InitialBackoff and Timeout positive, MaxBackoff at least InitialBackoff.";
        }

        for (var i = 0; i < Webhooks.Count; i++)
        {
            var hook = Webhooks[i];
            if (string.IsNullOrWhiteSpace(hook.Name) || Webhooks.Count(w => w.Name == hook.Name) > 1)
            {
                yield return $"{s}:Webhooks:{i}:Name must be set and unique.";
            }

            if (!Uri.TryCreate(hook.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                yield return $"{s}:Webhooks:{i}:Url must be an http(s) URL (was '{hook.Url}').";
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
        }
    }

    private static bool IsAddress(string? text) => System.Net.Mail.MailAddress.TryCreate(text, out _);
}

public sealed class WebhookOptions
{
    public string Name { get; set; } = string.Empty;

    public string Url { get; set; } = string.Empty;

    /// <summary>Only alerts at least this severe are sent here (escalations always are).</summary>
    public AlertSeverity MinSeverity { get; set; } = AlertSeverity.Warning;

    public Dictionary<string, string> Headers { get; set; } = [];

    /// <summary>Template of the payload's <c>text</c> field (Slack/Mattermost/Teams-compatible).</summary>
    public string TextTemplate { get; set; } = "[{severityText}] {eventText}: {summary} ({place}) #{id}";
}

public sealed class EmailOptions
{
    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; } = 25;

    public bool EnableSsl { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    public string From { get; set; } = string.Empty;

    public List<string> To { get; set; } = [];

    public AlertSeverity MinSeverity { get; set; } = AlertSeverity.Major;

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
