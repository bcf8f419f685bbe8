using System.Text.Json;
using System.Text.Json.Nodes;
using Ioc.Alerting.Hosting;
using Ioc.Storage.Operational;
using Microsoft.Extensions.Logging;

namespace Ioc.Alerting.Rules.Catalogue;

/// <summary>
/// One rule of the catalogue: as stored, and as validated (<see cref="Rule"/>, enabled or not). A stored rule this
/// build's loader refuses has no <see cref="Rule"/>: it is kept untouched and does not run; <see cref="Problems"/> says
/// why (rule, key, English and Vietnamese), until it is fixed or deleted.
/// </summary>
/// <summary>
/// The engine's view of one catalogue snapshot: the enabled rules that run and the ids of the stored rules the loader
/// refuses, taken together so that they agree (<see cref="Generation"/> counts snapshots, for removal reasons).
/// </summary>
public sealed record ActiveRules(RuleSet Set, IReadOnlySet<string> NotRunning, long Generation);

public sealed record CatalogRule(StoredRule Stored, AlertRule? Rule, IReadOnlyList<RuleProblem> Problems)
{
    public CatalogRule(StoredRule stored, AlertRule rule)
        : this(stored, rule, [])
    {
    }

    /// <summary>False when the loader refused the stored definition: the rule is in the catalogue but not evaluated.</summary>
    [System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Rule))]
    public bool Runs => Rule is not null;
}

