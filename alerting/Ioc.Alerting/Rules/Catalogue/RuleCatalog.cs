using System.Text.Json;
using System.Text.Json.Nodes;
using Ioc.Alerting.Hosting;
using Ioc.Storage.Operational;
using Microsoft.Extensions.Logging;

namespace Ioc.Alerting.Rules.Catalogue;

/// <summary>One rule of the catalogue: as stored, and as validated (<see cref="Rule"/>, enabled or not).</summary>
public sealed record CatalogRule(StoredRule Stored, AlertRule Rule);

/// <summary>
/// The current rules (the provider that replaces a rule set fixed at start-up): the rule catalogue in the operational
/// store (<see cref="IRuleCatalogStore"/>), seeded from the rules file on first start, validated with the file's own
/// checks (<see cref="RuleLoader"/>), and re-read after every change. The site map and district list stay the file's.
/// <see cref="Current"/> is replaced, never mutated: the engine compares references on its loop and swaps
/// (<see cref="Engine.AlertEngine"/>); a rule whose definition did not change keeps its <see cref="AlertRule"/>
/// instance across snapshots, which is how the engine tells kept rules from changed ones.
/// </summary>
public sealed class RuleCatalog
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly IRuleCatalogStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<RuleCatalog> _logger;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly Dictionary<string, string> _removalReasons = new(StringComparer.Ordinal);
    private Snapshot _snapshot;

    public RuleCatalog(RuleSet file, AlertingOptions options, IRuleCatalogStore store, TimeProvider time, ILogger<RuleCatalog> logger)
    {
        File = file;
        FilePath = AlertingServiceCollectionExtensions.RulesFilePath(options);
        _store = store;
        _time = time;
        _logger = logger;
        _snapshot = new Snapshot(file, [], new Dictionary<string, (string, AlertRule)>(StringComparer.Ordinal), Loaded: false);
    }

    /// <summary>The rules file as loaded at start-up: its site map and districts apply to the catalogue's rules.</summary>
    public RuleSet File { get; }

    /// <summary>The configured rules file (import reads it again; export writes its format).</summary>
    public string FilePath { get; }

    /// <summary>The enabled rules now; the file's until <see cref="LoadAsync"/> has read the catalogue.</summary>
    public RuleSet Current => _snapshot.Set;

    /// <summary>Every rule of the catalogue, enabled or not, by id.</summary>
    public IReadOnlyList<CatalogRule> Rules => _snapshot.Rules;

    public bool IsLoaded => _snapshot.Loaded;

    /// <summary>Raised after a new snapshot was taken (on the thread that refreshed).</summary>
    public event Action? Changed;

    /// <summary>Seeds the catalogue from the rules file when it has never been seeded, then reads it.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (!await _store.IsSeededAsync(cancellationToken))
        {
            var now = _time.GetUtcNow();
            var seed = FileEntries(await System.IO.File.ReadAllTextAsync(FilePath, cancellationToken))
                .Select(e => new StoredRule(e.Id, e.Definition, IsEnabled(e.Definition), RuleOrigins.File, 1, "rules-file", now, e.Definition))
                .ToList();
            if (await _store.SeedAsync(seed, FilePath, now, cancellationToken))
            {
                Log.CatalogueSeeded(_logger, FilePath, seed.Count);
            }
        }

        await RefreshAsync(cancellationToken);
    }

    /// <summary>Re-reads the catalogue; a new snapshot only when something changed. Throws when the stored rules do not validate.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            var stored = await _store.ListAsync(cancellationToken);
            var previous = _snapshot;
            if (previous.Loaded && previous.Rules.Count == stored.Count && previous.Rules.Select(r => r.Stored).SequenceEqual(stored))
            {
                return;
            }

            var parsed = Validate(stored.Select(r => r.Definition));
            var byId = new Dictionary<string, (string Definition, AlertRule Rule)>(StringComparer.Ordinal);
            var rules = new List<CatalogRule>(stored.Count);
            foreach (var (row, rule) in stored.Zip(parsed.All))
            {
                // Unchanged definition: the same instance, so that the engine keeps its evaluator's state.
                var kept = previous.ById.TryGetValue(row.Id, out var old) && old.Definition == row.Definition ? old.Rule : rule;
                byId[row.Id] = (row.Definition, kept);
                rules.Add(new CatalogRule(row, kept));
            }

            var enabled = rules.Where(r => r.Rule.Enabled).Select(r => r.Rule).ToList();
            _snapshot = new Snapshot(new RuleSet(enabled, File.SiteDistricts, "rule catalogue", File.Districts), rules, byId, Loaded: true);
        }
        finally
        {
            _refresh.Release();
        }

        Changed?.Invoke();
    }

    /// <summary>
    /// Validates rule definitions (rules-file entries) together, with the file's site map and districts, by the file's
    /// own loader: every rule, in order. Throws <see cref="RuleValidationException"/> with every problem.
    /// </summary>
    public ParsedRules Validate(IEnumerable<string> definitions)
    {
        var document = new JsonObject
        {
            ["version"] = 1,
            ["sites"] = JsonSerializer.SerializeToNode(File.SiteDistricts),
            ["districts"] = JsonSerializer.SerializeToNode(File.Districts),
            ["rules"] = new JsonArray([.. definitions.Select(d => JsonNode.Parse(d))]),
        };
        return RuleLoader.ParseAll(document.ToJsonString(), "rule catalogue");
    }

    /// <summary>The catalogue as a rules file (the format <see cref="RuleLoader"/> reads): version, the file's site map and districts, every rule.</summary>
    public string Export()
    {
        var document = new JsonObject
        {
            ["version"] = 1,
            ["sites"] = JsonSerializer.SerializeToNode(File.SiteDistricts.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value)),
            ["districts"] = JsonSerializer.SerializeToNode(File.Districts.Order(StringComparer.Ordinal).ToList()),
            ["rules"] = new JsonArray([.. Rules.Select(r => JsonNode.Parse(r.Stored.Definition))]),
        };
        return document.ToJsonString(Indented);
    }

    /// <summary>Why the engine should resolve a rule's open alerts when it leaves the active set (who deleted or disabled it).</summary>
    public void NoteRemoval(string ruleId, string reason)
    {
        lock (_removalReasons)
        {
            _removalReasons[ruleId] = reason;
        }
    }

    public string TakeRemovalReason(string ruleId)
    {
        lock (_removalReasons)
        {
            return _removalReasons.Remove(ruleId, out var reason) ? reason : "rule removed from the rule catalogue";
        }
    }

    /// <summary>The rules of a rules file, each as its definition (compact JSON, keys as written).</summary>
    public static IReadOnlyList<(string Id, string Definition)> FileEntries(string fileJson)
    {
        var node = JsonNode.Parse(fileJson, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return [.. (node?["rules"]?.AsArray() ?? []).Select(r => (r?["id"]?.GetValue<string>() ?? string.Empty, Normalize(r!.ToJsonString())))];
    }

    /// <summary>A definition as stored and compared: compact JSON, keys in the order written.</summary>
    public static string Normalize(string definition) =>
        JsonNode.Parse(definition, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!.ToJsonString(Compact);

    /// <summary>Pretty JSON for editing and side-by-side views.</summary>
    public static string Pretty(string definition) => JsonNode.Parse(definition)!.ToJsonString(Indented);

    /// <summary>Two definitions mean the same rule (key order and layout aside).</summary>
    public static bool SameDefinition(string? a, string? b) =>
        a is not null && b is not null && JsonNode.DeepEquals(JsonNode.Parse(a), JsonNode.Parse(b));

    public static bool IsEnabled(string definition) =>
        JsonNode.Parse(definition)?["enabled"] is not { } flag || flag.GetValueKind() != JsonValueKind.False;

    /// <summary>The definition with <c>enabled</c> set (the key is dropped when enabled: the default).</summary>
    public static string WithEnabled(string definition, bool enabled)
    {
        var node = JsonNode.Parse(definition)!.AsObject();
        node.Remove("enabled");
        if (!enabled)
        {
            node["enabled"] = false;
        }

        return node.ToJsonString(Compact);
    }

    private sealed record Snapshot(RuleSet Set, IReadOnlyList<CatalogRule> Rules, Dictionary<string, (string Definition, AlertRule Rule)> ById, bool Loaded);
}
