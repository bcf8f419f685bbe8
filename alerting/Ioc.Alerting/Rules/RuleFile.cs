using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ioc.Alerting.Rules;

/// <summary>The rules file as written on disk (JSON). <see cref="RuleLoader"/> validates it into a <see cref="RuleSet"/>.</summary>
public sealed class RuleFile
{
    [JsonPropertyName("version")]
    public int Version { get; set; }

    /// <summary>Site slug → district slug (the 12 district-level units). Sites missing here fall back to a <c>district</c> tag.</summary>
    [JsonPropertyName("sites")]
    public Dictionary<string, string>? Sites { get; set; }

    /// <summary>District slugs; a site not in <see cref="Sites"/> and without a <c>district</c> tag belongs to the district whose slug prefixes it (<c>tu-ky-ngoc-son</c> → <c>tu-ky</c>).</summary>
    [JsonPropertyName("districts")]
    public List<string>? Districts { get; set; }

    [JsonPropertyName("rules")]
    public List<RuleDefinition>? Rules { get; set; }
}

public sealed class ScopeDefinition
{
    [JsonPropertyName("deviceTypes")]
    public List<string>? DeviceTypes { get; set; }

    [JsonPropertyName("sites")]
    public List<string>? Sites { get; set; }

    [JsonPropertyName("districts")]
    public List<string>? Districts { get; set; }

    [JsonPropertyName("devices")]
    public List<string>? Devices { get; set; }

    [JsonPropertyName("tags")]
    public Dictionary<string, string>? Tags { get; set; }
}

public sealed class RuleDefinition
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    /// <summary>A string, or <c>{ "vi": "…", "en": "…" }</c>.</summary>
    [JsonPropertyName("name")]
    public JsonElement? Name { get; set; }

    [JsonPropertyName("description")]
    public string? Description { get; set; }

    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("severity")]
    public string? Severity { get; set; }

    [JsonPropertyName("enabled")]
    public bool? Enabled { get; set; }

    /// <summary>A template string (both languages), or <c>{ "vi": "…", "en": "…" }</c>; placeholders in docs/alerting.md.</summary>
    [JsonPropertyName("summary")]
    public JsonElement? Summary { get; set; }

    [JsonPropertyName("scope")]
    public ScopeDefinition? Scope { get; set; }

    [JsonPropertyName("measurement")]
    public string? Measurement { get; set; }

    [JsonPropertyName("metric")]
    public string? Metric { get; set; }

    [JsonPropertyName("op")]
    public string? Op { get; set; }

    [JsonPropertyName("value")]
    public double? Value { get; set; }

    [JsonPropertyName("clear")]
    public double? Clear { get; set; }

    [JsonPropertyName("for")]
    public string? For { get; set; }

    [JsonPropertyName("status")]
    public bool? Status { get; set; }

    [JsonPropertyName("interval")]
    public string? Interval { get; set; }

    [JsonPropertyName("missed")]
    public int? Missed { get; set; }

    [JsonPropertyName("mode")]
    public string? Mode { get; set; }

    [JsonPropertyName("window")]
    public string? Window { get; set; }

    [JsonPropertyName("eventType")]
    public string? EventType { get; set; }

    [JsonPropertyName("where")]
    public Dictionary<string, string>? Where { get; set; }

    [JsonPropertyName("groupBy")]
    public List<string>? GroupBy { get; set; }

    [JsonPropertyName("count")]
    public int? Count { get; set; }

    [JsonPropertyName("clearBelow")]
    public int? ClearBelow { get; set; }

    [JsonPropertyName("equals")]
    public JsonElement? EqualsValue { get; set; }

    [JsonPropertyName("of")]
    public string? Of { get; set; }

    [JsonPropertyName("level")]
    public string? Level { get; set; }

    [JsonPropertyName("ratio")]
    public double? Ratio { get; set; }

    [JsonPropertyName("clearRatio")]
    public double? ClearRatio { get; set; }

    [JsonPropertyName("minDevices")]
    public int? MinDevices { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; set; }
}