/// <summary>
/// The current rules (the provider that replaces a rule set fixed at start-up): the rule catalogue in the operational
/// store (<see cref="IRuleCatalogStore"/>), seeded from the rules file on first start, validated with the file's own
/// checks (<see cref="RuleLoader"/>), and re-read after every change. The site map and district list stay the file's.
/// <see cref="Current"/> is replaced, never mutated: the engine compares references on its loop and swaps
/// (<see cref="Engine.AlertEngine"/>); a rule whose definition did not change keeps its <see cref="AlertRule"/>
/// instance across snapshots, which is how the engine tells kept rules from changed ones.
/// </summary>
public sealed class RuleCatalog : Ioc.Contract.IDegradedReasons
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions Compact = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly IRuleCatalogStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<RuleCatalog> _logger;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly Dictionary<string, (string Reason, long From)> _removalReasons = new(StringComparer.Ordinal);
    private Snapshot _snapshot;

    public RuleCatalog(RuleSet file, AlertingOptions options, IRuleCatalogStore store, TimeProvider time, ILogger<RuleCatalog> logger)
    {
        File = file;
        FilePath = AlertingServiceCollectionExtensions.RulesFilePath(options);
        _store = store;
        _time = time;
        _logger = logger;
        _snapshot = new Snapshot(new ActiveRules(file, new HashSet<string>(StringComparer.Ordinal), 0), [], new Dictionary<string, (string, AlertRule)>(StringComparer.Ordinal), Loaded: false, []);
    }

    /// <summary>The rules file as loaded at start-up: its site map and districts apply to the catalogue's rules.</summary>
    public RuleSet File { get; }

    /// <summary>The configured rules file (import reads it again; export writes its format).</summary>
    public string FilePath { get; }

    /// <summary>The enabled rules now; the file's until <see cref="LoadAsync"/> has read the catalogue.</summary>
    public RuleSet Current => _snapshot.Active.Set;

    /// <summary>The enabled rules now with the refused ids of the same snapshot (what the engine swaps to).</summary>
    public ActiveRules Active => _snapshot.Active;

    /// <summary>Every rule of the catalogue, enabled or not, by id.</summary>
    public IReadOnlyList<CatalogRule> Rules => _snapshot.Rules;

    public bool IsLoaded => _snapshot.Loaded;

    /// <summary>The stored rules this build's loader refuses: kept in the catalogue, not evaluated (see <see cref="CatalogRule.Problems"/>).</summary>
    public IReadOnlyList<CatalogRule> NotRunning => _snapshot.NotRunning;

    /// <summary>
    /// The degraded reasons for health (/healthz, the health telemetry): one line naming every rule that does not run
    /// and why; empty when every stored rule runs.
    /// </summary>
    public IReadOnlyList<string> DegradedReasons()
    {
        var refused = _snapshot.NotRunning;
        return refused.Count == 0
            ? []
            : [$"{refused.Count} alert rule(s) not running, refused by the rule loader: " + string.Join("; ", refused.Select(r => string.Join(", ", r.Problems.Select(p => p.Describe(false)))))];
    }

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

    /// <summary>
    /// Re-reads the catalogue; a new snapshot only when something changed. A stored rule the loader refuses (written by
    /// another build, or edited in the database) does not stop the others: it is marked not running with the loader's
    /// reasons, and so is a composite that counts it; every other rule runs.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<CatalogRule> newlyRefused = [];
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            var stored = await _store.ListAsync(cancellationToken);
            var previous = _snapshot;
            if (previous.Loaded && previous.Rules.Count == stored.Count && previous.Rules.Select(r => r.Stored).SequenceEqual(stored))
            {
                return;
            }

            var (parsed, problems) = ValidateEach(stored);
            var byId = new Dictionary<string, (string Definition, AlertRule Rule)>(StringComparer.Ordinal);
            var rules = new List<CatalogRule>(stored.Count);
            for (var i = 0; i < stored.Count; i++)
            {
                var row = stored[i];
                if (parsed[i] is not { } rule)
                {
                    rules.Add(new CatalogRule(row, null, problems[i]));
                    continue;
                }

                // Unchanged definition: the same instance, so that the engine keeps its evaluator's state.
                var kept = previous.ById.TryGetValue(row.Id, out var old) && old.Definition == row.Definition ? old.Rule : rule;
                byId[row.Id] = (row.Definition, kept);
                rules.Add(new CatalogRule(row, kept));
            }

            var enabled = rules.Where(r => r.Runs && r.Rule!.Enabled).Select(r => r.Rule!).ToList();
            var refused = rules.Where(r => !r.Runs).ToList();
            newlyRefused = [.. refused.Where(r => !previous.NotRunning.Any(p => p.Stored == r.Stored))];
            var active = new ActiveRules(new RuleSet(enabled, File.SiteDistricts, "rule catalogue", File.Districts), refused.Select(r => r.Stored.Id).ToHashSet(StringComparer.Ordinal), previous.Active.Generation + 1);
            _snapshot = new Snapshot(active, rules, byId, Loaded: true, refused);
        }
        finally
        {
            _refresh.Release();
        }

        foreach (var rule in newlyRefused)
        {
            Log.RuleNotRunning(_logger, rule.Stored.Id, string.Join("; ", rule.Problems.Select(p => p.Describe(false))));
        }

        Changed?.Invoke();
    }

    /// <summary>
    /// Validates the stored rules together, leaving out the ones the loader refuses: each refused row gets its problems
    /// (a problem names its rule by position or id), and validation runs again without it, so that a composite counting a
    /// refused rule is refused in turn. A problem that names no rule (the document as a whole) is pinned on the rows that
    /// fail on their own.
    /// </summary>
    private (AlertRule?[] Parsed, IReadOnlyList<RuleProblem>[] Problems) ValidateEach(IReadOnlyList<StoredRule> stored)
    {
        var parsed = new AlertRule?[stored.Count];
        var problems = new IReadOnlyList<RuleProblem>[stored.Count];
        var candidates = new List<int>(stored.Count);
        for (var i = 0; i < stored.Count; i++)
        {
            problems[i] = [];
            if (JsonProblem(stored[i]) is { } problem)
            {
                problems[i] = [problem];
            }
            else
            {
                candidates.Add(i);
            }
        }

        while (true)
        {
            try
            {
                var all = Validate(candidates.Select(i => stored[i].Definition)).All;
                for (var k = 0; k < candidates.Count; k++)
                {
                    parsed[candidates[k]] = all[k];
                }

                return (parsed, problems);
            }
            catch (RuleValidationException ex)
            {
                var refused = new Dictionary<int, List<RuleProblem>>();
                foreach (var problem in ex.Problems)
                {
                    var at = problem.Index is { } index && index >= 1 && index <= candidates.Count ? candidates[index - 1]
                        : problem.RuleId is { } id && candidates.FirstOrDefault(i => stored[i].Id == id, -1) is var byId and >= 0 ? byId
                        : -1;
                    if (at >= 0)
                    {
                        // Named by its stored id: an index counts rules of the filtered document, not of the catalogue.
                        var named = problem with { RuleId = problem.RuleId ?? NullIfEmpty(stored[at].Id), Index = null };
                        if (problem.Field == "of" && TryParse(stored[at].Definition)?["of"] is JsonValue of && of.TryGetValue<string>(out var child)
                            && stored.Any(r => r.Id == child) && !candidates.Any(c => stored[c].Id == child))
                        {
                            // The child is stored but refused (left out of this document), not missing.
                            named = named with { En = $"counts rule '{child}', which is not running", Vi = $"đếm quy tắc '{child}', quy tắc này đang không chạy" };
                        }

                        (refused.TryGetValue(at, out var list) ? list : refused[at] = []).Add(named);
                    }
                }

                if (refused.Count == 0)
                {
                    // Nothing named a rule: find the rules that fail on their own.
                    foreach (var i in candidates)
                    {
                        try
                        {
                            Validate([stored[i].Definition]);
                        }
                        catch (RuleValidationException alone) when (alone.Problems.Any(p => p.Field != "of"))
                        {
                            refused[i] = [.. alone.Problems.Select(p => p with { RuleId = p.RuleId ?? NullIfEmpty(stored[i].Id), Index = null })];
                        }
                    }
                }

                if (refused.Count == 0)
                {
                    throw;
                }

                foreach (var (i, list) in refused)
                {
                    problems[i] = list;
                    candidates.Remove(i);
                }
            }
        }
    }

    private static RuleProblem? JsonProblem(StoredRule row)
    {
        try
        {
            return JsonNode.Parse(row.Definition) is JsonObject
                ? null
                : new RuleProblem(NullIfEmpty(row.Id), "json", "the stored definition is not a JSON object", "định nghĩa đã lưu không phải là một đối tượng JSON");
        }
        catch (JsonException ex)
        {
            return new RuleProblem(NullIfEmpty(row.Id), "json",
                $"the stored definition is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine})",
                $"định nghĩa đã lưu không phải JSON hợp lệ (dòng {ex.LineNumber + 1}, byte {ex.BytePositionInLine})");
        }
    }

    private static string? NullIfEmpty(string id) => id.Length == 0 ? null : id;

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

    /// <summary>
    /// The catalogue as a rules file (the format <see cref="RuleLoader"/> reads): version, the file's site map and
    /// districts, every rule. A stored rule that is not valid JSON cannot be written into the file: the export fails
    /// naming it (<see cref="RuleCommandException"/>, vi/en), rather than download a file that silently lacks a rule.
    /// </summary>
    public string Export()
    {
        var unreadable = Rules.Where(r => TryParse(r.Stored.Definition) is null).ToList();
        if (unreadable.Count > 0)
        {
            throw new RuleCommandException(RuleCommandFailure.Invalid, [.. unreadable.Select(r => new RuleProblem(NullIfEmpty(r.Stored.Id), "json",
                "the stored definition is not valid JSON, so the catalogue cannot be exported: fix it in the JSON editor or delete it first",
                "định nghĩa đã lưu không phải JSON hợp lệ nên không thể xuất danh mục: hãy sửa trong trình soạn JSON hoặc xóa quy tắc này trước"))]);
        }

        var document = new JsonObject
        {
            ["version"] = 1,
            ["sites"] = JsonSerializer.SerializeToNode(File.SiteDistricts.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(p => p.Key, p => p.Value)),
            ["districts"] = JsonSerializer.SerializeToNode(File.Districts.Order(StringComparer.Ordinal).ToList()),
            ["rules"] = new JsonArray([.. Rules.Select(r => JsonNode.Parse(r.Stored.Definition))]),
        };
        return document.ToJsonString(Indented);
    }

    /// <summary>
    /// Writes a change through <paramref name="write"/> and, only once the store has taken it, notes why each rule of
    /// <paramref name="removals"/> leaves the active set; then re-reads the catalogue. The write and the notes happen under
    /// the refresh lock, so no refresh (the engine's own every few seconds) sees the written change without its reason,
    /// and a refused write (a version conflict) leaves no reason behind for a later removal to pick up.
    /// </summary>
    public async Task<bool> WriteAsync(Func<Task<bool>> write, IReadOnlyList<(string RuleId, string Reason)> removals, CancellationToken cancellationToken)
    {
        bool written;
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            written = await write();
            if (written)
            {
                foreach (var (ruleId, reason) in removals)
                {
                    NoteRemoval(ruleId, reason);
                }
            }
        }
        finally
        {
            _refresh.Release();
        }

        await RefreshAsync(cancellationToken);
        return written;
    }

    /// <summary>
    /// Why the engine should resolve a rule's open alerts when it leaves the active set (who deleted or disabled it).
    /// Called under the refresh lock right after the write: the reason applies from the next snapshot on.
    /// </summary>
    private void NoteRemoval(string ruleId, string reason)
    {
        lock (_removalReasons)
        {
            _removalReasons[ruleId] = (reason, _snapshot.Active.Generation + 1);
        }
    }

    public bool HasRemovalReason(string ruleId)
    {
        lock (_removalReasons)
        {
            return _removalReasons.ContainsKey(ruleId);
        }
    }

    /// <summary>The reason noted for a removal that snapshot <paramref name="generation"/> includes; a default when none was noted.</summary>
    public string RemovalReason(string ruleId, long generation)
    {
        lock (_removalReasons)
        {
            return _removalReasons.TryGetValue(ruleId, out var noted) && noted.From <= generation ? noted.Reason : "rule removed from the rule catalogue";
        }
    }

    /// <summary>
    /// Drops every reason for a removal that snapshot <paramref name="generation"/> includes, once the engine has resolved
    /// the alerts of every rule that left with it: a reason not acted on (the rule had no open alerts) is not kept to
    /// blame someone for a later removal. Reasons noted for later snapshots stay.
    /// </summary>
    public void ForgetRemovalReasons(long generation)
    {
        lock (_removalReasons)
        {
            foreach (var id in _removalReasons.Where(p => p.Value.From <= generation).Select(p => p.Key).ToList())
            {
                _removalReasons.Remove(id);
            }
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

    /// <summary>Pretty JSON for editing and side-by-side views; a definition that is not valid JSON is shown as it is stored.</summary>
    public static string Pretty(string definition) => TryParse(definition)?.ToJsonString(Indented) ?? definition;

    /// <summary>
    /// Two definitions mean the same rule (key order and layout aside). A definition that is not valid JSON (a stored row
    /// edited in the database) is the same as no other: it counts as different.
    /// </summary>
    public static bool SameDefinition(string? a, string? b) =>
        a is not null && b is not null && TryParse(a) is { } left && TryParse(b) is { } right && JsonNode.DeepEquals(left, right);

    /// <summary>The definition as a JSON object; null when it is not valid JSON or not an object.</summary>
    public static JsonObject? TryParse(string definition)
    {
        try
        {
            return JsonNode.Parse(definition) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static bool IsEnabled(string definition) =>
        JsonNode.Parse(definition)?["enabled"] is not { } flag || flag.GetValueKind() != JsonValueKind.False;

    /// <summary>The definition with <c>enabled</c> set (the key is dropped when enabled: the default).</summary>
    public static string WithEnabled(string definition, bool enabled)
    {
        var node = TryParse(definition) ?? throw RuleCommandException.One(RuleCommandFailure.Invalid, null, "json",
            "the stored definition is not valid JSON: fix it in the JSON editor (or delete the rule) before enabling or disabling it",
            "định nghĩa đã lưu không phải JSON hợp lệ: hãy sửa trong trình soạn JSON (hoặc xóa quy tắc) trước khi bật hoặc tắt");
        node.Remove("enabled");
        if (!enabled)
        {
            node["enabled"] = false;
        }

        return node.ToJsonString(Compact);
    }

    private sealed record Snapshot(ActiveRules Active, IReadOnlyList<CatalogRule> Rules, Dictionary<string, (string Definition, AlertRule Rule)> ById, bool Loaded, IReadOnlyList<CatalogRule> NotRunning);
}
