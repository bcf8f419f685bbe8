using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ioc.Alerting.Hosting;
using Ioc.Alerting.Rules;
using Ioc.Alerting.Rules.Catalogue;
using Ioc.Alerting.Service;
using Ioc.Storage.Operational;
using Microsoft.Extensions.Options;

namespace Ioc.Alerting.Remote;

/// <summary>
/// The rule commands sent to the engine's host (<see cref="AlertCommandEndpoints"/>) from a dashboard in its own
/// process, like <see cref="HttpAlertCommands"/>; after each, the dashboard's <see cref="RuleCatalog"/> re-reads the
/// store so that it shows the new list at once. Refusals come back as the same <see cref="RuleCommandException"/>
/// (every problem in both languages).
/// </summary>
public sealed class HttpRuleCommands(HttpClient http, IAlertEngineLocator locator, IOptions<AlertingOptions> options, RuleCatalog catalog) : IRuleCommands
{
    private readonly string _token = options.Value.CommandToken ?? string.Empty;

    public Task<StoredRule> CreateAsync(string definition, string user, CancellationToken cancellationToken) =>
        SendAsync<StoredRule>(AlertCommandWire.RulesPath, new RuleDefinitionCommand(user, definition, 0), cancellationToken);

    public Task<StoredRule> UpdateAsync(string id, long expectedVersion, string definition, string user, CancellationToken cancellationToken) =>
        SendAsync<StoredRule>(AlertCommandWire.RulePath(id, "update"), new RuleDefinitionCommand(user, definition, expectedVersion), cancellationToken);

    public Task<StoredRule> SetEnabledAsync(string id, long expectedVersion, bool enabled, string user, CancellationToken cancellationToken) =>
        SendAsync<StoredRule>(AlertCommandWire.RulePath(id, enabled ? "enable" : "disable"), new RuleVersionCommand(user, expectedVersion), cancellationToken);

    public Task DeleteAsync(string id, long expectedVersion, string user, CancellationToken cancellationToken) =>
        SendAsync<StoredRule>(AlertCommandWire.RulePath(id, "delete"), new RuleVersionCommand(user, expectedVersion), cancellationToken);

    public async Task<IReadOnlyList<ImportItem>> ImportAsync(string fileJson, IReadOnlyDictionary<string, ImportChoice> choices, string user, CancellationToken cancellationToken) =>
        await SendAsync<List<ImportItem>>(AlertCommandWire.RulesPath + "/import", new RuleImportCommand(user, fileJson, new Dictionary<string, ImportChoice>(choices)), cancellationToken);

    private async Task<T> SendAsync<T>(string path, object body, CancellationToken cancellationToken)
        where T : class
    {
        var (response, engine) = await EngineCommandHttp.PostAsync(http, locator, _token, path, body, "the rule change", cancellationToken);
        using (response)
        {
            if (response.IsSuccessStatusCode)
            {
                var result = await EngineCommandHttp.ReadAsync<T>(response, engine, path, cancellationToken);
                await catalog.RefreshAsync(cancellationToken);
                return result;
            }

            RuleCommandError? error = null;
            try
            {
                error = await response.Content.ReadFromJsonAsync<RuleCommandError>(AlertCommandWire.Json, cancellationToken);
            }
            catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
            {
                // Not our JSON (a proxy's page).
            }

            if (error?.Problems is { Count: > 0 } problems)
            {
                var failure = response.StatusCode switch
                {
                    HttpStatusCode.NotFound => RuleCommandFailure.NotFound,
                    HttpStatusCode.Conflict => RuleCommandFailure.Conflict,
                    _ => RuleCommandFailure.Invalid,
                };
                throw new RuleCommandException(failure, problems);
            }

            throw response.StatusCode == HttpStatusCode.Unauthorized
                ? EngineCommandHttp.TokenRefused(engine)
                : new AlertEngineUnavailableException($"the alert engine at {engine} answered HTTP {(int)response.StatusCode}: {error?.Error}");
        }
    }
}
