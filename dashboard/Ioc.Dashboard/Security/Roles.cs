namespace Ioc.Dashboard.Security;

/// <summary>The four roles of the console. A user has exactly one.</summary>
public static class Roles
{
    public const string Viewer = "viewer";
    public const string Operator = "operator";
    public const string Engineer = "engineer";
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Viewer, Operator, Engineer, Admin];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}

/// <summary>One policy per kind of action; pages and endpoints check these, never role names.</summary>
public static class Policies
{
    /// <summary>Acknowledge, assign, comment on and resolve alerts (SOC).</summary>
    public const string OperateAlerts = "alerts.operate";

    /// <summary>Create and end silences and maintenance windows.</summary>
    public const string ManageSilences = "silences.manage";

    /// <summary>See rejected messages and their payloads.</summary>
    public const string ViewDeadLetters = "deadletters.view";

    /// <summary>Export data (CSV).</summary>
    public const string ExportData = "data.export";

    /// <summary>Create users, change roles, unlock, read the audit log.</summary>
    public const string ManageUsers = "users.manage";

    /// <summary>Create, edit, enable/disable, delete and import alert rules (others see them read-only).</summary>
    public const string ManageRules = "rules.manage";

    public static IReadOnlyDictionary<string, string[]> RolesByPolicy { get; } = new Dictionary<string, string[]>
    {
        [OperateAlerts] = [Roles.Operator, Roles.Admin],
        [ManageSilences] = [Roles.Operator, Roles.Admin],
        [ViewDeadLetters] = [Roles.Engineer, Roles.Admin],
        [ExportData] = [Roles.Operator, Roles.Engineer, Roles.Admin],
        [ManageUsers] = [Roles.Admin],
        [ManageRules] = [Roles.Engineer, Roles.Admin],
    };
}
