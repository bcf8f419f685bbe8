using Ioc.Storage.Operational;

namespace Ioc.Alerting.Rules.Catalogue;

public enum ImportStatus
{
    /// <summary>In the file, not in the catalogue: added.</summary>
    New,

    /// <summary>The same in both.</summary>
    Unchanged,

    /// <summary>Changed in the file since the last import, not in the dashboard: the file's version is taken.</summary>
    ChangedInFile,

    /// <summary>Changed in the dashboard, the file still has what was last imported: the dashboard's version is kept.</summary>
    ChangedInDashboard,

    /// <summary>Changed in both (or made in both under one id): the user picks one.</summary>
    Conflict,

    /// <summary>In the catalogue only (made in the dashboard, or gone from the file): kept.</summary>
    OnlyInCatalogue,
}

public enum ImportChoice
{
    File,
    Dashboard,
}

/// <summary>One rule of an import: how it compares, the file's and the catalogue's definitions, and the catalogue's version.</summary>
public sealed record ImportItem(string Id, ImportStatus Status, string? FileDefinition, string? CatalogueDefinition, long Version);

/// <summary>Compares a rules file with the catalogue, rule by rule, against the file's version at the last import.</summary>
public static class RuleImport
{
    public static IReadOnlyList<ImportItem> Classify(IReadOnlyList<(string Id, string Definition)> file, IReadOnlyList<StoredRule> catalogue)
    {
        var stored = catalogue.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var items = new List<ImportItem>(file.Count + catalogue.Count);
        foreach (var (id, definition) in file)
        {
            if (!stored.TryGetValue(id, out var rule))
            {
                items.Add(new ImportItem(id, ImportStatus.New, definition, null, 0));
                continue;
            }

            var status = RuleCatalog.SameDefinition(rule.Definition, definition) ? ImportStatus.Unchanged
                : RuleCatalog.SameDefinition(rule.FileDefinition, definition) ? ImportStatus.ChangedInDashboard
                : RuleCatalog.SameDefinition(rule.Definition, rule.FileDefinition) ? ImportStatus.ChangedInFile
                : ImportStatus.Conflict;
            items.Add(new ImportItem(id, status, definition, rule.Definition, rule.Version));
        }

        var inFile = file.Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
        items.AddRange(catalogue.Where(r => !inFile.Contains(r.Id)).Select(r => new ImportItem(r.Id, ImportStatus.OnlyInCatalogue, null, r.Definition, r.Version)));
        return items;
    }
}
