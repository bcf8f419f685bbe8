using System.Globalization;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Ioc.Alerting.Rules;
using Ioc.Alerting.Rules.Catalogue;
using Ioc.Alerting.Service;
using Ioc.Dashboard.Data;
using Ioc.Dashboard.Security;
using Ioc.Storage.Operational;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace Ioc.Dashboard.Components.Pages;

/// <summary>
/// The rule catalogue page. Changes go to the engine (<see cref="IRuleCommands"/>, in process or over HTTP), which
/// validates them with the rules file's loader, stores them with the audit line (before/after JSON) and swaps its rules.
/// The structured form covers threshold rules and writes the same JSON the JSON editor edits; keys the form does not
/// show are kept as they were.
/// </summary>
public sealed partial class Rules : IDisposable
{
    private const long MaxImportBytes = 1024 * 1024;
    private static readonly string[] FormKeys = ["id", "name", "kind", "severity", "scope", "measurement", "metric", "op", "value", "clear", "for"];

    private IReadOnlyList<CatalogRule> _rules = [];
    private bool _canEdit;
    private bool _busy;
    private Editor? _editor;
    private ImportState? _import;
    private List<RuleProblem> _problems = [];
    private DryRunResult? _dryRun;
    private string? _confirmDelete;
    private string? _message;
    private string? _failure;
    private ClaimsPrincipal _me = new();

    /// <summary>The host's alerting registration provides the catalogue and the commands; without it the page says so.</summary>
    [Inject]
    public required IServiceProvider Services { get; init; }

    private RuleCatalog Catalog => _catalog!;

    private IRuleCommands Commands => _commands!;

    private RuleDryRun DryRun => _dryRunner!;

    private RuleCatalog? _catalog;
    private IRuleCommands? _commands;
    private RuleDryRun? _dryRunner;

    [Inject]
    public required ActionGuard Guard { get; init; }

    [Inject]
    public required DashboardClock Clock { get; init; }

    [Inject]
    public required ISiteDirectory Sites { get; init; }

    [Inject]
    public required Vocabulary Vocab { get; init; }

    [Inject]
    public required IStringLocalizer<Rules> L { get; init; }

    [CascadingParameter]
    private Task<AuthenticationState> AuthState { get; set; } = default!;

    private bool Connected => _catalog is not null;

    protected override async Task OnInitializedAsync()
    {
        _me = (await AuthState).User;
        _catalog = Services.GetService<RuleCatalog>();
        if (_catalog is null)
        {
            return;
        }

        _commands = Services.GetService<IRuleCommands>();
        _dryRunner = Services.GetService<RuleDryRun>();
        _canEdit = _commands is not null && await Guard.CanAsync(_me, Policies.ManageRules);
        _catalog.Changed += OnCatalogChanged;
        await ReloadAsync();
    }

    public void Dispose()
    {
        if (_catalog is not null)
        {
            _catalog.Changed -= OnCatalogChanged;
        }
    }

    private void OnCatalogChanged() => _ = InvokeAsync(() =>
    {
        _rules = Catalog.Rules;
        StateHasChanged();
    });

    private async Task ReloadAsync()
    {
        try
        {
            await Catalog.RefreshAsync(CancellationToken.None);
        }
        catch (RuleValidationException ex)
        {
            _problems = [.. ex.Problems];
        }

        _rules = Catalog.Rules;
    }

    private string User => _me.Identity?.Name ?? "(anonymous)";

    private string ScopeText(RuleScope scope)
    {
        var culture = CultureInfo.CurrentUICulture;
        var parts = new List<string>();
        if (scope.DeviceTypes.Count > 0)
        {
            parts.Add(string.Join(", ", scope.DeviceTypes.Select(Vocab.DeviceType)));
        }

        if (scope.Districts.Count > 0)
        {
            parts.Add(string.Join(", ", scope.Districts));
        }

        if (scope.Sites.Count > 0)
        {
            parts.Add(string.Join(", ", scope.Sites.Select(s => Sites.DisplayName(s, culture))));
        }

        if (scope.Devices.Count > 0)
        {
            parts.Add(string.Join(", ", scope.Devices));
        }

        if (scope.Tags.Count > 0)
        {
            parts.Add(string.Join(", ", scope.Tags.Select(t => $"{t.Key}={t.Value}")));
        }

        return parts.Count == 0 ? L["ScopeAll"] : string.Join(" · ", parts);
    }

