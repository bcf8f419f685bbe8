using Ioc.Dashboard.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ioc.Dashboard.Security;

/// <summary>On start: migrates the operational store (the dashboard may run alone) and, when there is no user yet, the <c>admin</c> account.</summary>
internal sealed class AdminBootstrapper : IHostedService
{
    public const string AdminUserName = "admin";
    private readonly IOperationalStore _store;
    private readonly UserStore _users;
    private readonly DashboardOptions _options;
    private readonly ILogger<AdminBootstrapper> _logger;

    public AdminBootstrapper(IOperationalStore store, UserStore users, IOptions<DashboardOptions> options, ILogger<AdminBootstrapper> logger)
    {
        _store = store;
        _users = users;
        _options = options.Value;
        _logger = logger;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _store.MigrateAsync(cancellationToken);
        if (await _users.CountAsync(cancellationToken) > 0)
        {
            return;
        }

        var generated = string.IsNullOrEmpty(_options.AdminPassword);
        var password = generated ? UserStore.GeneratePassword() : _options.AdminPassword!;
        await _users.CreateAsync(AdminUserName, "Administrator", Roles.Admin, password, cancellationToken);
        if (generated)
        {
            // Printed once, on the console only (never into the log files): the only time it exists in clear.
            await Console.Out.WriteLineAsync($"Ioc dashboard: created user '{AdminUserName}' with the generated password: {password}");
            await Console.Out.WriteLineAsync($"Ioc dashboard: change it after the first login, or set {DashboardOptions.SectionName}:AdminPassword before the first start.");
        }

        Log.AdminCreated(_logger, AdminUserName, generated);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
