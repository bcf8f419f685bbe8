using Ioc.Contract.Alerts;
using Ioc.Alerting.Rules;
using System.Text.Json;
using Ioc.Contract;
using Ioc.Contract.Text;

namespace Ioc.Alerting.Tests.Rules;

public sealed class RuleLoaderTests
{
    [Fact]
    public void LoadFile_DefaultRules_LoadsEveryKind()
    {
        var rules = RuleLoader.LoadFile(Path.Combine(AppContext.BaseDirectory, "Rules", "default-rules.json"));

        Assert.True(rules.Rules.Count >= 20);
        Assert.Equal("tinh", rules.DistrictOf(new DeviceAddress("dc-tinh", "ups", "DC-UPS01"), null));
        Assert.Equal("tu-ky", rules.DistrictOf(new DeviceAddress("tu-ky-ngoc-son", "wifi-ap", "TK-C07-AP1"), null));
        Assert.Equal("hai-duong", rules.DistrictOf(new DeviceAddress("hai-duong", "router", "HD-RTR01"), null));
        foreach (var kind in Enum.GetValues<RuleKind>())
        {
            Assert.Contains(rules.Rules, r => r.Kind == kind);
        }

        Assert.Equal(AlertSeverity.Warning, rules.ById["collector-degraded"].Severity);
        Assert.Equal(AlertSeverity.Critical, rules.ById["collector-failing"].Severity);
        Assert.Equal(RuleKind.EventCount, rules.ById["device-flooding"].Kind);

        var bruteForce = rules.ById["brute-force"];
        Assert.Equal(AlertSeverity.Major, bruteForce.Severity);
        Assert.Equal(["device", "src_ip"], bruteForce.GroupBy);
        Assert.Equal(TimeSpan.FromSeconds(60), bruteForce.Window);
        var overheat = rules.ById["dc-overheat"];
        Assert.Equal(new Comparison(ComparisonOperator.GreaterThan, 32, 30), overheat.Comparison);
        Assert.Equal(TimeSpan.FromMinutes(2), overheat.For);
    }

    [Fact]
    public void Parse_UnknownKind_RefusesNamingTheRule()
    {
        var json = """{"version":1,"rules":[{"id":"hot","kind":"treshold","severity":"major"}]}""";

        var error = Assert.Throws<RuleValidationException>(() => RuleLoader.Parse(json, "test.json"));

        Assert.Contains("rule 'hot': 'kind' must be one of threshold, offline, rate, event_count, state, composite (was 'treshold')", error.Errors);
        Assert.Contains("test.json", error.Message);
    }

    [Fact]
    public void Parse_ClearOnTheWrongSide_RefusesWithTheReason()
    {
        var json = """{"version":1,"rules":[{"id":"hot","kind":"threshold","severity":"major","metric":"temp_c","op":">","value":35,"clear":40}]}""";

        var error = Assert.Throws<RuleValidationException>(() => RuleLoader.Parse(json, "test.json"));

        var message = Assert.Single(error.Errors);
        Assert.StartsWith("rule 'hot': 'clear' (40) must be on the safe side of 'value' (35)", message);
    }