    /// <summary>The loader's reasons for a rule that does not run, in the UI language, each naming its key.</summary>
    private static string NotRunningReason(CatalogRule rule) =>
        string.Join("; ", rule.Problems.Select(p => $"{p.Field}: {p.Text(CultureInfo.CurrentUICulture)}"));

    private static string RawKind(StoredRule stored)
    {
        try
        {
            return JsonNode.Parse(stored.Definition)?["kind"] is JsonValue kind && kind.TryGetValue<string>(out var text) ? text : "?";
        }
        catch (System.Text.Json.JsonException)
        {
            return "?";
        }
    }

    private void Clear()
    {
        _problems = [];
        _dryRun = null;
        _message = null;
        _failure = null;
    }

    private void NewRule()
    {
        Clear();
        _import = null;
        _editor = new Editor(null, 0, Json: false, new JsonObject(), string.Empty, new RuleForm());
    }

    private void Edit(CatalogRule rule)
    {
        Clear();
        _import = null;
        // A stored definition that is not valid JSON (edited in the database) opens in the JSON editor on its raw text.
        var node = RuleCatalog.TryParse(rule.Stored.Definition) ?? new JsonObject();
        // A rule that does not run opens in the JSON editor: the form cannot show what the loader refuses.
        var formFits = rule.Rule?.Kind == RuleKind.Threshold && FormCovers(node);
        _editor = new Editor(rule.Stored.Id, rule.Stored.Version, Json: !formFits, node, RuleCatalog.Pretty(rule.Stored.Definition), RuleForm.From(node));
    }

    /// <summary>Keys beyond the form's are kept on save; the form is offered for threshold rules whose scope it can show.</summary>
    private static bool FormCovers(JsonObject node) =>
        node["scope"] is not JsonObject scope || scope.All(p => p.Key is "deviceTypes" or "sites");

    private void ToJson()
    {
        if (_editor is null)
        {
            return;
        }

        if (BuildFromForm(out var json))
        {
            _editor = _editor with { Json = true, JsonText = RuleCatalog.Pretty(json) };
        }
    }

    private void ToForm()
    {
        if (_editor is null)
        {
            return;
        }

        try
        {
            var node = JsonNode.Parse(_editor.JsonText) as JsonObject ?? new JsonObject();
            _editor = _editor with { Json = false, Original = node, Form = RuleForm.From(node) };
        }
        catch (System.Text.Json.JsonException)
        {
            _problems = [new RuleProblem(null, "json", "the JSON cannot be read: fix it in the JSON editor first", "không đọc được JSON: hãy sửa trong trình soạn JSON trước")];
        }
    }

    private void CloseEditor()
    {
        _editor = null;
        Clear();
    }

    /// <summary>The rule's JSON from the form: the original definition with the form's keys replaced.</summary>
    private bool BuildFromForm(out string json)
    {
        json = string.Empty;
        var (node, problems) = _editor!.Form.ToJson(_editor.Original);
        if (problems.Count > 0)
        {
            _problems = problems;
            return false;
        }

        json = node.ToJsonString();
        return true;
    }

    private bool CurrentDefinition(out string json)
    {
        if (_editor!.Json)
        {
            json = _editor.JsonText;
            return true;
        }

        return BuildFromForm(out json);
    }

    private async Task SaveAsync()
    {
        if (_editor is not { } editor)
        {
            return;
        }

        Clear();
        if (!await AllowedAsync(editor.OriginalId is null ? "rule.create" : "rule.update", editor.OriginalId ?? "(new)") || !CurrentDefinition(out var json))
        {
            return;
        }

        await RunAsync(async () =>
        {
            var saved = editor.OriginalId is null
                ? await Commands.CreateAsync(json, User, CancellationToken.None)
                : await Commands.UpdateAsync(editor.OriginalId, editor.Version, json, User, CancellationToken.None);
            _editor = null;
            _message = string.Format(CultureInfo.CurrentCulture, L["Saved"], saved.Id, saved.Version);
        });
    }

    private async Task DryRunAsync()
    {
        if (_editor is null)
        {
            return;
        }

        _problems = [];
        _dryRun = null;
        if (!CurrentDefinition(out var json))
        {
            return;
        }

        await RunAsync(async () => _dryRun = await DryRun.RunAsync(json, TimeSpan.FromHours(1), CancellationToken.None));
    }

