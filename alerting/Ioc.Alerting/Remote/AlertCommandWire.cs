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
}

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
