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
            throw new RuleValidationException(path, [new RuleProblem(null, "file", "the rules file does not exist (set Ioc:Alerting:RulesPath)", "tệp quy tắc không tồn tại (đặt Ioc:Alerting:RulesPath)")]);
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Validates a rules file; the enabled rules, ready to evaluate. Throws <see cref="RuleValidationException"/> with every problem.</summary>
    public static RuleSet Parse(string json, string source) => ParseAll(json, source).Enabled;

    /// <summary>Validates a rules file: every rule (enabled or not) and the set of enabled ones.</summary>
    public static ParsedRules ParseAll(string json, string source)
    {
        RuleFile? file;
        try
        {
            file = JsonSerializer.Deserialize<RuleFile>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            var where = $"line {ex.LineNumber + 1}, byte {ex.BytePositionInLine}";
            throw new RuleValidationException(source, [new RuleProblem(null, "json", $"not valid JSON ({where}): {ex.Message.Split(". ")[0]}", $"không phải JSON hợp lệ (dòng {ex.LineNumber + 1}, byte {ex.BytePositionInLine}): {ex.Message.Split(". ")[0]}")]);
        }

        if (file is null)
        {
            throw new RuleValidationException(source, [new RuleProblem(null, "file", "the file is empty", "tệp trống")]);
        }

        var errors = new List<RuleProblem>();
        if (file.Version != 1)
        {
            errors.Add(new RuleProblem(null, "version", $"'version' must be 1 (was {file.Version})", $"'version' phải là 1 (đang là {file.Version})"));
        }

        var sites = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (site, district) in file.Sites ?? [])
        {
            if (!Names.IsSlug(site) || !Names.IsSlug(district ?? string.Empty))
            {
                errors.Add(new RuleProblem(null, "sites", $"sites: '{site}' → '{district}' must map a site slug to a district slug ([a-z0-9-]{{1,64}})", $"sites: '{site}' → '{district}' phải ánh xạ mã địa điểm sang mã huyện ([a-z0-9-]{{1,64}})"));
                continue;
            }

            sites[site] = district!;
        }

        foreach (var district in file.Districts ?? [])
        {
            if (!Names.IsSlug(district))
            {
                errors.Add(new RuleProblem(null, "districts", $"districts: '{district}' is not a slug ([a-z0-9-]{{1,64}})", $"districts: '{district}' không phải là mã hợp lệ ([a-z0-9-]{{1,64}})"));
            }
        }

        var rules = new List<AlertRule>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var definition in file.Rules ?? [])
        {
            index++;
            var ruleErrors = new Problems();
            var rule = Build(definition, ruleErrors);
            if (definition.Id is { Length: > 0 } && !ids.Add(definition.Id))
            {
                ruleErrors.Add("id", "the id is used by another rule", "mã (id) này đã được một quy tắc khác dùng");
            }

            var id = definition.Id is { Length: > 0 } named ? named : null;
            errors.AddRange(ruleErrors.Select(e => new RuleProblem(id, e.Field, e.En, e.Vi, index)));
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
                errors.Add(new RuleProblem(rule.Id, "of", $"'of' names rule '{rule.ChildRuleId}', which does not exist", $"'of' nêu quy tắc '{rule.ChildRuleId}', quy tắc này không tồn tại"));
            }
            else if (child.Kind == RuleKind.Composite)
            {
                errors.Add(new RuleProblem(rule.Id, "of", $"'of' must name a device rule, not the composite rule '{child.Id}'", $"'of' phải nêu một quy tắc thiết bị, không phải quy tắc tổng hợp '{child.Id}'"));
            }
        }

        if (errors.Count > 0)
        {
            throw new RuleValidationException(source, errors);
        }

        return new ParsedRules(rules, new RuleSet(rules.Where(r => r.Enabled).ToList(), sites, source, file.Districts));
    }

    private static AlertRule? Build(RuleDefinition d, Problems errors)
    {
        if (d.Unknown is { Count: > 0 })
        {
            errors.Add(d.Unknown.Keys.First(), $"unknown key(s) {string.Join(", ", d.Unknown.Keys.Select(k => $"'{k}'"))}", $"khóa không được hỗ trợ: {string.Join(", ", d.Unknown.Keys.Select(k => $"'{k}'"))}");
        }

        if (string.IsNullOrEmpty(d.Id) || !Names.IsKey(d.Id) || d.Id.Length > 64)
        {
            errors.Add("id", "'id' is required: a name like env-high-temp ([A-Za-z_][A-Za-z0-9_.:/-], at most 64)", "cần có 'id': một tên như env-high-temp ([A-Za-z_][A-Za-z0-9_.:/-], tối đa 64 ký tự)");
        }

        if (!RuleKinds.TryParse(d.Kind, out var kind))
        {
            errors.Add("kind", $"'kind' must be one of threshold, offline, rate, event_count, state, composite (was '{d.Kind}')", $"'kind' phải là một trong threshold, offline, rate, event_count, state, composite (đang là '{d.Kind}')");
            return null;
        }

        if (!AlertSeverities.TryParse(d.Severity, out var severity))
        {
            errors.Add("severity", $"'severity' must be one of critical, major, minor, warning, info (was '{d.Severity}')", $"'severity' phải là một trong critical, major, minor, warning, info (đang là '{d.Severity}')");
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
    private static LocalizedText? Localized(JsonElement? element, string key, Problems errors)
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
            errors.Add(key, $"'{key}' must be a string or {{ \"vi\": \"…\", \"en\": \"…\" }} (was {value.ValueKind})", $"'{key}' phải là một chuỗi hoặc {{ \"vi\": \"…\", \"en\": \"…\" }} (đang là {value.ValueKind})");
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
                default: errors.Add(key, $"'{key}' has unknown language '{property.Name}' (only 'vi' and 'en')", $"'{key}' có ngôn ngữ không hỗ trợ '{property.Name}' (chỉ 'vi' và 'en')"); break;
            }
        }

        var missing = new[] { ("vi", vi), ("en", en) }.Where(l => string.IsNullOrWhiteSpace(l.Item2)).Select(l => $"'{l.Item1}'").ToList();
        if (missing.Count > 0)
        {
            errors.Add(key, $"'{key}' has no {string.Join(" or ", missing)} text: give both 'vi' (Vietnamese) and 'en' (English)", $"'{key}' thiếu văn bản {string.Join(" hoặc ", missing)}: cần cả 'vi' (tiếng Việt) và 'en' (tiếng Anh)");
            return null;
        }

        return new LocalizedText(vi!, en!);
    }

    private static void CheckPlaceholders(string template, string key, IReadOnlyList<string> groupBy, Problems errors)
    {
        foreach (var placeholder in SummaryFormatter.PlaceholdersOf(template).Distinct(StringComparer.Ordinal))
        {
            if (!SummaryFormatter.Placeholders.Contains(placeholder) && !groupBy.Contains(placeholder))
            {
                var known = SummaryFormatter.Placeholders.Concat(groupBy.Where(g => !AddressGroupKeys.Contains(g))).Distinct();
                errors.Add(key, $"'{key}' uses unknown placeholder '{{{placeholder}}}' (known: {string.Join(", ", known.Select(k => $"{{{k}}}"))})", $"'{key}' dùng biến không xác định '{{{placeholder}}}' (các biến hợp lệ: {string.Join(", ", known.Select(k => $"{{{k}}}"))})");
            }
        }
    }

    private static AlertRule BuildThreshold(AlertRule rule, RuleDefinition d, Problems errors)
    {
        RequireMetric(d, errors);
        return rule with { Comparison = BuildComparison(d, errors), GroupBy = BuildGroupBy(d, errors) };
    }

    private static AlertRule BuildOffline(AlertRule rule, RuleDefinition d, Problems errors)
    {
        var interval = OptionalDuration(d.Interval, "interval", errors);
        var missed = d.Missed ?? 3;
        var status = d.Status ?? true;
        if (interval is null && !status)
        {
            errors.Add("interval", "an offline rule needs 'interval' (no-data detection), 'status': true (last will), or both", "quy tắc offline cần 'interval' (phát hiện mất dữ liệu), 'status': true (last will), hoặc cả hai");
        }

        if (interval is { } i && i < TimeSpan.FromSeconds(1))
        {
            errors.Add("interval", "'interval' must be at least 1s", "'interval' phải từ 1s trở lên");
        }

        if (missed is < 1 or > 1000)
        {
            errors.Add("missed", $"'missed' must be between 1 and 1000 (was {missed})", $"'missed' phải từ 1 đến 1000 (đang là {missed})");
        }

        if (d.GroupBy is not null)
        {
            errors.Add("groupBy", "'groupBy' does not apply to offline rules (they are always per device)", "'groupBy' không áp dụng cho quy tắc offline (luôn tính theo từng thiết bị)");
        }

        return rule with { GroupBy = ["device"], ExpectedInterval = interval, MissedIntervals = missed, OnStatusOffline = status };
    }

    private static AlertRule BuildRate(AlertRule rule, RuleDefinition d, Problems errors)
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
            errors.Add("mode", $"'mode' must be increase or per_second (was '{d.Mode}')", $"'mode' phải là increase hoặc per_second (đang là '{d.Mode}')");
        }

        var window = RequireDuration(d.Window, "window", errors);
        return rule with { RateMode = mode ?? RateMode.Increase, Window = window, Comparison = BuildComparison(d, errors), GroupBy = BuildGroupBy(d, errors) };
    }

    private static AlertRule BuildEventCount(AlertRule rule, RuleDefinition d, Problems errors)
    {
        if (string.IsNullOrEmpty(d.EventType) || !Names.IsKey(d.EventType))
        {
            errors.Add("eventType", "'eventType' is required (the event 'type', e.g. auth_failure)", "cần có 'eventType' ('type' của sự kiện, ví dụ auth_failure)");
        }

        var window = RequireDuration(d.Window, "window", errors);
        var count = d.Count ?? 0;
        if (count < 1)
        {
            errors.Add("count", "'count' must be at least 1", "'count' phải từ 1 trở lên");
        }

        var clearBelow = d.ClearBelow ?? 1;
        if (clearBelow < 1 || clearBelow > count)
        {
            errors.Add("clearBelow", $"'clearBelow' must be between 1 and 'count' (was {clearBelow})", $"'clearBelow' phải từ 1 đến 'count' (đang là {clearBelow})");
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

    private static AlertRule BuildState(AlertRule rule, RuleDefinition d, Problems errors)
    {
        RequireMetric(d, errors);
        var values = new List<string>();
        if (d.EqualsValue is not { } element || element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            errors.Add("equals", "'equals' is required: a string, number, boolean, or an array of them", "cần có 'equals': một chuỗi, số, giá trị đúng/sai, hoặc một mảng các giá trị đó");
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

    private static void AddStateValue(JsonElement element, List<string> values, Problems errors)
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
                errors.Add("equals", $"'equals' values must be strings, numbers or booleans (found {element.ValueKind})", $"giá trị của 'equals' phải là chuỗi, số hoặc đúng/sai (gặp {element.ValueKind})");
                break;
        }
    }

    private static AlertRule BuildComposite(AlertRule rule, RuleDefinition d, Problems errors)
    {
        if (string.IsNullOrEmpty(d.Of))
        {
            errors.Add("of", "'of' is required: the id of the device rule whose alerts are counted (e.g. device-offline)", "cần có 'of': mã của quy tắc thiết bị có cảnh báo được đếm (ví dụ device-offline)");
        }

        var level = d.Level switch
        {
            null or "district" => GroupLevel.District,
            "site" => GroupLevel.Site,
            _ => (GroupLevel?)null,
        };
        if (level is null)
        {
            errors.Add("level", $"'level' must be district or site (was '{d.Level}')", $"'level' phải là district hoặc site (đang là '{d.Level}')");
        }

        var ratio = d.Ratio ?? 0.5;
        if (ratio is <= 0 or > 1)
        {
            errors.Add("ratio", $"'ratio' must be in (0, 1] (was {ratio})", $"'ratio' phải nằm trong (0, 1] (đang là {ratio})");
        }

        var clearRatio = d.ClearRatio ?? ratio;
        if (clearRatio <= 0 || clearRatio > ratio)
        {
            errors.Add("clearRatio", $"'clearRatio' must be in (0, ratio] (was {clearRatio})", $"'clearRatio' phải nằm trong (0, ratio] (đang là {clearRatio})");
        }

        var minDevices = d.MinDevices ?? 3;
        if (minDevices < 1)
        {
            errors.Add("minDevices", "'minDevices' must be at least 1", "'minDevices' phải từ 1 trở lên");
        }

        return rule with { ChildRuleId = d.Of, GroupLevel = level ?? GroupLevel.District, Ratio = ratio, ClearRatio = clearRatio, MinDevices = minDevices };
    }

    private static List<string> BuildGroupBy(RuleDefinition d, Problems errors)
    {
        var groupBy = d.GroupBy ?? ["device"];
        if (groupBy.Count == 0)
        {
            errors.Add("groupBy", "'groupBy' must name at least one key (default: [\"device\"])", "'groupBy' phải nêu ít nhất một khóa (mặc định: [\"device\"])");
        }

        foreach (var key in groupBy)
        {
            if (!AddressGroupKeys.Contains(key) && !Names.IsKey(key))
            {
                errors.Add("groupBy", $"'groupBy' entry '{key}' must be device, site, district, device_type, or a tag / event attribute name", $"mục '{key}' của 'groupBy' phải là device, site, district, device_type, hoặc tên một tag / thuộc tính sự kiện");
            }
        }

        return groupBy;
    }

    private static Comparison? BuildComparison(RuleDefinition d, Problems errors)
    {
        if (!Comparison.TryParseOperator(d.Op, out var op))
        {
            errors.Add("op", $"'op' must be one of >, >=, <, <= (was '{d.Op}')", $"'op' phải là một trong >, >=, <, <= (đang là '{d.Op}')");
            return null;
        }

        if (d.Value is not { } trigger || !double.IsFinite(trigger))
        {
            errors.Add("value", "'value' (the threshold) is required", "cần có 'value' (ngưỡng)");
            return null;
        }

        var clear = d.Clear ?? trigger;
        var above = op is ComparisonOperator.GreaterThan or ComparisonOperator.GreaterOrEqual;
        if (above ? clear > trigger : clear < trigger)
        {
            errors.Add("clear", $"'clear' ({clear}) must be on the safe side of 'value' ({trigger}): {(above ? "at or below" : "at or above")} it, or the alert could never clear", $"'clear' ({clear}) phải ở phía an toàn của 'value' ({trigger}): {(above ? "bằng hoặc thấp hơn" : "bằng hoặc cao hơn")} ngưỡng, nếu không cảnh báo sẽ không bao giờ hết");
        }

        return new Comparison(op, trigger, clear);
    }

    private static void RequireMetric(RuleDefinition d, Problems errors)
    {
        if (string.IsNullOrEmpty(d.Metric) || !Names.IsKey(d.Metric))
        {
            errors.Add("metric", "'metric' is required (a metric name such as temp_c)", "cần có 'metric' (tên chỉ số, ví dụ temp_c)");
        }
    }

    private static TimeSpan RequireDuration(string? text, string key, Problems errors)
    {
        if (!Durations.TryParse(text, out var duration) || duration <= TimeSpan.Zero)
        {
            errors.Add(key, $"'{key}' must be a positive duration such as 60s, 5m or 1h (was '{text}')", $"'{key}' phải là một khoảng thời gian dương như 60s, 5m hoặc 1h (đang là '{text}')");
            return TimeSpan.FromMinutes(1);
        }

        return duration;
    }

    private static TimeSpan? OptionalDuration(string? text, string key, Problems errors)
    {
        if (text is null)
        {
            return null;
        }

        if (!Durations.TryParse(text, out var duration))
        {
            errors.Add(key, $"'{key}' must be a duration such as 30s, 5m or 1h (was '{text}')", $"'{key}' phải là một khoảng thời gian như 30s, 5m hoặc 1h (đang là '{text}')");
            return null;
        }

        return duration;
    }

    private static RuleScope BuildScope(ScopeDefinition? scope, Problems errors)
    {
        if (scope is null)
        {
            return RuleScope.All;
        }

        foreach (var type in scope.DeviceTypes ?? [])
        {
            if (!Names.IsSlug(type))
            {
                errors.Add("scope.deviceTypes", $"scope.deviceTypes entry '{type}' is not a device type slug", $"mục '{type}' của scope.deviceTypes không phải là mã loại thiết bị");
            }
        }

        foreach (var slug in (scope.Sites ?? []).Concat(scope.Districts ?? []))
        {
            if (!Names.IsSlug(slug))
            {
                errors.Add("scope.sites", $"scope site/district '{slug}' is not a slug ([a-z0-9-]{{1,64}})", $"địa điểm/huyện '{slug}' trong scope không phải là mã hợp lệ ([a-z0-9-]{{1,64}})");
            }
        }

        foreach (var device in scope.Devices ?? [])
        {
            if (!Names.IsDeviceId(device))
            {
                errors.Add("scope.devices", $"scope.devices entry '{device}' is not a device id", $"mục '{device}' của scope.devices không phải là mã thiết bị");
            }
        }

        return new RuleScope(scope.DeviceTypes ?? [], scope.Sites ?? [], scope.Districts ?? [], scope.Devices ?? [], scope.Tags ?? []);
    }

    /// <summary>A rule's problems while it is built: the key at fault and the message in English and Vietnamese.</summary>
    private sealed class Problems : List<(string Field, string En, string Vi)>
    {
        public void Add(string field, string en, string vi) => Add((field, en, vi));
    }
}

/// <summary>Every rule of a valid file, enabled or not, and the set of enabled ones the engine evaluates.</summary>
public sealed record ParsedRules(IReadOnlyList<AlertRule> All, RuleSet Enabled);