    private async Task ToggleAsync(StoredRule rule)
    {
        Clear();
        if (await AllowedAsync(rule.Enabled ? "rule.disable" : "rule.enable", rule.Id))
        {
            await RunAsync(async () =>
            {
                var saved = await Commands.SetEnabledAsync(rule.Id, rule.Version, !rule.Enabled, User, CancellationToken.None);
                _message = string.Format(CultureInfo.CurrentCulture, saved.Enabled ? L["EnabledMessage"] : L["DisabledMessage"], saved.Id);
            });
        }
    }

    private async Task DeleteAsync(StoredRule rule)
    {
        Clear();
        _confirmDelete = null;
        if (await AllowedAsync("rule.delete", rule.Id))
        {
            await RunAsync(async () =>
            {
                await Commands.DeleteAsync(rule.Id, rule.Version, User, CancellationToken.None);
                _message = string.Format(CultureInfo.CurrentCulture, L["DeletedMessage"], rule.Id);
            });
        }
    }

    private void StartImport()
    {
        Clear();
        _editor = null;
        _import = new ImportState(string.Empty, [], []);
    }

    private async Task UploadAsync(InputFileChangeEventArgs e)
    {
        Clear();
        try
        {
            await using var stream = e.File.OpenReadStream(MaxImportBytes);
            using var reader = new StreamReader(stream);
            Classify(await reader.ReadToEndAsync());
        }
        catch (IOException)
        {
            _failure = string.Format(CultureInfo.CurrentCulture, L["ImportTooLarge"], MaxImportBytes / 1024);
        }
    }

    private async Task ReadConfiguredFileAsync()
    {
        Clear();
        try
        {
            Classify(await File.ReadAllTextAsync(Catalog.FilePath));
        }
        catch (IOException ex)
        {
            _failure = string.Format(CultureInfo.CurrentCulture, L["ImportUnreadable"], Catalog.FilePath, ex.Message);
        }
    }

    /// <summary>Validates the file with the loader, then compares it with the catalogue as it is now.</summary>
    private void Classify(string text)
    {
        try
        {
            RuleLoader.ParseAll(text, "import");
        }
        catch (RuleValidationException ex)
        {
            _problems = [.. ex.Problems];
            _import = new ImportState(text, [], []);
            return;
        }

        _import = new ImportState(text, RuleImport.Classify(RuleCatalog.FileEntries(text), [.. _rules.Select(r => r.Stored)]), []);
    }

    private void Choose(string id, ImportChoice? choice)
    {
        if (_import is not null && choice is { } chosen)
        {
            _import.Choices[id] = chosen;
        }
    }

    private async Task ApplyImportAsync()
    {
        if (_import is not { } import)
        {
            return;
        }

        Clear();
        if (!await AllowedAsync("rule.import", "rules file"))
        {
            return;
        }

        await RunAsync(async () =>
        {
            var items = await Commands.ImportAsync(import.Text, import.Choices, User, CancellationToken.None);
            _import = null;
            _message = string.Format(CultureInfo.CurrentCulture, L["Imported"], items.Count(i => i.Status == ImportStatus.New), items.Count(i => i.Status is ImportStatus.ChangedInFile) + import.Choices.Count(c => c.Value == ImportChoice.File));
        });
    }

    /// <summary>Engineers and admins only; a refused attempt is audited.</summary>
    private async Task<bool> AllowedAsync(string action, string target)
    {
        if (_canEdit && await Guard.CanAsync(_me, Policies.ManageRules))
        {
            return true;
        }

        await Guard.AuthorizeAsync(_me, Policies.ManageRules, action, "rule:" + target, string.Empty, CancellationToken.None);
        _failure = L["Forbidden"];
        return false;
    }

    private async Task RunAsync(Func<Task> command)
    {
        _busy = true;
        try
        {
            await command();
            _rules = Catalog.Rules;
        }
        catch (RuleCommandException ex)
        {
            _problems = [.. ex.Problems];
            if (ex.Failure == RuleCommandFailure.Conflict && _import is null)
            {
                _failure = L["Stale"];
                await ReloadAsync();
            }
        }
        catch (AlertEngineUnavailableException ex)
        {
            _failure = string.Format(CultureInfo.CurrentCulture, L["EngineUnavailable"], ex.Message);
        }
        finally
        {
            _busy = false;
        }
    }

