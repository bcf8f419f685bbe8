using System.Text.Json;
using System.Text.Json.Serialization;
using Ioc.Contract.Alerts;

namespace Ioc.Alerting.Remote;

/// <summary>
/// The shape of the engine's command endpoints (<see cref="Hosting.AlertCommandEndpoints"/>), shared by the server and
/// <see cref="HttpAlertCommands"/>: paths under <see cref="Prefix"/>, camelCase JSON with enum values in camelCase.
/// </summary>
public static class AlertCommandWire
{
    public const string Prefix = "api/v1/engine";

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string AlertPath(long id, string command) => FormattableString.Invariant($"{Prefix}/alerts/{id}/{command}");

    public static string SilencesPath => $"{Prefix}/silences";

    public static string TestNotificationPath => $"{Prefix}/notifications/test";

    public static string NotificationChannelsPath => $"{Prefix}/notifications/channels";

    public static string EndSilencePath(long id) => FormattableString.Invariant($"{Prefix}/silences/{id}/end");

    public static string RulesPath => $"{Prefix}/rules";

    public static string RulePath(string id, string command) => $"{Prefix}/rules/{Uri.EscapeDataString(id)}/{command}";
}

/// <summary>Body of creating (<see cref="ExpectedVersion"/> 0) and updating a rule: the rules-file entry as JSON text.</summary>
public sealed record RuleDefinitionCommand(string User, string Definition, long ExpectedVersion);

/// <summary>Body of enabling, disabling and deleting a rule.</summary>
public sealed record RuleVersionCommand(string User, long ExpectedVersion);

/// <summary>Body of an import: the rules file's text and the user's choice for each conflict.</summary>
public sealed record RuleImportCommand(string User, string File, Dictionary<string, Ioc.Alerting.Rules.Catalogue.ImportChoice> Choices);

/// <summary>A refused rule command: the sentence and every problem in both languages.</summary>
public sealed record RuleCommandError(string Error, string Code, List<Ioc.Alerting.Rules.RuleProblem> Problems);

/// <summary>Body of <c>acknowledge</c> and <c>resolve</c>: who does it (recorded by the engine), and an optional note.</summary>
public sealed record NoteCommand(string User, string? Note);

/// <summary>Body of <c>unacknowledge</c> and of ending a silence.</summary>
public sealed record UserCommand(string User);

public sealed record AssignCommand(string User, string? Assignee);

public sealed record CommentCommand(string User, string Text);

public sealed record CreateSilenceCommand(string User, SilenceRequest Silence);

/// <summary>Body of a test message: to every recipient of the channel (<c>telegram</c>, <c>webhook</c>, <c>email</c>) named <c>Name</c>.</summary>
public sealed record TestNotificationCommand(string User, string Channel, string Name);

/// <summary>Every error answer: the engine's sentence and a code (<c>unauthorized</c>, <c>not_found</c>, <c>invalid</c>, <c>conflict</c>).</summary>
public sealed record CommandError(string Error, string Code);
