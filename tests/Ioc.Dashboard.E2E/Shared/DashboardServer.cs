using System.Net;
using System.Net.Sockets;
using Ioc.Contract;
using Ioc.Contract.Model;
using Ioc.Storage;
using Ioc.Storage.Sqlite;
using Ioc.Alerting.Service;
using Ioc.Contract.Alerts;
using Ioc.Dashboard.Live;
using Ioc.Dashboard.Security;
using Ioc.Dashboard.Tests.Shared;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;
using MQTTnet.Protocol;
using MQTTnet.Server;
using Xunit;
using Ioc.IntegrationTests.Infrastructure;

namespace Ioc.Dashboard.E2E.Shared;

/// <summary>
/// The dashboard running for real on a free 127.0.0.1 port, with MQTTnet's embedded broker, a temp SQLite file seeded with
/// a fleet and its history, an in-memory alert engine (reads, commands, change feed) standing in for the real one, and Debian's Chromium.
/// Every browser here comes from 127.0.0.1, so the per-address login rate limit is raised (<see cref="LoginRateLimit"/>);
/// <see cref="StrictDashboardServer"/> keeps the shipped defaults.
/// </summary>
public class DashboardServer : IAsyncLifetime
{
    public const string AdminPassword = "admin-password-e2e";
    public const string UserPassword = "user-password-e2e";
    private readonly string _directory = Directory.CreateTempSubdirectory("ioc-dash-e2e-").FullName;
    private MqttServer? _broker;
    private WebApplication? _app;
    private IPlaywright? _playwright;

    public TestAlertEngine Alerts { get; } = new(TimeProvider.System);

    public string BaseUrl { get; private set; } = string.Empty;

    public IBrowser Browser { get; private set; } = default!;

    public IServiceProvider Services => _app!.Services;

    /// <summary>Where screenshots go: $IOC_E2E_ARTIFACTS, else artifacts/e2e under the repository.</summary>
    public static string ArtifactsDirectory { get; } = Environment.GetEnvironmentVariable("IOC_E2E_ARTIFACTS") is { Length: > 0 } dir
        ? dir
        : Path.Combine(RepositoryRoot(), "artifacts", "e2e");

    /// <summary>Login posts one address may send per minute (the shipped default is 10).</summary>
    protected virtual int LoginRateLimit => 1000;

    public async Task InitializeAsync()
    {
        var brokerPort = FreePort.Next();
        var webPort = FreePort.Next();
        var dbPath = Path.Combine(_directory, "ioc.db");

        var database = new SqliteDatabase(new SqliteOptions { Path = dbPath });
        await using (var store = new SqliteTelemetryStore(database))
        {
            await store.InitializeAsync(CancellationToken.None);
            await FleetSeed.WriteHistoryAsync(store, DateTimeOffset.UtcNow);
        }

        var deadLetters = new SqliteDeadLetterStore(database);
        await deadLetters.InitializeAsync(CancellationToken.None);
        await deadLetters.AddAsync(
            [
                DeadLetter.Create(DateTimeOffset.UtcNow.AddMinutes(-7), "ioc/v1/thanh-ha/wifi-ap/TH-AP-0099/telemetry", "bad_json", "invalid JSON at byte 12: expected ','", "{\"metrics\":{\"clients\" 12}}"u8),
                DeadLetter.Create(DateTimeOffset.UtcNow.AddMinutes(-5), "ioc/v1/Gia_Loc/wifi-ap/GL-AP-1/status", "bad_topic", "site must match [a-z0-9-]{1,64}", "{\"state\":\"online\"}"u8),
                DeadLetter.Create(DateTimeOffset.UtcNow.AddMinutes(-2), "ioc/v1/dc-tinh/ups/DC-UPS-01/telemetry", "timestamp_out_of_range", "ts 1764000000 lies 55 years in the past (seconds, not milliseconds?)", "{\"ts\":1764000000,\"metrics\":{\"load_pct\":40}}"u8),
            ],
            CancellationToken.None);

        _broker = new MqttServerFactory().CreateMqttServer(new MqttServerOptionsBuilder()
            .WithDefaultEndpoint().WithDefaultEndpointBoundIPAddress(IPAddress.Loopback).WithDefaultEndpointPort(brokerPort).Build());
        await _broker.StartAsync();
        var step = 0;
        foreach (var (device, rack) in FleetSeed.Devices())
        {
            await PublishAsync(device.Topic(MessageChannel.Status), FleetSeed.StartsOffline(device) ? "{\"state\":\"offline\"}" : "{\"state\":\"online\"}", retain: true);
            await PublishAsync(device.Topic(MessageChannel.Telemetry), FleetSeed.TelemetryJson(device, rack, step++), retain: true);
        }

        SeedAlerts();

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = Environments.Development,
            ApplicationName = typeof(DashboardServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls($"http://127.0.0.1:{webPort}");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ioc:Storage:Provider"] = "Sqlite",
            ["Ioc:Storage:Sqlite:Path"] = dbPath,
            ["Ioc:Mqtt:Host"] = "127.0.0.1",
            ["Ioc:Mqtt:Port"] = brokerPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Ioc:Dashboard:AdminPassword"] = AdminPassword,
            ["Ioc:Dashboard:KioskRotateSeconds"] = "600",
            ["Ioc:Dashboard:CircuitRevalidationInterval"] = "00:00:01",
            ["Ioc:Dashboard:LoginRateLimit"] = LoginRateLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Warning",
        });
        builder.Services.AddIocDashboard(builder.Configuration);
        builder.Services.AddSingleton<IAlertQueries>(Alerts);
        builder.Services.AddSingleton<IAlertCommands>(Alerts);
        builder.Services.AddSingleton<IAlertChanges>(Alerts);
        _app = builder.Build();
        _app.MapIocDashboard();
        await _app.StartAsync();
        BaseUrl = $"http://127.0.0.1:{webPort}/";

