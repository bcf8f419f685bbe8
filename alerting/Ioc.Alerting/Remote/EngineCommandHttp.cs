using System.Net.Http.Headers;
using System.Net.Http.Json;
using Ioc.Alerting.Hosting;
using Ioc.Alerting.Service;

namespace Ioc.Alerting.Remote;

/// <summary>
/// What every command sent to the engine's host (<see cref="AlertCommandEndpoints"/>) shares, for
/// <see cref="HttpAlertCommands"/> and <see cref="HttpRuleCommands"/>: the engine's address, one POST with the command
/// token and a JSON body (never retried: a command that may have been applied is not sent twice), transport failures
/// as <see cref="AlertEngineUnavailableException"/>, and the success body. Each caller maps its own error answers.
/// </summary>
internal static class EngineCommandHttp
{
    /// <param name="what">What the caller sends, for the timeout's message ("the command may or may not have been applied").</param>
    public static async Task<(HttpResponseMessage Response, Uri Engine)> PostAsync(
        HttpClient http, IAlertEngineLocator locator, string token, string path, object body, string what, CancellationToken cancellationToken)
    {
        var engine = await locator.GetEngineUriAsync(cancellationToken);
        var uri = new Uri(ConfiguredAlertEngineLocator.Normalize(engine.AbsoluteUri) ?? engine, path);
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = JsonContent.Create(body, body.GetType(), options: AlertCommandWire.Json),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            return (await http.SendAsync(request, cancellationToken), engine);
        }
        catch (HttpRequestException ex)
        {
            throw new AlertEngineUnavailableException($"the alert engine at {engine} cannot be reached: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AlertEngineUnavailableException($"the alert engine at {engine} did not answer within {http.Timeout.TotalSeconds:0} s; {what} may or may not have been applied", ex);
        }
    }

    /// <summary>The body of a successful answer; an empty one is the engine's fault.</summary>
    public static async Task<T> ReadAsync<T>(HttpResponseMessage response, Uri engine, string path, CancellationToken cancellationToken)
        where T : class =>
        await response.Content.ReadFromJsonAsync<T>(AlertCommandWire.Json, cancellationToken)
            ?? throw new AlertEngineUnavailableException($"the alert engine at {engine} answered {path} with an empty body");

    /// <summary>HTTP 401 from the engine's host: the two sides were given different command tokens.</summary>
    public static AlertEngineUnavailableException TokenRefused(Uri engine) =>
        new($"the alert engine at {engine} refused the command token; {AlertingOptions.SectionName}:CommandToken must be the same here and on the engine's host");
}