    [Fact]
    public void Parse_SeveralBadRules_ReportsEveryProblemAtOnce()
    {
        var json = """
            {"version":1,"rules":[
              {"id":"a","kind":"threshold","severity":"urgent","metric":"x","op":">","value":1},
              {"id":"b","kind":"event_count","severity":"info","window":"sixty seconds","count":0},
              {"id":"c","kind":"composite","severity":"critical","of":"nope"},
              {"id":"a","kind":"state","severity":"info","metric":"m","equals":true,"colour":"red"}
            ]}
            """;

        var error = Assert.Throws<RuleValidationException>(() => RuleLoader.Parse(json, "test.json"));

        Assert.Contains(error.Errors, e => e.StartsWith("rule 'a': 'severity' must be one of critical, major, minor, warning, info", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("rule 'b': 'eventType' is required", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("rule 'b': 'window' must be a positive duration", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("rule 'b': 'count' must be at least 1", StringComparison.Ordinal));
        Assert.Contains("rule 'c': 'of' names rule 'nope', which does not exist", error.Errors);
        Assert.Contains("rule 'a': unknown key(s) 'colour'", error.Errors);
        Assert.Contains("rule 'a': the id is used by another rule", error.Errors);
    }

    [Fact]
    public void Parse_BrokenJson_RefusesWithTheLine()
    {
        var error = Assert.Throws<RuleValidationException>(() => RuleLoader.Parse("{\"version\": 1,\n \"rules\": [ {\"id\": } ] }", "test.json"));

        Assert.StartsWith("not valid JSON (line 2", Assert.Single(error.Errors));
    }

    [Fact]
    public void Parse_OfflineRuleWithoutAnyTrigger_Refuses()
    {
        var json = """{"version":1,"rules":[{"id":"off","kind":"offline","severity":"major","status":false}]}""";

        var error = Assert.Throws<RuleValidationException>(() => RuleLoader.Parse(json, "test.json"));

        Assert.Contains("rule 'off': an offline rule needs 'interval' (no-data detection), 'status': true (last will), or both", error.Errors);
    }

    [Theory]
    [InlineData("dc-tinh", null, "tp-hai-duong")]
    [InlineData("tu-ky-ngoc-son", null, "tu-ky")]
    [InlineData("thanh-ha", null, "thanh-ha")]
    [InlineData("thanh-hai", null, null)]
    [InlineData("xa-moi", "ninh-giang", "ninh-giang")]
    [InlineData("tu-ky-ngoc-son", "gia-loc", "gia-loc")]
    public void DistrictOf_MapThenTagThenPrefix_FindsTheDistrict(string site, string? tag, string? expected)
    {
        var rules = RuleLoader.Parse("""{"version":1,"districts":["thanh-ha","tu-ky"],"sites":{"dc-tinh":"tp-hai-duong"},"rules":[]}""", "test.json");

        Assert.Equal(expected, rules.DistrictOf(new DeviceAddress(site, "switch", "X"), tag));
    }

    [Theory]
    [InlineData("90s", 90_000)]
    [InlineData("5m", 300_000)]
    [InlineData("1h30m", 5_400_000)]
    [InlineData("500ms", 500)]
    [InlineData("2d", 172_800_000)]
    public void Durations_TryParse_ReadsHumanDurations(string text, double milliseconds)
    {
        Assert.True(Durations.TryParse(text, out var duration));
        Assert.Equal(milliseconds, duration.TotalMilliseconds);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("m")]
    [InlineData("5 minutes")]
    [InlineData("")]
    public void Durations_TryParse_RefusesNonsense(string text) => Assert.False(Durations.TryParse(text, out _));

    [Fact]
    public void LoadFile_DefaultRules_EveryRuleHasItsNameAndSummaryInVietnameseAndEnglish()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Rules", "default-rules.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var rules = RuleLoader.LoadFile(path);

        foreach (var element in document.RootElement.GetProperty("rules").EnumerateArray())
        {
            var id = element.GetProperty("id").GetString()!;
            foreach (var key in new[] { "name", "summary" })
            {
                Assert.True(element.TryGetProperty(key, out var text) && text.ValueKind == JsonValueKind.Object, $"rule '{id}': '{key}' is not {{ vi, en }}");
            }

            var rule = rules.ById[id];
            Assert.NotEqual(rule.Summary!.Vi, rule.Summary.En);
            Assert.NotEqual(rule.Name.Vi, rule.Name.En);
        }
    }

    [Fact]
    public void Parse_LocalizedNameAndSummary_KeepsBothLanguages()
    {
        var json = """
            {"version":1,"rules":[{"id":"hot","kind":"threshold","severity":"major","metric":"temp_c","op":">","value":30,
              "name":{"vi":"Quá nóng","en":"Too hot"},
              "summary":{"vi":"{device} ({place}): {value} {unit}","en":"{device} ({place}): {value} {unit}!"}}]}
            """;

        var rule = Assert.Single(RuleLoader.Parse(json, "test").Rules);

        Assert.Equal(new LocalizedText("Quá nóng", "Too hot"), rule.Name);
        Assert.Equal(new LocalizedText("{device} ({place}): {value} {unit}", "{device} ({place}): {value} {unit}!"), rule.Summary);
    }

    [Fact]
    public void Parse_SingleStringSummary_IsStillAcceptedForBothLanguages()
    {
        var json = """{"version":1,"rules":[{"id":"hot","kind":"threshold","severity":"major","metric":"temp_c","op":">","value":30,"name":"Hot","summary":"{subject} is hot"}]}""";

        var rule = Assert.Single(RuleLoader.Parse(json, "test").Rules);

        Assert.Equal(new LocalizedText("{subject} is hot", "{subject} is hot"), rule.Summary);
        Assert.Equal(new LocalizedText("Hot", "Hot"), rule.Name);
    }

    [Fact]
    public void Parse_LocalizedSummaryMissingALanguage_RefusesNamingRuleAndLanguage()
    {
        var json = """{"version":1,"rules":[{"id":"hot","kind":"threshold","severity":"major","metric":"temp_c","op":">","value":30,"summary":{"vi":"{device} quá nóng"}}]}""";

        var error = Assert.Throws<RuleValidationException>(() => RuleLoader.Parse(json, "test"));

        Assert.Equal("rule 'hot': 'summary' has no 'en' text: give both 'vi' (Vietnamese) and 'en' (English)", Assert.Single(error.Errors));
    }

    [Fact]
    public void Parse_UnknownPlaceholder_RefusesNamingPlaceholderAndLanguage()
    {
        var json = """
            {"version":1,"rules":[{"id":"bf","kind":"event_count","severity":"major","eventType":"auth_failure","groupBy":["device","src_ip"],"window":"60s","count":5,
              "summary":{"vi":"Dò mật khẩu từ {src_ip} vào {device}","en":"Brute force from {src_ip} on {devise}"}}]}
            """;

        var error = Assert.Throws<RuleValidationException>(() => RuleLoader.Parse(json, "test"));

        var message = Assert.Single(error.Errors);
        Assert.StartsWith("rule 'bf': 'summary.en' uses unknown placeholder '{devise}' (known: {subject}, {device},", message);
        Assert.Contains("{src_ip}", message);
    }

    [Fact]
    public void Parse_SummaryWithUnknownLanguage_Refuses()
    {
        var json = """{"version":1,"rules":[{"id":"hot","kind":"threshold","severity":"major","metric":"temp_c","op":">","value":30,"summary":{"vi":"nóng","en":"hot","fr":"chaud"}}]}""";

        var error = Assert.Throws<RuleValidationException>(() => RuleLoader.Parse(json, "test"));

        Assert.Contains("rule 'hot': 'summary' has unknown language 'fr' (only 'vi' and 'en')", error.Errors);
    }
}
