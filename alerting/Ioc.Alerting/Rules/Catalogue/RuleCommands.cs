using System.Text.Json;
using System.Text.Json.Nodes;
using Ioc.Contract.Alerts;
using Ioc.Storage.Operational;

namespace Ioc.Alerting.Rules.Catalogue;

/// <summary>
/// The rule commands in the engine's process: one at a time; each validates the whole catalogue as it would be after
/// the change with the rules file's loader (so a change that breaks another rule, such as deleting the rule a
/// composite counts, is refused; a stored rule that does not run is left out, so it blocks no other change and is
/// fixed by updating it or removed by deleting it), writes it with its audit line, and re-reads the catalogue. The engine takes the new
/// rules on its next tick (<see cref="Engine.AlertEngine"/>).
/// </summary>
public sealed class RuleCommands(RuleCatalog catalog, IRuleCatalogStore store, IAlertStore alerts, TimeProvider time) : IRuleCommands
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public Task<StoredRule> CreateAsync(string definition, string user, CancellationToken cancellationToken) =>
        RunAsync<StoredRule>(async () =>
        {
            var (id, normalized) = ParseDefinition(definition);
            if (catalog.Rules.Any(r => r.Stored.Id == id))
            {
                throw RuleCommandException.One(RuleCommandFailure.Invalid, id, "id", $"a rule with id '{id}' exists already", $"đã có quy tắc với mã '{id}'");
            }

            Validate(catalog.Rules.Where(r => r.Runs).Select(r => r.Stored.Definition).Append(normalized));
            var rule = new StoredRule(id, normalized, RuleCatalog.IsEnabled(normalized), RuleOrigins.Dashboard, 1, user, time.GetUtcNow(), null);
            await WriteAsync([new RuleWrite(id, 0, rule, "rule.create", Describe(rule))], [], user, cancellationToken);
            return rule;
        }, cancellationToken);

    public Task<StoredRule> UpdateAsync(string id, long expectedVersion, string definition, string user, CancellationToken cancellationToken) =>
        RunAsync<StoredRule>(() => UpdateCoreAsync(id, expectedVersion, _ => definition, "rule.update", user, cancellationToken), cancellationToken);

    public Task<StoredRule> SetEnabledAsync(string id, long expectedVersion, bool enabled, string user, CancellationToken cancellationToken) =>
        RunAsync<StoredRule>(() => UpdateCoreAsync(id, expectedVersion, d => RuleCatalog.WithEnabled(d, enabled), enabled ? "rule.enable" : "rule.disable", user, cancellationToken), cancellationToken);

    public Task DeleteAsync(string id, long expectedVersion, string user, CancellationToken cancellationToken) =>
        RunAsync<StoredRule>(async () =>
        {
            var existing = Find(id, expectedVersion);
            Validate(catalog.Rules.Where(r => r.Stored.Id != id && r.Runs).Select(r => r.Stored.Definition));
            await WriteAsync([new RuleWrite(id, existing.Version, null, "rule.delete", Describe(existing))], [(id, $"rule '{id}' deleted by {user}")], user, cancellationToken);
            return existing;
        }, cancellationToken);

    public Task<IReadOnlyList<ImportItem>> ImportAsync(string fileJson, IReadOnlyDictionary<string, ImportChoice> choices, string user, CancellationToken cancellationToken) =>
        RunAsync<IReadOnlyList<ImportItem>>(async () =>
        {
            try
            {
                RuleLoader.ParseAll(fileJson, "import");
            }
            catch (RuleValidationException ex)
            {
                throw new RuleCommandException(RuleCommandFailure.Invalid, ex.Problems);
            }

            var items = RuleImport.Classify(RuleCatalog.FileEntries(fileJson), [.. catalog.Rules.Select(r => r.Stored)]);
            var undecided = items.Where(i => i.Status == ImportStatus.Conflict && !choices.ContainsKey(i.Id)).ToList();
            if (undecided.Count > 0)
            {
                throw new RuleCommandException(RuleCommandFailure.Conflict, [.. undecided.Select(i => new RuleProblem(i.Id, "import",
                    "changed in both the file and the dashboard: choose the file's or the dashboard's version",
                    "đã thay đổi ở cả tệp và bảng điều khiển: hãy chọn phiên bản của tệp hoặc của bảng điều khiển"))]);
            }

            var now = time.GetUtcNow();
            var stored = catalog.Rules.ToDictionary(r => r.Stored.Id, r => r.Stored, StringComparer.Ordinal);
            var writes = new List<RuleWrite>();
            var removals = new List<(string, string)>();
            foreach (var item in items)
            {
                var take = item.Status is ImportStatus.ChangedInFile || (item.Status == ImportStatus.Conflict && choices[item.Id] == ImportChoice.File);
                var keep = item.Status is ImportStatus.ChangedInDashboard || (item.Status == ImportStatus.Conflict && choices[item.Id] == ImportChoice.Dashboard);
                if (item.Status == ImportStatus.New)
                {
                    var rule = new StoredRule(item.Id, item.FileDefinition!, RuleCatalog.IsEnabled(item.FileDefinition!), RuleOrigins.File, 1, user, now, item.FileDefinition);
                    writes.Add(new RuleWrite(item.Id, 0, rule, "rule.import", "new in the rules file: " + Describe(rule)));
                }
                else if (take)
                {
                    var before = stored[item.Id];
                    var rule = before with { Definition = item.FileDefinition!, Enabled = RuleCatalog.IsEnabled(item.FileDefinition!), Origin = RuleOrigins.File, Version = before.Version + 1, ChangedBy = user, ChangedAt = now, FileDefinition = item.FileDefinition };
                    writes.Add(new RuleWrite(item.Id, before.Version, rule, "rule.import", $"file version taken ({item.Status}): " + Describe(rule)));
                    if (before.Enabled && !rule.Enabled)
                    {
                        removals.Add((item.Id, $"rule '{item.Id}' disabled by the rules file imported by {user}"));
                    }
                }
                else if (keep || (item.Status == ImportStatus.Unchanged && !RuleCatalog.SameDefinition(stored[item.Id].FileDefinition, item.FileDefinition)))
                {
                    // The dashboard's definition stays; the file's is recorded so the next import compares with it.
                    var before = stored[item.Id];
                    var rule = before with { Version = before.Version + 1, ChangedBy = user, ChangedAt = now, FileDefinition = item.FileDefinition };
                    writes.Add(new RuleWrite(item.Id, before.Version, rule, "rule.import", keep ? $"dashboard version kept ({item.Status})" : "file version recorded"));
                }
            }

            Validate(ApplyTo(stored, writes, [.. catalog.NotRunning.Select(r => r.Stored.Id)]));
            if (writes.Count > 0)
            {
                await WriteAsync(writes, removals, user, cancellationToken);
            }

            return items;
        }, cancellationToken);

    private async Task<StoredRule> UpdateCoreAsync(string id, long expectedVersion, Func<string, string> change, string action, string user, CancellationToken cancellationToken)
    {
        var existing = Find(id, expectedVersion);
        var (newId, normalized) = ParseDefinition(change(existing.Definition));
        if (newId != id)
        {
            if (catalog.Rules.Any(r => r.Stored.Id == newId))
            {
                throw RuleCommandException.One(RuleCommandFailure.Invalid, newId, "id", $"a rule with id '{newId}' exists already", $"đã có quy tắc với mã '{newId}'");
            }

            if ((await alerts.ListAsync(new AlertFilter { RuleId = id, Limit = 1 }, openOnly: false, cancellationToken)).Count > 0)
            {
                throw RuleCommandException.One(RuleCommandFailure.Invalid, id, "id",
                    $"the id cannot change from '{id}' to '{newId}': alerts exist for this rule (make a new rule instead)",
                    $"không thể đổi mã từ '{id}' sang '{newId}': đã có cảnh báo của quy tắc này (hãy tạo quy tắc mới)");
            }
        }

        if (newId == id && existing.Definition == normalized)
        {
            return existing;
        }

        Validate(catalog.Rules.Where(r => r.Runs || r.Stored.Id == id).Select(r => r.Stored.Id == id ? normalized : r.Stored.Definition));
        var rule = existing with { Id = newId, Definition = normalized, Enabled = RuleCatalog.IsEnabled(normalized), Version = existing.Version + 1, ChangedBy = user, ChangedAt = time.GetUtcNow() };
        (string, string)[] removal = existing.Enabled && !rule.Enabled ? [(id, $"rule '{id}' disabled by {user}")]
            : newId != id ? [(id, $"rule '{id}' renamed to '{newId}' by {user}")]
            : [];
        await WriteAsync([new RuleWrite(id, existing.Version, rule, action, Describe(rule))], removal, user, cancellationToken);
        return rule;
    }

    private StoredRule Find(string id, long expectedVersion)
    {
        var existing = catalog.Rules.FirstOrDefault(r => r.Stored.Id == id)?.Stored
            ?? throw RuleCommandException.One(RuleCommandFailure.NotFound, id, "id", $"there is no rule '{id}'", $"không có quy tắc '{id}'");
        if (existing.Version != expectedVersion)
        {
            throw Stale(id);
        }

        return existing;
    }

    /// <summary>Writes, then (only when written) records why removed rules leave, then re-reads (<see cref="RuleCatalog.WriteAsync"/>).</summary>
    private async Task WriteAsync(IReadOnlyList<RuleWrite> writes, IReadOnlyList<(string RuleId, string Reason)> removals, string user, CancellationToken cancellationToken)
    {
        if (!await catalog.WriteAsync(() => store.ApplyAsync(writes, user, time.GetUtcNow(), cancellationToken), removals, cancellationToken))
        {
            throw Stale(writes[0].Id);
        }
    }

    private static RuleCommandException Stale(string id) => RuleCommandException.One(RuleCommandFailure.Conflict, id, "version",
        "the rule was changed by someone else meanwhile: reload it and apply your change again",
        "quy tắc vừa được người khác thay đổi: hãy tải lại và thực hiện lại thay đổi");

    private async Task<T> RunAsync<T>(Func<Task<T>> command, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await catalog.RefreshAsync(cancellationToken);
            return await command();
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Validate(IEnumerable<string> definitions)
    {
        try
        {
            catalog.Validate(definitions);
        }
        catch (RuleValidationException ex)
        {
            throw new RuleCommandException(RuleCommandFailure.Invalid, ex.Problems);
        }
    }

    /// <summary>The definitions after <paramref name="writes"/>; a rule that does not run and is not written stays out (it blocks nothing).</summary>
    private static IEnumerable<string> ApplyTo(Dictionary<string, StoredRule> stored, List<RuleWrite> writes, HashSet<string> notRunning)
    {
        var after = new Dictionary<string, StoredRule>(stored, StringComparer.Ordinal);
        foreach (var id in notRunning)
        {
            after.Remove(id);
        }

        foreach (var write in writes)
        {
            after[write.Id] = write.Rule!;
        }

        return after.Values.Select(r => r.Definition);
    }

    /// <summary>The definition's id and its stored form; a definition that is not a JSON object is refused.</summary>
    private static (string Id, string Normalized) ParseDefinition(string definition)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(definition, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw RuleCommandException.One(RuleCommandFailure.Invalid, null, "json",
                $"the rule is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine})",
                $"quy tắc không phải JSON hợp lệ (dòng {ex.LineNumber + 1}, byte {ex.BytePositionInLine})");
        }

        if (node is not JsonObject rule)
        {
            throw RuleCommandException.One(RuleCommandFailure.Invalid, null, "json", "a rule is a JSON object, as one entry of the rules file's 'rules'", "một quy tắc là một đối tượng JSON, như một mục trong 'rules' của tệp quy tắc");
        }

        var id = rule["id"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : string.Empty;
        return (id, RuleCatalog.Normalize(definition));
    }

    private static string Describe(StoredRule rule)
    {
        // A stored definition that is not valid JSON (being deleted or fixed) still gets its audit line.
        var kind = RuleCatalog.TryParse(rule.Definition)?["kind"]?.ToString() ?? "?";
        return $"{kind} rule '{rule.Id}', version {rule.Version}{(rule.Enabled ? string.Empty : ", disabled")}";
    }
}
