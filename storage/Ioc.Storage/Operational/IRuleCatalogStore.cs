namespace Ioc.Storage.Operational;

/// <summary>
/// One rule of the alert rule catalogue as stored: its definition (a rules-file entry, JSON), whether it is enabled,
/// where it came from (<see cref="RuleOrigins"/>), its version (1 when created, +1 per change), who changed it last and
/// when, and the rules file's version of it at the last import (null for a rule made in the dashboard), which is what
/// an import compares against to tell "changed in the file" from "changed in the dashboard".
/// </summary>
public sealed record StoredRule(
    string Id,
    string Definition,
    bool Enabled,
    string Origin,
    long Version,
    string ChangedBy,
    DateTimeOffset ChangedAt,
    string? FileDefinition);

public static class RuleOrigins
{
    public const string File = "file";
    public const string Dashboard = "dashboard";
}

/// <summary>
/// One change of the catalogue: <see cref="Rule"/> is the rule's new state (null deletes <see cref="Id"/>);
/// <see cref="ExpectedVersion"/> is the version the change was made against (0: the rule must not exist yet).
/// <see cref="Action"/> names it in the audit log (<c>rule.create</c>, <c>rule.update</c>, …).
/// </summary>
public sealed record RuleWrite(string Id, long ExpectedVersion, StoredRule? Rule, string Action, string Detail);

/// <summary>
/// The alert rule catalogue (docs/alerting.md "Rules in the dashboard"): the source of truth for the engine's rules once
/// seeded from the rules file. Every change is written with its audit line (before and after JSON) in one transaction.
/// </summary>
public interface IRuleCatalogStore
{
    /// <summary>Every rule, by id.</summary>
    Task<IReadOnlyList<StoredRule>> ListAsync(CancellationToken cancellationToken);

    /// <summary>True once the catalogue has been seeded (it then stays the source of truth, even when emptied).</summary>
    Task<bool> IsSeededAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Seeds an unseeded catalogue with <paramref name="rules"/>; false (and nothing written) when it was seeded already,
    /// by this or another process.
    /// </summary>
    Task<bool> SeedAsync(IReadOnlyList<StoredRule> rules, string source, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>
    /// Applies every write or none: false when a rule's stored version is not the expected one (someone changed it
    /// meanwhile). Each write adds a <c>dashboard_audit</c> line by <paramref name="userName"/> with the definition
    /// before and after.
    /// </summary>
    Task<bool> ApplyAsync(IReadOnlyList<RuleWrite> writes, string userName, DateTimeOffset at, CancellationToken cancellationToken);
}
