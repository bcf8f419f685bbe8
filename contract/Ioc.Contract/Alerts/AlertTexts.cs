using System.Text.Json;
using System.Text.Json.Serialization;
using Ioc.Contract.Text;

namespace Ioc.Contract.Alerts;

/// <summary>
/// What an alert says, in both languages, rendered by the engine when the alert fires (and again on each repeat): the
/// summary with its device, site and district in words, and the rule's name. A page shows the text of its UI culture;
/// <see cref="Alert.Summary"/> and <see cref="Alert.RuleName"/> keep the Vietnamese text for readers that know one
/// string (reporting views, old alerts). Stored as JSON (<see cref="ToJson"/>) in the alert row.
/// </summary>
public sealed record AlertTexts(
    [property: JsonPropertyName("summary")] LocalizedText Summary,
    [property: JsonPropertyName("rule")] LocalizedText RuleName)
{
    public string ToJson() => JsonSerializer.Serialize(this);

    /// <summary>The texts from their stored JSON; null for null, empty or unreadable text (alerts stored before texts existed).</summary>
    public static AlertTexts? FromJson(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        try
        {
            var texts = JsonSerializer.Deserialize<AlertTexts>(json);
            return texts is { Summary: { Vi: not null, En: not null }, RuleName: { Vi: not null, En: not null } } ? texts : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
