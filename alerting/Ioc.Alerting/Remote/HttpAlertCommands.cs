using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ioc.Alerting.Hosting;
using Ioc.Alerting.Notifications;
using Ioc.Alerting.Service;
using Ioc.Contract.Alerts;
using Microsoft.Extensions.Options;

namespace Ioc.Alerting.Remote;

/// <summary>
/// The engine's commands sent over HTTP to its host (<see cref="AlertCommandEndpoints"/>), for a dashboard in its own
/// process. Authenticated by <c>Ioc:Alerting:CommandToken</c>; the acting user travels in the body. A typed
/// <see cref="HttpClient"/> with a timeout and no retry: a command that may have been applied is never sent twice
/// (a second comment, a second silence). Error answers become the same exceptions the in-process engine throws.
/// </summary>
public sealed class HttpAlertCommands(HttpClient http, IAlertEngineLocator locator, IOptions<AlertingOptions> options) : IAlertCommands, INotificationTester
{
    private readonly string _token = options.Value.CommandToken ?? string.Empty;

    public Task<Alert> AcknowledgeAsync(long id, string user, string? note, CancellationToken cancellationToken) =>
        SendAsync<Alert>(AlertCommandWire.AlertPath(id, "acknowledge"), new NoteCommand(user, note), cancellationToken);

    public Task<Alert> UnacknowledgeAsync(long id, string user, CancellationToken cancellationToken) =>
        SendAsync<Alert>(AlertCommandWire.AlertPath(id, "unacknowledge"), new UserCommand(user), cancellationToken);

    public Task<Alert> AssignAsync(long id, string? assignee, string user, CancellationToken cancellationToken) =>
        SendAsync<Alert>(AlertCommandWire.AlertPath(id, "assign"), new AssignCommand(user, assignee), cancellationToken);

    public Task<AlertComment> CommentAsync(long id, string user, string text, CancellationToken cancellationToken) =>
        SendAsync<AlertComment>(AlertCommandWire.AlertPath(id, "comment"), new CommentCommand(user, text), cancellationToken);

    public Task<Alert> ResolveAsync(long id, string user, string? note, CancellationToken cancellationToken) =>
        SendAsync<Alert>(AlertCommandWire.AlertPath(id, "resolve"), new NoteCommand(user, note), cancellationToken);

    public Task<Silence> CreateSilenceAsync(SilenceRequest request, string user, CancellationToken cancellationToken) =>
        SendAsync<Silence>(AlertCommandWire.SilencesPath, new CreateSilenceCommand(user, request), cancellationToken);

    public Task<Silence> EndSilenceAsync(long id, string user, CancellationToken cancellationToken) =>
        SendAsync<Silence>(AlertCommandWire.EndSilencePath(id), new UserCommand(user), cancellationToken);

    public async Task<IReadOnlyList<TestDelivery>> SendTestAsync(string channel, string name, string user, CancellationToken cancellationToken) =>
        await SendAsync<List<TestDelivery>>(AlertCommandWire.TestNotificationPath, new TestNotificationCommand(user, channel, name), cancellationToken);

    public async Task<IReadOnlyList<ChannelSummary>> ChannelsAsync(CancellationToken cancellationToken) =>
        await SendAsync<List<ChannelSummary>>(AlertCommandWire.NotificationChannelsPath, new UserCommand("-"), cancellationToken);

    private async Task<T> SendAsync<T>(string path, object body, CancellationToken cancellationToken)
        where T : class
    {
        var (response, engine) = await EngineCommandHttp.PostAsync(http, locator, _token, path, body, "the command", cancellationToken);
        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                return await EngineCommandHttp.ReadAsync<T>(response, engine, path, cancellationToken);
            }

            var message = await ErrorMessageAsync(response, cancellationToken);
            throw response.StatusCode switch
            {
                HttpStatusCode.NotFound => new AlertNotFoundException(message),
                HttpStatusCode.BadRequest => new AlertCommandException(message, isInvalidInput: true),
                HttpStatusCode.Conflict => new AlertCommandException(message),
                HttpStatusCode.Unauthorized => EngineCommandHttp.TokenRefused(engine),
                _ => new AlertEngineUnavailableException($"the alert engine at {engine} answered HTTP {(int)response.StatusCode}: {message}"),
            };
        }
    }

    private static async Task<string> ErrorMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var error = await response.Content.ReadFromJsonAsync<CommandError>(AlertCommandWire.Json, cancellationToken);
            if (!string.IsNullOrWhiteSpace(error?.Error))
            {
                return error.Error;
            }
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            // Not our JSON (a proxy's page): fall back to the status line.
        }

        return $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
    }
}
