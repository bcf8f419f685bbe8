using Ioc.Storage.Operational;

namespace Ioc.Alerting.Rules.Catalogue;

/// <summary>
/// Changes to the rule catalogue, run by the engine's host (<see cref="RuleCommands"/>) or sent to it over HTTP
/// (<see cref="Remote.HttpRuleCommands"/>): the engine validates with the rules file's checks, stores (with the audit
/// line) and swaps its rules on its next tick. <c>expectedVersion</c> is the version the user edited; a rule changed
/// meanwhile is refused (<see cref="RuleCommandFailure.Conflict"/>).
/// </summary>
public interface IRuleCommands
{
    Task<StoredRule> CreateAsync(string definition, string user, CancellationToken cancellationToken);

    Task<StoredRule> UpdateAsync(string id, long expectedVersion, string definition, string user, CancellationToken cancellationToken);

    Task<StoredRule> SetEnabledAsync(string id, long expectedVersion, bool enabled, string user, CancellationToken cancellationToken);

    Task DeleteAsync(string id, long expectedVersion, string user, CancellationToken cancellationToken);

    /// <summary>
    /// Imports a rules file: new rules are added, rules changed only in the file are taken, rules changed only in the
    /// dashboard are kept, and every conflict (changed in both) needs a choice in <paramref name="choices"/>.
    /// </summary>
    Task<IReadOnlyList<ImportItem>> ImportAsync(string fileJson, IReadOnlyDictionary<string, ImportChoice> choices, string user, CancellationToken cancellationToken);
}

public enum RuleCommandFailure
{
    Invalid,
    NotFound,
    Conflict,
}

/// <summary>A refused rule change: every problem, in English and Vietnamese, each naming the key at fault.</summary>
public sealed class RuleCommandException(RuleCommandFailure failure, IReadOnlyList<RuleProblem> problems)
    : InvalidOperationException(string.Join("; ", problems.Select(p => p.Describe(false))))
{
    public RuleCommandFailure Failure { get; } = failure;

    public IReadOnlyList<RuleProblem> Problems { get; } = problems;

    public static RuleCommandException One(RuleCommandFailure failure, string? ruleId, string field, string en, string vi) =>
        new(failure, [new RuleProblem(ruleId, field, en, vi)]);
}