    private sealed record Editor(string? OriginalId, long Version, bool Json, JsonObject Original, string JsonText, RuleForm Form)
    {
        public string JsonText { get; set; } = JsonText;
    }

    private sealed record ImportState(string Text, IReadOnlyList<ImportItem> Items, Dictionary<string, ImportChoice> Choices);

    /// <summary>The structured form of a threshold rule; writes the keys of <see cref="FormKeys"/>, nothing else.</summary>
    private sealed class RuleForm
    {
        public string? Id { get; set; }

        public string? NameVi { get; set; }

        public string? NameEn { get; set; }

        public string Severity { get; set; } = "major";

        public string? DeviceTypes { get; set; }

        public string? Sites { get; set; }

        public string? Measurement { get; set; }

        public string? Metric { get; set; }

        public string Op { get; set; } = ">";

        public string? Value { get; set; }

        public string? Clear { get; set; }

        public string? For { get; set; }

        public static RuleForm From(JsonObject node)
        {
            string? Text(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : n?.ToJsonString();
            var name = node["name"];
            var scope = node["scope"] as JsonObject;
            return new RuleForm
            {
                Id = Text(node["id"]),
                NameVi = name is JsonObject o ? Text(o["vi"]) : Text(name),
                NameEn = name is JsonObject e ? Text(e["en"]) : Text(name),
                Severity = Text(node["severity"]) ?? "major",
                DeviceTypes = scope?["deviceTypes"] is JsonArray types ? string.Join(", ", types.Select(Text)) : null,
                Sites = scope?["sites"] is JsonArray sites ? string.Join(", ", sites.Select(Text)) : null,
                Measurement = Text(node["measurement"]),
                Metric = Text(node["metric"]),
                Op = Text(node["op"]) ?? ">",
                Value = node["value"] is JsonValue value ? value.GetValue<double>().ToString(CultureInfo.CurrentCulture) : null,
                Clear = node["clear"] is JsonValue clear ? clear.GetValue<double>().ToString(CultureInfo.CurrentCulture) : null,
                For = Text(node["for"]),
            };
        }

        public (JsonObject Node, List<RuleProblem> Problems) ToJson(JsonObject original)
        {
            var problems = new List<RuleProblem>();
            var node = (JsonObject)original.DeepClone();
            foreach (var key in FormKeys)
            {
                node.Remove(key);
            }

            var result = new JsonObject();
            Put(result, "id", Id?.Trim());
            if (!string.IsNullOrWhiteSpace(NameVi) || !string.IsNullOrWhiteSpace(NameEn))
            {
                result["name"] = new JsonObject { ["vi"] = NameVi?.Trim() ?? string.Empty, ["en"] = NameEn?.Trim() ?? string.Empty };
            }

            result["kind"] = "threshold";
            result["severity"] = Severity;
            var scope = new JsonObject();
            if (List(DeviceTypes) is { Count: > 0 } types)
            {
                scope["deviceTypes"] = new JsonArray([.. types.Select(t => (JsonNode?)t)]);
            }

            if (List(Sites) is { Count: > 0 } sites)
            {
                scope["sites"] = new JsonArray([.. sites.Select(s => (JsonNode?)s)]);
            }

            if (scope.Count > 0)
            {
                result["scope"] = scope;
            }

            Put(result, "measurement", Measurement?.Trim());
            Put(result, "metric", Metric?.Trim());
            result["op"] = Op;
            Number(result, "value", Value, problems);
            Number(result, "clear", Clear, problems);
            Put(result, "for", For?.Trim());
            foreach (var (key, value) in node)
            {
                result[key] = value?.DeepClone();
            }

            return (result, problems);
        }

        private static void Put(JsonObject node, string key, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                node[key] = value;
            }
        }

        private static void Number(JsonObject node, string key, string? text, List<RuleProblem> problems)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return;
            }

            if (double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.CurrentCulture, out var value)
                || double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value))
            {
                node[key] = value;
            }
            else
            {
                problems.Add(new RuleProblem(null, key, $"'{key}' must be a number (was '{text}')", $"'{key}' phải là một số (đang là '{text}')"));
            }
        }

        private static List<string> List(string? text) =>
            [.. (text ?? string.Empty).Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }
}
