using Ioc.Contract.Security;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ioc.Alerting.Election;
using Ioc.Alerting.Notifications;
using Ioc.Alerting.Remote;
using Ioc.Alerting.Rules.Catalogue;
using Ioc.Alerting.Service;
using Ioc.Storage.Operational;
using Ioc.Contract.Alerts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ioc.Alerting.Hosting;

/// <summary>
/// The engine's commands over HTTP, on the engine's host, for a dashboard in another process (<see cref="HttpAlertCommands"/>).
/// Every request carries <c>Authorization: Bearer {Ioc:Alerting:CommandToken}</c> (compared in constant time) and names
/// the acting user in its JSON body; the engine records that user. Answers: 200 with the changed alert, comment or silence;
/// 401, 400, 404, 409 with <see cref="CommandError"/>.
/// </summary>
public static class AlertCommandEndpoints
{
    /// <summary>
    /// Maps <c>POST /api/v1/engine/alerts/{id}/acknowledge|unacknowledge|assign|comment|resolve</c>,
    /// <c>POST /api/v1/engine/silences</c>, <c>POST /api/v1/engine/silences/{id}/end</c>, and the rule catalogue's
    /// <c>POST /api/v1/engine/rules</c>, <c>rules/import</c> and <c>rules/{id}/update|enable|disable|delete</c>.
    /// Needs <c>AddAlerting</c> and a non-empty <c>Ioc:Alerting:CommandToken</c> (throws at start-up otherwise).
    /// </summary>
    public static RouteGroupBuilder MapAlertCommandEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<AlertingOptions>>().Value;
        if (string.IsNullOrWhiteSpace(options.CommandToken))
        {
            throw new InvalidOperationException(
                $"{AlertingOptions.SectionName}:CommandToken must be set to map the alert command endpoints: a random secret of at least 16 characters, the same on the dashboard's host.");
        }