        var users = _app.Services.GetRequiredService<UserStore>();
        await users.CreateAsync("op1", "Nguyễn Văn An", Roles.Operator, UserPassword, CancellationToken.None);
        await users.CreateAsync("eng1", "Trần Thị Bình", Roles.Engineer, UserPassword, CancellationToken.None);
        await users.CreateAsync("boss", "Lê Văn Cường", Roles.Viewer, UserPassword, CancellationToken.None);
        await users.CreateAsync("locktest", "Lock Test", Roles.Viewer, UserPassword, CancellationToken.None);

        var live = _app.Services.GetRequiredService<DeviceStateStore>();
        var expected = FleetSeed.Devices().Count;
        await WaitUntilAsync(() => live.Count >= expected && live.Snapshot().All(d => d.State is not null), TimeSpan.FromSeconds(20), "the live feed to hear every seeded device");

        await SeedEventsAsync(dbPath);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        Directory.CreateDirectory(ArtifactsDirectory);
    }

    public Task PublishAsync(string topic, string payload, bool retain = false) =>
        _broker!.InjectApplicationMessage(topic, payload, MqttQualityOfServiceLevel.AtLeastOnce, retain);

    /// <summary>A new browser context (own cookies) at the given size, in Vietnamese and the province's time zone.</summary>
    public Task<IBrowserContext> NewContextAsync(int width = 1920, int height = 1080) =>
        Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "vi-VN",
            TimezoneId = "Asia/Ho_Chi_Minh",
            BaseURL = BaseUrl,
        });

    /// <summary>Logs in through the form and waits for the interactive page.</summary>
    public static async Task<IPage> LoginAsync(IBrowserContext context, string user, string password, string path = "overview")
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync($"login?returnUrl={Uri.EscapeDataString("/" + path)}");
        await page.FillAsync("[data-testid=login-user]", user);
        await page.FillAsync("[data-testid=login-password]", password);
        await page.ClickAsync("[data-testid=login-submit]");
        await page.WaitForSelectorAsync("[data-interactive=yes]", new PageWaitForSelectorOptions { Timeout = 15_000 });
        return page;
    }

    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(50);
        }
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (_broker is not null)
        {
            await _broker.StopAsync();
            _broker.Dispose();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Security events as devices send them (live on MQTT) and as the collector stores them (SQLite).</summary>
    private async Task SeedEventsAsync(string dbPath)
    {
        (string Site, string Type, string Id, string Kind, string Severity, string Message, string Source)[] events =
        [
            ("thanh-ha", "router", "TH-RT-01", "auth_failure", "warning", "Failed SSH login for admin", "203.0.113.7"),
            ("thanh-ha", "router", "TH-RT-01", "auth_failure", "warning", "Failed SSH login for root", "203.0.113.7"),
            ("thanh-ha", "router", "TH-RT-01", "auth_failure", "major", "Failed SSH login for admin", "203.0.113.7"),
            ("gia-loc-xa-2", "wifi-ap", "GL-AP-201", "rogue_ap", "major", "Rogue AP 'Free_WiFi_HD' seen on channel 6", "a4:5e:60:12:9f:01"),
            ("dc-tinh", "firewall", "DC-FW-01", "traffic_anomaly", "minor", "Outbound traffic 5x baseline to 198.51.100.23", "10.20.4.17"),
            ("nam-sach", "switch", "NS-SW-01", "auth_failure", "warning", "Failed web login", "198.51.100.9"),
        ];
        var points = new List<Point>();
        foreach (var e in events)
        {
            var payload = $"{{\"type\":\"{e.Kind}\",\"severity\":\"{e.Severity}\",\"message\":\"{e.Message}\",\"attrs\":{{\"src_ip\":\"{e.Source}\"}}}}";
            await PublishAsync($"ioc/v1/{e.Site}/{e.Type}/{e.Id}/event", payload);
            var decoded = new MessageDecoder(new ContractOptions()).Decode($"ioc/v1/{e.Site}/{e.Type}/{e.Id}/event", System.Text.Encoding.UTF8.GetBytes(payload), DateTimeOffset.UtcNow);
            points.AddRange(decoded.Message!.Points);
        }

        await using (var store = new SqliteTelemetryStore(new SqliteDatabase(new SqliteOptions { Path = dbPath })))
        {
            await store.WriteAsync(points, CancellationToken.None);
        }

        var feed = _app!.Services.GetRequiredService<EventFeed>();
        await WaitUntilAsync(() => feed.TodayTotal >= events.Length, TimeSpan.FromSeconds(10), "the live feed to hear the seeded events");
    }

    private void SeedAlerts()
    {
        var parent = Alerts.Add(AlertSeverity.Major, "Ninh Giang: 3/12 điểm Wi-Fi mất kết nối", "ninh-giang", rule: "district_wifi_degraded", kind: "status");
        Alerts.Add(AlertSeverity.Minor, "NG-AP-101 mất kết nối", "ninh-giang-xa-1", rule: "device_offline", kind: "status", deviceId: "NG-AP-101", parentId: parent.Id);
        Alerts.Add(AlertSeverity.Minor, "NG-AP-102 mất kết nối", "ninh-giang-xa-1", rule: "device_offline", kind: "status", deviceId: "NG-AP-102", parentId: parent.Id);
        Alerts.Add(AlertSeverity.Warning, "DC-ENV-01 nhiệt độ khí vào 27,4 °C", "dc-tinh", rule: "inlet_temp_high", kind: "threshold", deviceId: "DC-ENV-01");
        Alerts.Add(AlertSeverity.Major, "Nhiều lần đăng nhập SSH thất bại từ 203.0.113.7", "thanh-ha", rule: "auth_bruteforce", kind: "auth_failure", deviceId: "TH-RT-01");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Ioc.sln")))
            {
                return dir.FullName;
            }
        }

        return AppContext.BaseDirectory;
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardServer>
{
    public const string Name = "dashboard";
}

/// <summary>The dashboard with the shipped login limits (10 posts a minute per address, 5 failures per address and account).</summary>
public sealed class StrictDashboardServer : DashboardServer
{
    protected override int LoginRateLimit => new Ioc.Dashboard.Configuration.DashboardOptions().LoginRateLimit;
}

[CollectionDefinition(Name)]
public sealed class StrictDashboardCollection : ICollectionFixture<StrictDashboardServer>
{
    public const string Name = "dashboard-strict";
}
