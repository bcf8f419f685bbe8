using System.Globalization;
using System.Text.Json;
using Ioc.Contract.Alerts;
using Ioc.Contract;
using Ioc.Contract.Text;
using Ioc.Alerting.Evaluation;

namespace Ioc.Alerting.Rules;

/// <summary>Reads and validates a rules file. A bad rule stops the load with its id and the reason; nothing half-loads.</summary>
public static class RuleLoader
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private static readonly HashSet<string> AddressGroupKeys = ["device", "site", "district", "device_type"];

    public static RuleSet LoadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new RuleValidationException(path, [$"the rules file does not exist (set Ioc:Alerting:RulesPath)"]);
        }

        return Parse(File.ReadAllText(path), path);
    }

    public static RuleSet Parse(string json, string source)
    {
        RuleFile? file;
        try
        {
            file = JsonSerializer.Deserialize<RuleFile>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new RuleValidationException(source, [$"not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine}): {ex.Message.Split(". ")[0]}"]);
        }

        if (file is null)
        {
            throw new RuleValidationException(source, ["the file is empty"]);
        }

        var errors = new List<string>();
        if (file.Version != 1)
        {
            errors.Add($"'version' must be 1 (was {file.Version})");
        }

        var sites = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (site, district) in file.Sites ?? [])
        {
            if (!Names.IsSlug(site) || !Names.IsSlug(district ?? string.Empty))
            {
                errors.Add($"sites: '{site}' → '{district}' must map a site slug to a district slug ([a-z0-9-]{{1,64}})");
                continue;
            }

            sites[site] = district!;
        }

        foreach (var district in file.Districts ?? [])
        {
            if (!Names.IsSlug(district))
            {
                errors.Add($"districts: '{district}' is not a slug ([a-z0-9-]{{1,64}})");
            }
        }

        var rules = new List<AlertRule>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var definition in file.Rules ?? [])
        {
            index++;
            var ruleErrors = new List<string>();
            var rule = Build(definition, ruleErrors);
            var label = definition.Id is { Length: > 0 } id ? $"rule '{id}'" : $"rule #{index}";
            if (definition.Id is { Length: > 0 } && !ids.Add(definition.Id))
            {
                ruleErrors.Add("the id is used by another rule");
            }

            errors.AddRange(ruleErrors.Select(e => $"{label}: {e}"));
            if (ruleErrors.Count == 0 && rule is not null)
            {
                rules.Add(rule);
            }
        }

        foreach (var rule in rules.Where(r => r.Kind == RuleKind.Composite))
        {
            var child = rules.FirstOrDefault(r => r.Id == rule.ChildRuleId);
            if (child is null)
            {
                errors.Add($"rule '{rule.Id}': 'of' names rule '{rule.ChildRuleId}', which does not exist");
            }
            else if (child.Kind == RuleKind.Composite)
            {
                errors.Add($"rule '{rule.Id}': 'of' must name a device rule, not the composite rule '{child.Id}'");
            }
        }

        if (errors.Count > 0)
        {
            throw new RuleValidationException(source, errors);
        }

        return new RuleSet(rules.Where(r => r.Enabled).ToList(), sites, source, file.Districts);
    }

    private static AlertRule? Build(RuleDefinition d, List<string> errors)
    {
        if (d.Unknown is { Count: > 0 })
        {
            errors.Add($"unknown key(s) {string.Join(", ", d.Unknown.Keys.Select(k => $"'{k}'"))}");
        }

        if (string.IsNullOrEmpty(d.Id) || !Names.IsKey(d.Id) || d.Id.Length > 64)
        {
            errors.Add("'id' is required: a name like env-high-temp ([A-Za-z_][A-Za-z0-9_.:/-], at most 64)");
        }

        if (!RuleKinds.TryParse(d.Kind, out var kind))
        {
            errors.Add($"'kind' must be one of threshold, offline, rate, event_count, state, composite (was '{d.Kind}')");
            return null;
        }

        if (!AlertSeverities.TryParse(d.Severity, out var severity))
        {
            errors.Add($"'severity' must be one of critical, major, minor, warning, info (was '{d.Severity}')");
        }

        var forDuration = OptionalDuration(d.For, "for", errors) ?? TimeSpan.Zero;
        var name = Localized(d.Name, "name", errors);
        var summary = Localized(d.Summary, "summary", errors);
        var rule = new AlertRule
        {
            Id = d.Id ?? string.Empty,
            Name = name ?? d.Id ?? string.Empty,
            Description = d.Description,
            Summary = summary,
            Kind = kind,
            Severity = severity,
            Enabled = d.Enabled ?? true,
            Scope = BuildScope(d.Scope, errors),
            Measurement = d.Measurement,
            Metric = d.Metric,
            For = forDuration,
        };

        var built = kind switch
        {
            RuleKind.Threshold => BuildThreshold(rule, d, errors),
            RuleKind.Offline => BuildOffline(rule, d, errors),
            RuleKind.Rate => BuildRate(rule, d, errors),
            RuleKind.EventCount => BuildEventCount(rule, d, errors),
            RuleKind.State => BuildState(rule, d, errors),
            RuleKind.Composite => BuildComposite(rule, d, errors),
            _ => null,
        };
        if (built?.Summary is { } template)
        {
            CheckPlaceholders(template.Vi, "summary.vi", built.GroupBy, errors);
            CheckPlaceholders(template.En, "summary.en", built.GroupBy, errors);
        }

        return built;
    }

    /// <summary>
    /// A text in both languages: a string (the same text for both: the old form) or an object with a non-empty
    /// <c>vi</c> and <c>en</c>. Null when absent.
    /// </summary>
    private static LocalizedText? Localized(JsonElement? element, string key, List<string> errors)
    {
        if (element is not { } value || value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString();
            return string.IsNullOrWhiteSpace(text) ? null : new LocalizedText(text, text);
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"'{key}' must be a string or {{ \"vi\": \"…\", \"en\": \"…\" }} (was {value.ValueKind})");
            return null;
        }

        string? vi = null, en = null;
        foreach (var property in value.EnumerateObject())
        {
            var text = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
            switch (property.Name)
            {
                case "vi": vi = text; break;
                case "en": en = text; break;
                default: errors.Add($"'{key}' has unknown language '{property.Name}' (only 'vi' and 'en')"); break;
            }
        }

        var missing = new[] { ("vi", vi), ("en", en) }.Where(l => string.IsNullOrWhiteSpace(l.Item2)).Select(l => $"'{l.Item1}'").ToList();
        if (missing.Count > 0)
        {
            errors.Add($"'{key}' has no {string.Join(" or ", missing)} text: give both 'vi' (Vietnamese) and 'en' (English)");
            return null;
        }

        return new LocalizedText(vi!, en!);
    }

    private static void CheckPlaceholders(string template, string key, IReadOnlyList<string> groupBy, List<string> errors)
    {
        foreach (var placeholder in SummaryFormatter.PlaceholdersOf(template).Distinct(StringComparer.Ordinal))
        {
            if (!SummaryFormatter.Placeholders.Contains(placeholder) && !groupBy.Contains(placeholder))
            {
                var known = SummaryFormatter.Placeholders.Concat(groupBy.Where(g => !AddressGroupKeys.Contains(g))).Distinct();
                errors.Add($"'{key}' uses unknown placeholder '{{{placeholder}}}' (known: {string.Join(", ", known.Select(k => $"{{{k}}}"))})");
            }
        }
    }

    private static AlertRule BuildThreshold(AlertRule rule, RuleDefinition d, List<string> errors)
    {
        RequireMetric(d, errors);
        return rule with { Comparison = BuildComparison(d, errors), GroupBy = BuildGroupBy(d, errors) };
    }

    private static AlertRule BuildOffline(AlertRule rule, RuleDefinition d, List<string> errors)
    {
        var interval = OptionalDuration(d.Interval, "interval", errors);
        var missed = d.Missed ?? 3;
        var status = d.Status ?? true;
        if (interval is null && !status)
        {
            errors.Add("an offline rule needs 'interval' (no-data detection), 'status': true (last will), or both");
        }

        if (interval is { } i && i < TimeSpan.FromSeconds(1))
        {
            errors.Add("'interval' must be at least 1s");
        }

        if (missed is < 1 or > 1000)
        {
            errors.Add($"'missed' must be between 1 and 1000 (was {missed})");
        }

        if (d.GroupBy is not null)
        {
            errors.Add("'groupBy' does not apply to offline rules (they are always per device)");
        }

        return rule with { GroupBy = ["device"], ExpectedInterval = interval, MissedIntervals = missed, OnStatusOffline = status };
    }

    private static AlertRule BuildRate(AlertRule rule, RuleDefinition d, List<string> errors)
    {
        RequireMetric(d, errors);
        var mode = d.Mode switch
        {
            null or "increase" => RateMode.Increase,
            "per_second" => RateMode.PerSecond,
            _ => (RateMode?)null,
        };
        if (mode is null)
        {
            errors.Add($"'mode' must be increase or per_second (was '{d.Mode}')");
        }

        var window = RequireDuration(d.Window, "window", errors);
        return rule with { RateMode = mode ?? RateMode.Increase, Window = window, Comparison = BuildComparison(d, errors), GroupBy = BuildGroupBy(d, errors) };
    }

    private static AlertRule BuildEventCount(AlertRule rule, RuleDefinition d, List<string> errors)
    {
        if (string.IsNullOrEmpty(d.EventType) || !Names.IsKey(d.EventType))
        {
            errors.Add("'eventType' is required (the event 'type', e.g. auth_failure)");
        }

        var window = RequireDuration(d.Window, "window", errors);
        var count = d.Count ?? 0;
        if (count < 1)
        {
            errors.Add("'count' must be at least 1");
        }

        var clearBelow = d.ClearBelow ?? 1;
        if (clearBelow < 1 || clearBelow > count)
        {
            errors.Add($"'clearBelow' must be between 1 and 'count' (was {clearBelow})");
        }

        var groupBy = BuildGroupBy(d, errors);
        return rule with
        {
            EventType = d.EventType,
            EventWhere = d.Where ?? [],
            GroupBy = groupBy,
            Window = window,
            Count = count,
            ClearBelow = clearBelow,
        };
    }

    private static AlertRule BuildState(AlertRule rule, RuleDefinition d, List<string> errors)
    {
        RequireMetric(d, errors);
        var values = new List<string>();
        if (d.EqualsValue is not { } element || element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            errors.Add("'equals' is required: a string, number, boolean, or an array of them");
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                AddStateValue(item, values, errors);
            }
        }
        else
        {
            AddStateValue(element, values, errors);
        }

        return rule with { StateValues = values, GroupBy = BuildGroupBy(d, errors) };
    }

    private static void AddStateValue(JsonElement element, List<string> values, List<string> errors)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                values.Add(element.GetString()!);
                break;
            case JsonValueKind.Number:
                values.Add(element.GetDouble().ToString("R", CultureInfo.InvariantCulture));
                break;
            case JsonValueKind.True:
                values.Add("true");
                break;
            case JsonValueKind.False:
                values.Add("false");
                break;
            default:
                errors.Add($"'equals' values must be strings, numbers or booleans (found {element.ValueKind})");
                break;
        }
    }

    private static AlertRule BuildComposite(AlertRule rule, RuleDefinition d, List<string> errors)
    {
        if (string.IsNullOrEmpty(d.Of))
        {
            errors.Add("'of' is required: the id of the device rule whose alerts are counted (e.g. device-offline)");
        }

        var level = d.Level switch
        {
            null or "district" => GroupLevel.District,
            "site" => GroupLevel.Site,
            _ => (GroupLevel?)null,
        };
        if (level is null)
        {
            errors.Add($"'level' must be district or site (was '{d.Level}')");
        }

        var ratio = d.Ratio ?? 0.5;
        if (ratio is <= 0 or > 1)
        {
            errors.Add($"'ratio' must be in (0, 1] (was {ratio})");
        }

        var clearRatio = d.ClearRatio ?? ratio;
        if (clearRatio <= 0 || clearRatio > ratio)
        {
            errors.Add($"'clearRatio' must be in (0, ratio] (was {clearRatio})");
        }

        var minDevices = d.MinDevices ?? 3;
        if (minDevices < 1)
        {
            errors.Add("'minDevices' must be at least 1");
        }

        return rule with { ChildRuleId = d.Of, GroupLevel = level ?? GroupLevel.District, Ratio = ratio, ClearRatio = clearRatio, MinDevices = minDevices };
    }

    private static List<string> BuildGroupBy(RuleDefinition d, List<string> errors)
    {
        var groupBy = d.GroupBy ?? ["device"];
        if (groupBy.Count == 0)
        {
            errors.Add("'groupBy' must name at least one key (default: [\"device\"])");
        }

        foreach (var key in groupBy)
        {
            if (!AddressGroupKeys.Contains(key) && !Names.IsKey(key))
            {
                errors.Add($"'groupBy' entry '{key}' must be device, site, district, device_type, or a tag / event attribute name");
            }
        }

        return groupBy;
    }

    private static Comparison? BuildComparison(RuleDefinition d, List<string> errors)
    {
        if (!Comparison.TryParseOperator(d.Op, out var op))
        {
            errors.Add($"'op' must be one of >, >=, <, <= (was '{d.Op}')");
            return null;
        }

        if (d.Value is not { } trigger || !double.IsFinite(trigger))
        {
            errors.Add("'value' (the threshold) is required");
            return null;
        }

        var clear = d.Clear ?? trigger;
        var above = op is ComparisonOperator.GreaterThan or ComparisonOperator.GreaterOrEqual;
        if (above ? clear > trigger : clear < trigger)
        {
            errors.Add($"'clear' ({clear}) must be on the safe side of 'value' ({trigger}): {(above ? "at or below" : "at or above")} it, or the alert could never clear");
        }

        return new Comparison(op, trigger, clear);
    }

    private static void RequireMetric(RuleDefinition d, List<string> errors)
    {
        if (string.IsNullOrEmpty(d.Metric) || !Names.IsKey(d.Metric))
        {
            errors.Add("'metric' is required (a metric name such as temp_c)");
        }
    }

    private static TimeSpan RequireDuration(string? text, string key, List<string> errors)
    {
        if (!Durations.TryParse(text, out var duration) || duration <= TimeSpan.Zero)
        {
            errors.Add($"'{key}' must be a positive duration such as 60s, 5m or 1h (was '{text}')");
            return TimeSpan.FromMinutes(1);
        }

        return duration;
    }

    private static TimeSpan? OptionalDuration(string? text, string key, List<string> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (!Durations.TryParse(text, out var duration))
        {
            errors.Add($"'{key}' must be a duration such as 30s, 5m or 1h (was '{text}')");
            return null;
        }

        return duration;
    }

    private static RuleScope BuildScope(ScopeDefinition? scope, List<string> errors)
    {
        if (scope is null)
        {
            return RuleScope.All;
        }

        foreach (var type in scope.DeviceTypes ?? [])
        {
            if (!Names.IsSlug(type))
            {
                errors.Add($"scope.deviceTypes entry '{type}' is not a device type slug");
            }
        }

        foreach (var slug in (scope.Sites ?? []).Concat(scope.Districts ?? []))
        {
            if (!Names.IsSlug(slug))
            {
                errors.Add($"scope site/district '{slug}' is not a slug ([a-z0-9-]{{1,64}})");
            }
        }

        foreach (var device in scope.Devices ?? [])
        {
            if (!Names.IsDeviceId(device))
            {
                errors.Add($"scope.devices entry '{device}' is not a device id");
            }
        }

        return new RuleScope(scope.DeviceTypes ?? [], scope.Sites ?? [], scope.Districts ?? [], scope.Devices ?? [], scope.Tags ?? []);
    }
}
