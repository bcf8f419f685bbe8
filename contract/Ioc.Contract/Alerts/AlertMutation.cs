namespace Ioc.Contract.Alerts;

/// <summary>The result of changing an alert in one transaction: the new row and the audit lines to append.</summary>
public sealed record AlertMutation(Alert Alert, IReadOnlyList<(string Actor, string Action, string? Detail)> Audit);