        var expected = Secrets.Hash(options.CommandToken);
        var logger = endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(AlertCommandEndpoints).FullName!);
        var group = endpoints.MapGroup("/" + AlertCommandWire.Prefix).AllowAnonymous();
        group.AddEndpointFilter(async (context, next) =>
        {
            if (!(Secrets.BearerToken(context.HttpContext.Request.Headers.Authorization.ToString()) is { } token && Secrets.Matches(token, expected)))
            {
                Log.CommandTokenRefused(logger, context.HttpContext.Request.Path, context.HttpContext.Connection.RemoteIpAddress?.ToString() ?? "?");
                return Error(StatusCodes.Status401Unauthorized, "unauthorized", "missing or wrong command token (Authorization: Bearer …)");
            }

            // Only the active evaluator writes alert state; a standby sends the caller to the lease holder.
            if (!context.HttpContext.RequestServices.GetRequiredService<IEvaluatorGate>().IsActive)
            {
                return Error(StatusCodes.Status503ServiceUnavailable, "standby", "this collector is a standby; send commands to the active alert evaluator (the holder of the evaluator lease)");
            }

            return await next(context);
        });

        group.MapPost("alerts/{id:long}/acknowledge", (long id, HttpContext http, IAlertCommands commands) =>
            RunAsync<NoteCommand, Alert>(http, b => commands.AcknowledgeAsync(id, b.User, b.Note, CancellationToken.None)));
        group.MapPost("alerts/{id:long}/unacknowledge", (long id, HttpContext http, IAlertCommands commands) =>
            RunAsync<UserCommand, Alert>(http, b => commands.UnacknowledgeAsync(id, b.User, CancellationToken.None)));
        group.MapPost("alerts/{id:long}/assign", (long id, HttpContext http, IAlertCommands commands) =>
            RunAsync<AssignCommand, Alert>(http, b => commands.AssignAsync(id, b.Assignee, b.User, CancellationToken.None)));
        group.MapPost("alerts/{id:long}/comment", (long id, HttpContext http, IAlertCommands commands) =>
            RunAsync<CommentCommand, AlertComment>(http, b => commands.CommentAsync(id, b.User, b.Text, CancellationToken.None)));
        group.MapPost("alerts/{id:long}/resolve", (long id, HttpContext http, IAlertCommands commands) =>
            RunAsync<NoteCommand, Alert>(http, b => commands.ResolveAsync(id, b.User, b.Note, CancellationToken.None)));
        group.MapPost("silences", (HttpContext http, IAlertCommands commands) =>
            RunAsync<CreateSilenceCommand, Silence>(http, b => b.Silence is null
                ? throw new AlertCommandException("the body must contain 'silence'", isInvalidInput: true)
                : commands.CreateSilenceAsync(b.Silence, b.User, CancellationToken.None)));
        group.MapPost("silences/{id:long}/end", (long id, HttpContext http, IAlertCommands commands) =>
            RunAsync<UserCommand, Silence>(http, b => commands.EndSilenceAsync(id, b.User, CancellationToken.None)));
        group.MapPost("notifications/test", (HttpContext http, IServiceProvider services) =>
            RunAsync<TestNotificationCommand, IReadOnlyList<TestDelivery>>(http, b => services.GetService<INotificationTester>() is { } tester
                ? tester.SendTestAsync(b.Channel, b.Name, b.User, CancellationToken.None)
                : throw new AlertCommandException("notifications are not sent from this host (Ioc:Alerting:Enabled is false)")));
        group.MapPost("notifications/channels", (HttpContext http, IServiceProvider services) =>
            RunAsync<UserCommand, IReadOnlyList<ChannelSummary>>(http, _ => services.GetService<INotificationTester>() is { } tester
                ? tester.ChannelsAsync(CancellationToken.None)
                : throw new AlertCommandException("notifications are not sent from this host (Ioc:Alerting:Enabled is false)")));
        group.MapPost("rules", (HttpContext http, IRuleCommands rules) =>
            RunAsync<RuleDefinitionCommand, StoredRule>(http, b => rules.CreateAsync(b.Definition, b.User, CancellationToken.None)));
        group.MapPost("rules/import", (HttpContext http, IRuleCommands rules) =>
            RunAsync<RuleImportCommand, IReadOnlyList<ImportItem>>(http, b => rules.ImportAsync(b.File, b.Choices ?? [], b.User, CancellationToken.None)));
        group.MapPost("rules/{id}/update", (string id, HttpContext http, IRuleCommands rules) =>
            RunAsync<RuleDefinitionCommand, StoredRule>(http, b => rules.UpdateAsync(id, b.ExpectedVersion, b.Definition, b.User, CancellationToken.None)));
        group.MapPost("rules/{id}/enable", (string id, HttpContext http, IRuleCommands rules) =>
            RunAsync<RuleVersionCommand, StoredRule>(http, b => rules.SetEnabledAsync(id, b.ExpectedVersion, true, b.User, CancellationToken.None)));
        group.MapPost("rules/{id}/disable", (string id, HttpContext http, IRuleCommands rules) =>
            RunAsync<RuleVersionCommand, StoredRule>(http, b => rules.SetEnabledAsync(id, b.ExpectedVersion, false, b.User, CancellationToken.None)));
        group.MapPost("rules/{id}/delete", (string id, HttpContext http, IRuleCommands rules) =>
            RunAsync<RuleVersionCommand, RuleVersionCommand>(http, async b =>
            {
                await rules.DeleteAsync(id, b.ExpectedVersion, b.User, CancellationToken.None);
                return b;
            }));
        return group;
    }


    /// <summary>
    /// Reads the body and runs the command. The command itself is not tied to the request: once the engine has taken
    /// it, a client going away does not cut it between the store's commit and its announcement.
    /// </summary>
    private static async Task<IResult> RunAsync<TBody, TResult>(HttpContext http, Func<TBody, Task<TResult>> command)
        where TBody : class
    {
        TBody? body;
        try
        {
            body = await http.Request.ReadFromJsonAsync<TBody>(AlertCommandWire.Json, http.RequestAborted);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return Error(StatusCodes.Status400BadRequest, "invalid", $"the body must be this command's JSON: {ex.Message}");
        }

        if (body is null)
        {
            return Error(StatusCodes.Status400BadRequest, "invalid", "the body must be this command's JSON");
        }

        try
        {
            return Results.Json(await command(body), AlertCommandWire.Json);
        }
        catch (AlertNotFoundException ex)
        {
            return Error(StatusCodes.Status404NotFound, "not_found", ex.Message);
        }
        catch (RuleCommandException ex)
        {
            var (status, code) = ex.Failure switch
            {
                RuleCommandFailure.NotFound => (StatusCodes.Status404NotFound, "not_found"),
                RuleCommandFailure.Conflict => (StatusCodes.Status409Conflict, "conflict"),
                _ => (StatusCodes.Status400BadRequest, "invalid"),
            };
            return Results.Json(new RuleCommandError(ex.Message, code, [.. ex.Problems]), AlertCommandWire.Json, statusCode: status);
        }
        catch (AlertCommandException ex)
        {
            return ex.IsInvalidInput
                ? Error(StatusCodes.Status400BadRequest, "invalid", ex.Message)
                : Error(StatusCodes.Status409Conflict, "conflict", ex.Message);
        }
    }

    private static IResult Error(int status, string code, string message) =>
        Results.Json(new CommandError(message, code), AlertCommandWire.Json, statusCode: status);
}
