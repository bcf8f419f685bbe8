using Bunit;
using Bunit.TestDoubles;
using Ioc.Alerting.Service;
using Ioc.Contract.Alerts;
using Ioc.Storage;
using Ioc.Storage.Sqlite;
using Ioc.Storage.Operational;
using Ioc.Dashboard.Alerts;
using Ioc.Dashboard.Configuration;
using Ioc.Dashboard.Data;
using Ioc.Dashboard.Live;
using Ioc.Dashboard.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;

namespace Ioc.Dashboard.Tests.Shared;

/// <summary>bUnit context with the dashboard's real services over a temp SQLite file, a fake clock and an in-memory alert engine.</summary>
public sealed class DashboardTestContext : BunitContext
{
    private readonly TestDatabase _database = new();

    public DashboardTestContext(bool withAlertEngine = true)
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 3, 0, 0, TimeSpan.Zero));
        Alerts = new TestAlertEngine(Time);
        Auth = AddAuthorization();
        Services.AddSingleton<TimeProvider>(Time);
        Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new DashboardOptions()));
        Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new DataCenterOptions()));
        Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new StorageOptions { Sqlite = _database.Options }));
        Services.AddSingleton(_database.Database);
        Services.AddSingleton<ITelemetryStore>(new SqliteTelemetryStore(_database.Database));
        Services.AddSingleton(_database.Operational);
        Services.AddSingleton(_database.Operational.DeadLetters);
        Services.AddSingleton(_database.Operational.Users);
        Services.AddSingleton(_database.Operational.Audit);
        Services.AddSingleton(_database.Operational.DeviceCredentials);
        Services.AddSingleton<DashboardClock>();
        Services.AddSingleton<AuditLog>();
        Services.AddSingleton<UserStore>();
        Services.AddScoped<ActionGuard>();
        Services.AddSingleton(sp => new DeviceStateStore(Time, sp.GetRequiredService<ILogger<DeviceStateStore>>(), sp.GetService<IAlertChanges>()));
        Services.AddSingleton<EventFeed>();
        Services.AddSingleton<FeedConnection>();
        Services.AddSingleton(sp => new AlertAnnouncements(Time, sp.GetRequiredService<ILogger<AlertAnnouncements>>(), sp.GetService<IAlertChanges>()));
        Services.AddSingleton<IFleetDirectory, TestFleetDirectory>();
        Services.AddSingleton(_database.Operational.Sites);
        Services.AddSingleton<ISiteDirectory>(new RegisteredSiteDirectory(_database.Operational.Sites));
        Services.AddSingleton<Vocabulary>();
        Services.AddSingleton<FleetView>();
        Services.AddSingleton<TelemetryHistory>();
        Services.AddSingleton<UptimeService>();
        Services.AddSingleton<DataCenterStatus>();
        Services.AddSingleton<OverviewService>();
        Services.AddScoped<AlertAccess>();
        if (withAlertEngine)
        {
            Services.AddSingleton<IAlertQueries>(Alerts);
            Services.AddSingleton<IAlertCommands>(Alerts);
            Services.AddSingleton<IAlertChanges>(Alerts);
        }

        Services.AddLocalization(o => o.ResourcesPath = "Resources");
        Services.AddMudServices(o => o.PopoverOptions.CheckForPopoverProvider = false);
        _database.Database.ExecuteAsync("SELECT 1", CancellationToken.None).GetAwaiter().GetResult();
        new SqliteTelemetryStore(_database.Database).InitializeAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    public FakeTimeProvider Time { get; }

    public TestAlertEngine Alerts { get; }

    public BunitAuthorizationContext Auth { get; }

    public SqliteDatabase Database => _database.Database;

    /// <summary>Signs in as a user of <paramref name="role"/>, with the policies that role grants.</summary>
    public void SignInAs(string userName, string role)
    {
        Auth.SetAuthorized(userName);
        Auth.SetRoles(role);
        Auth.SetPolicies([.. Policies.RolesByPolicy.Where(p => p.Value.Contains(role)).Select(p => p.Key)]);
    }

    /// <summary>Registers sites with their names in the operational store and reloads the site directory from it.</summary>
    public async Task RegisterSitesAsync(params SiteRecord[] sites)
    {
        await _database.Operational.Sites.UpsertAsync(sites, Time.GetUtcNow(), CancellationToken.None);
        await ((RegisteredSiteDirectory)Services.GetRequiredService<ISiteDirectory>()).RefreshAsync(CancellationToken.None);
    }

    /// <summary>Lets throttled live signals fire (they wait <see cref="ThrottledSignal.Interval"/> on the fake clock).</summary>
    public void FlushLive() => Time.Advance(ThrottledSignal.Interval + TimeSpan.FromMilliseconds(1));

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        _database.Dispose();
    }
}
