using System.Text;
using System.Text.Json.Nodes;
using Ioc.Alerting.Text;
using Ioc.Contract.Alerts;

namespace Ioc.Alerting.Notifications;

/// <summary>One labelled line of a message: "Địa điểm: Thanh Hà · An Sơn".</summary>
public sealed record MessageFact(string Label, string Value);

/// <summary>
/// What a person reads about one alert event, in one language (Vietnamese by default): a headline with the severity word
/// and the event, the alert's summary, the facts (rule, device, place, value, time in the configured zone as
/// <c>dd/MM/yyyy HH:mm</c>) and a link back to the alert on the dashboard. Rendered as plain text (Zalo), Telegram HTML
/// (escaped) and a Microsoft Teams Adaptive Card.
/// </summary>
public sealed record NotificationMessage(
    long AlertId,
    string Event,
    AlertSeverity Severity,
    Language Language,
    string Headline,
    string Summary,
    IReadOnlyList<MessageFact> Facts,
    string? Link,
    string LinkText)
{
    /// <summary>Zalo's limit for one text message.</summary>
    public const int ZaloMaxLength = 2000;

    public static NotificationMessage Build(Alert alert, string @event, DateTimeOffset at, string? dashboardUrl, ISiteNames sites, Language language, TimeZoneInfo zone)
    {
        var vi = language == Language.Vi;
        var summary = AlertWords.Pick(alert.Texts?.Summary ?? new Ioc.Contract.Text.LocalizedText(alert.Summary, alert.Summary), language);
        var rule = AlertWords.Pick(alert.Texts?.RuleName ?? new Ioc.Contract.Text.LocalizedText(alert.RuleName, alert.RuleName), language);
        var headline = @event == "test"
            ? $"{Mark(alert.Severity, @event)} {NotificationTemplate.EventText(@event, language)}"
            : string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"{Mark(alert.Severity, @event)} {AlertWords.Severity(alert.Severity, language)} · {NotificationTemplate.EventText(@event, language)} #{alert.Id}");
        var facts = new List<MessageFact> { new(vi ? "Quy tắc" : "Rule", rule) };
        if (alert.DeviceId is { } device)
        {
            var type = AlertWords.DeviceType(alert.DeviceType, language);
            facts.Add(new(vi ? "Thiết bị" : "Device", type == "-" ? device : $"{device} ({type})"));
        }

        if (alert.Site is not null || alert.District is not null)
        {
            facts.Add(new(vi ? "Địa điểm" : "Place", AlertWords.Place(alert.Site, alert.District, sites, language)));
        }
        if (alert.Value is { } value)
        {
            facts.Add(new(vi ? "Giá trị" : "Value", AlertWords.Number(value, language)));
        }

        var (timeLabel, time) = @event switch
        {
            "resolved" => (vi ? "Xử lý lúc" : "Resolved at", alert.ResolvedAt ?? at),
            "escalated" => (vi ? "Leo thang lúc" : "Escalated at", alert.EscalatedAt ?? at),
            _ => (vi ? "Phát lúc" : "Fired at", alert.FiredAt),
        };
        facts.Add(new(timeLabel, NotificationTemplate.Local(time, zone)));
        if (@event == "escalated")
        {
            facts.Add(new(vi ? "Cấp leo thang" : "Escalation level", alert.EscalationLevel.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        return new NotificationMessage(
            alert.Id,
            @event,
            alert.Severity,
            language,
            headline,
            summary,
            facts,
            // A test message has no alert to open: it links to the dashboard.
            @event == "test" ? dashboardUrl : NotificationTemplate.Link(dashboardUrl, alert.Id),
            @event == "test" ? (vi ? "Mở bảng điều khiển" : "Open the dashboard") : vi ? "Xem cảnh báo" : "Open the alert");
    }

    /// <summary>Plain text, one fact a line, the link last (Zalo, logs).</summary>
    public string ToText()
    {
        var builder = new StringBuilder();
        builder.Append(Headline).Append('\n').Append(Summary).Append('\n');
        foreach (var fact in Facts)
        {
            builder.Append(fact.Label).Append(": ").Append(fact.Value).Append('\n');
        }

        if (Link is not null)
        {
            builder.Append(LinkText).Append(": ").Append(Link);
        }

        return builder.ToString().TrimEnd('\n');
    }

    /// <summary>Telegram's HTML parse mode: names and values escaped (<c>&lt; &gt; &amp;</c>), the link as an anchor.</summary>
    public string ToTelegramHtml()
    {
        var builder = new StringBuilder();
        builder.Append("<b>").Append(Html(Headline)).Append("</b>\n").Append(Html(Summary)).Append('\n');
        foreach (var fact in Facts)
        {
            builder.Append("<b>").Append(Html(fact.Label)).Append(":</b> ").Append(Html(fact.Value)).Append('\n');
        }

        if (Link is not null)
        {
            builder.Append("<a href=\"").Append(Html(Link)).Append("\">").Append(Html(LinkText)).Append("</a>");
        }

        return builder.ToString().TrimEnd('\n');
    }

    /// <summary>
    /// A Microsoft Teams message with one Adaptive Card (what incoming webhooks and Workflows' "post to a channel when a
    /// webhook request is received" take): headline, summary, a fact set and an "open" button to the alert.
    /// </summary>
    public JsonObject ToTeamsCard()
    {
        var body = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "TextBlock",
                ["text"] = Headline,
                ["weight"] = "Bolder",
                ["size"] = "Medium",
                ["wrap"] = true,
                ["color"] = Event == "resolved" ? "Good" : Severity >= AlertSeverity.Major ? "Attention" : Severity >= AlertSeverity.Warning ? "Warning" : "Accent",
            },
            new JsonObject { ["type"] = "TextBlock", ["text"] = Summary, ["wrap"] = true },
            new JsonObject
            {
                ["type"] = "FactSet",
                ["facts"] = new JsonArray(Facts.Select(f => (JsonNode)new JsonObject { ["title"] = f.Label, ["value"] = f.Value }).ToArray()),
            },
        };
        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = body,
        };
        if (Link is not null)
        {
            card["actions"] = new JsonArray { new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = LinkText, ["url"] = Link } };
        }

        return new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray
            {
                new JsonObject
                {
                    ["contentType"] = "application/vnd.microsoft.card.adaptive",
                    ["contentUrl"] = null,
                    ["content"] = card,
                },
            },
        };
    }

    /// <summary>Zalo Official Account's message API body: <c>{"recipient": {"user_id"}, "message": {"text"}}</c> (text cut to 2000 characters).</summary>
    public JsonObject ToZaloMessage(string userId)
    {
        var text = ToText();
        if (text.Length > ZaloMaxLength)
        {
            text = text[..(ZaloMaxLength - 1)] + "…";
        }

        return new JsonObject
        {
            ["recipient"] = new JsonObject { ["user_id"] = userId },
            ["message"] = new JsonObject { ["text"] = text },
        };
    }

    /// <summary>A mark people see before reading: red for critical, orange for major, yellow for minor and warning, blue for info, green when resolved.</summary>
    public static string Mark(AlertSeverity severity, string @event) => @event == "resolved" ? "✅" : severity switch
    {
        AlertSeverity.Critical => "🔴",
        AlertSeverity.Major => "🟠",
        AlertSeverity.Minor or AlertSeverity.Warning => "🟡",
        _ => "🔵",
    };

    /// <summary>
    /// Escapes what Telegram's HTML mode reads as markup (<c>&amp; &lt; &gt; "</c>) and nothing else: Vietnamese letters stay
    /// as they are (WebUtility.HtmlEncode would turn "à" into an entity).
    /// </summary>
    public static string Html(string text)
    {
        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                _ => c.ToString(),
            });
        }

        return builder.ToString();
    }
}
