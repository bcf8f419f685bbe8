using System.Net;
using System.Net.Http.Json;
using Ioc.Alerting.Announce;
using Ioc.Alerting.Hosting;
using Ioc.Alerting.Engine;
using Ioc.Alerting.Remote;
using Ioc.Alerting.Rules.Catalogue;
using Ioc.Alerting.Service;
using Ioc.Storage.Operational;
using Ioc.Alerting.Tests.Shared;
using Ioc.Contract;
using Ioc.Contract.Alerts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ioc.Alerting.Tests.Remote;

/// <summary>
/// The engine's command endpoints on a real Kestrel (loopback, free port) with the hosted engine, and
/// <see cref="HttpAlertCommands"/> as the dashboard's host registers it (<c>AddHttpAlertCommands</c>).
/// </summary>
public sealed class AlertCommandEndpointsTests : IAsyncLifetime
{
    private const string Token = "test-command-token-0123456789";
    private const string UpsRule = """{"id":"ups-on-battery","kind":"state","severity":"major","scope":{"deviceTypes":["ups"]},"metric":"on_battery","equals":true}""";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ioc-alerting-tests", Guid.NewGuid().ToString("N"));
    private readonly List<AlertChange> _changes = [];
    private WebApplication _engine = default!;
    private ServiceProvider _dashboard = default!;
    private IDisposable _subscription = default!;
    private int _commentRequests;
    private readonly TestTelegramApi _telegram = new();

    private IAlertCommands Commands => _dashboard.GetRequiredService<IAlertCommands>();

    private Uri EngineUri { get; set; } = default!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, "rules.json"), AlertingHarness.Rules(UpsRule));
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ioc:Storage:Sqlite:Path"] = Path.Combine(_directory, "ioc.db"),
            ["Ioc:Alerting:RulesPath"] = Path.Combine(_directory, "rules.json"),
            ["Ioc:Alerting:TickInterval"] = "00:00:00.100",
            ["Ioc:Alerting:CommandToken"] = Token,
            ["Ioc:Dashboard:PublicUrl"] = "https://ioc.haiduong.gov.vn/",
            ["Ioc:Alerting:Notifications:Telegram:0:Name"] = "truc-ca",
            ["Ioc:Alerting:Notifications:Telegram:0:BotToken"] = "123456:TEST-token-not-a-secret",
            ["Ioc:Alerting:Notifications:Telegram:0:ChatIds:0"] = "-1001",
            ["Ioc:Alerting:Notifications:Telegram:0:ChatIds:1"] = "-1002",
            ["Ioc:Alerting:Notifications:Telegram:0:ApiUrl"] = _telegram.BaseUrl,
        });
        builder.Services.AddAlerting(builder.Configuration);
        _engine = builder.Build();
        _engine.Use(async (context, next) =>
        {
            if (context.Request.Path.Value?.EndsWith("/comment", StringComparison.Ordinal) == true)
            {
                Interlocked.Increment(ref _commentRequests);
            }

            await next(context);
        });
        _engine.MapAlertCommandEndpoints();
        await _engine.StartAsync();
        EngineUri = new Uri(_engine.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single());
        _subscription = _engine.Services.GetRequiredService<IAlertChanges>().Subscribe(change =>
        {
            lock (_changes)
            {
                _changes.Add(change);
            }
        });
        _dashboard = Dashboard(new()
        {
            ["Ioc:Alerting:EngineUrl"] = EngineUri.ToString(),
            ["Ioc:Alerting:CommandToken"] = Token,
        });
    }

    public async Task DisposeAsync()
    {
        _subscription.Dispose();
        await _dashboard.DisposeAsync();
        await _engine.StopAsync();
        await _engine.DisposeAsync();
        _telegram.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // left for the temp cleaner
        }
    }

    [Fact]
    public async Task SendTest_FromTheDashboardsHost_ReachesEveryChatOfTheChannelThroughTheEngine()
    {
        _telegram.BlockedByUser();

        var results = await _dashboard.GetRequiredService<Ioc.Alerting.Notifications.INotificationTester>().SendTestAsync("telegram", "truc-ca", "admin", CancellationToken.None);

        Assert.Equal(["truc-ca:-1001", "truc-ca:-1002"], results.Select(r => r.Target).ToList());
        Assert.Equal([false, true], results.Select(r => r.Success).ToList());
        Assert.Equal("Telegram 403: Forbidden: bot was blocked by the user", results[0].Detail);
        var sent = _telegram.Received.Last();
        Assert.Equal(
            """
            <b>🔵 Tin nhắn thử</b>
            Tin nhắn thử từ Trung tâm IOC Hải Dương, do admin gửi.
            <b>Quy tắc:</b> Tin nhắn thử
            <b>Phát lúc:</b> 
            """.ReplaceLineEndings("\n"),
            sent.Text[..sent.Text.IndexOf("Phát lúc:</b> ", StringComparison.Ordinal)] + "Phát lúc:</b> ");
        Assert.EndsWith("<a href=\"https://ioc.haiduong.gov.vn/\">Mở bảng điều khiển</a>", sent.Text);
        var channel = Assert.Single(await _dashboard.GetRequiredService<Ioc.Alerting.Notifications.INotificationTester>().ChannelsAsync(CancellationToken.None));
        Assert.Equal(("telegram", "telegram", "truc-ca"), (channel.Channel, channel.Kind, channel.Name));
        Assert.Equal(["-1001", "-1002"], channel.Recipients);
        var unknown = await Assert.ThrowsAsync<AlertCommandException>(() => _dashboard.GetRequiredService<Ioc.Alerting.Notifications.INotificationTester>().SendTestAsync("telegram", "khong-co", "admin", CancellationToken.None));
        Assert.True(unknown.IsInvalidInput);
        Assert.Equal("no telegram channel named 'khong-co' is configured", unknown.Message);
    }

    [Fact]
    public async Task Acknowledge_OverHttp_EngineStoreAndFeedAgreeAndTheUserIsRecorded()
    {
        // Arrange
        var id = await FireAsync();

        // Act
        var acknowledged = await Commands.AcknowledgeAsync(id, "lan.nguyen", "looking at it", CancellationToken.None);

        // Assert
        Assert.Equal(AlertState.Acknowledged, acknowledged.State);
        Assert.Equal("lan.nguyen", acknowledged.AcknowledgedBy);
        var stored = await _engine.Services.GetRequiredService<IAlertStore>().GetAsync(id, CancellationToken.None);
        // The store keeps milliseconds; the engine's answer carries the clock's full precision.
        Assert.Equal((AlertState.Acknowledged, "lan.nguyen"), (stored!.State, stored.AcknowledgedBy));
        Assert.Equal(acknowledged.AcknowledgedAt!.Value.ToUnixTimeMilliseconds(), stored.AcknowledgedAt!.Value.ToUnixTimeMilliseconds());
        var details = await _engine.Services.GetRequiredService<IAlertQueries>().GetAsync(id, CancellationToken.None);
        Assert.Contains(details!.Audit, a => a.Actor == "lan.nguyen" && a.Action == "acknowledged" && a.Detail == "looking at it");
        lock (_changes)
        {
            Assert.Contains(_changes, c => c.Kind == AlertChangeKind.Acknowledged && c.Actor == "lan.nguyen" && c.Alert.Id == id);
        }
    }

    [Fact]
    public async Task Commands_WithoutOrWithAWrongToken_Are401WithJsonAndChangeNothing()
    {
        // Arrange
        var id = await FireAsync();
        using var raw = new HttpClient { BaseAddress = EngineUri };
        await using var wrong = Dashboard(new() { ["Ioc:Alerting:EngineUrl"] = EngineUri.ToString(), ["Ioc:Alerting:CommandToken"] = "not-the-token-0123456789" });

        // Act
        using var anonymous = await raw.PostAsJsonAsync(AlertCommandWire.AlertPath(id, "resolve"), new NoteCommand("mallory", null));
        var refused = await Assert.ThrowsAsync<AlertEngineUnavailableException>(() => wrong.GetRequiredService<IAlertCommands>().ResolveAsync(id, "mallory", null, CancellationToken.None));

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/json", anonymous.Content.Headers.ContentType?.MediaType);
        Assert.Equal("unauthorized", (await anonymous.Content.ReadFromJsonAsync<CommandError>(AlertCommandWire.Json))!.Code);
        Assert.Contains("Ioc:Alerting:CommandToken", refused.Message, StringComparison.Ordinal);
        var alert = await _engine.Services.GetRequiredService<IAlertStore>().GetAsync(id, CancellationToken.None);
        Assert.Equal(AlertState.Firing, alert!.State);
    }

    [Fact]
    public async Task Errors_NotFoundWrongStateAndBadInput_ComeBackAsTheEnginesExceptions()
    {
        // Arrange
        var id = await FireAsync();
        await Commands.ResolveAsync(id, "lan", null, CancellationToken.None);
        using var raw = new HttpClient { BaseAddress = EngineUri };
        raw.DefaultRequestHeaders.Authorization = new("Bearer", Token);

        // Act
        var missing = await Assert.ThrowsAsync<AlertNotFoundException>(() => Commands.AcknowledgeAsync(999_999, "lan", null, CancellationToken.None));
        var conflict = await Assert.ThrowsAsync<AlertCommandException>(() => Commands.AcknowledgeAsync(id, "lan", null, CancellationToken.None));
        var invalid = await Assert.ThrowsAsync<AlertCommandException>(() => Commands.CommentAsync(id, "lan", "   ", CancellationToken.None));
        var missingSilence = await Assert.ThrowsAsync<AlertNotFoundException>(() => Commands.EndSilenceAsync(424_242, "lan", CancellationToken.None));
        using var conflictStatus = await raw.PostAsJsonAsync(AlertCommandWire.AlertPath(id, "resolve"), new NoteCommand("lan", null), AlertCommandWire.Json);
        using var notJson = await raw.PostAsync(AlertCommandWire.AlertPath(id, "comment"), new StringContent("{", System.Text.Encoding.UTF8, "application/json"));

        // Assert
        Assert.Equal("alert #999999 does not exist", missing.Message);
        Assert.Equal($"alert #{id} is resolved; only a firing alert can be acknowledged", conflict.Message);
        Assert.False(conflict.IsInvalidInput);
        Assert.True(invalid.IsInvalidInput);
        Assert.Equal("a comment must have 1 to 4000 characters", invalid.Message);
        Assert.Equal("silence #424242 does not exist", missingSilence.Message);
        Assert.Equal(HttpStatusCode.Conflict, conflictStatus.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
    }

    [Fact]
    public async Task Comment_OverHttp_IsSentAndStoredExactlyOnce()
    {
        // Arrange
        var id = await FireAsync();

        // Act
        var comment = await Commands.CommentAsync(id, "minh.tran", "Mains feeder tripped; EVN informed.", CancellationToken.None);

        // Assert
        Assert.Equal(1, Volatile.Read(ref _commentRequests));
        var details = await _engine.Services.GetRequiredService<IAlertQueries>().GetAsync(id, CancellationToken.None);
        var stored = Assert.Single(details!.Comments);
        Assert.Equal((comment.Id, comment.AlertId, "minh.tran", "Mains feeder tripped; EVN informed."), (stored.Id, stored.AlertId, stored.Author, stored.Text));
    }

    [Fact]
    public async Task Silences_CreateAndEndOverHttp_AreTheEnginesAndRecordTheUser()
    {
        // Arrange
        var now = DateTimeOffset.UtcNow;
        var request = new SilenceRequest { Kind = SilenceKind.Maintenance, Site = "dc-tinh", StartsAt = now, EndsAt = now.AddHours(2), Reason = "UPS maintenance" };

        // Act
        var created = await Commands.CreateSilenceAsync(request, "lan", CancellationToken.None);
        var ended = await Commands.EndSilenceAsync(created.Id, "minh", CancellationToken.None);

        // Assert
        Assert.Equal(("lan", SilenceKind.Maintenance, "dc-tinh"), (created.CreatedBy, created.Kind, created.Site));
        Assert.Equal("minh", ended.EndedBy);
        var all = await _engine.Services.GetRequiredService<IAlertQueries>().ListSilencesAsync(includeExpired: true, CancellationToken.None);
        Assert.Equal("minh", Assert.Single(all).EndedBy);
    }

    [Fact]
    public async Task Silences_RecurringWindowOverHttp_KeepsItsRecurrenceAndBadOnesAreRefusedAsInvalidInput()
    {
        // Arrange
        var now = DateTimeOffset.UtcNow;
        var recurrence = new SilenceRecurrence { Frequency = SilenceFrequency.Weekly, Days = SilenceDays.Tuesday | SilenceDays.Saturday, LocalStart = new TimeOnly(22, 30), Duration = TimeSpan.FromMinutes(90), TimeZone = "Asia/Ho_Chi_Minh" };
        var request = new SilenceRequest { Kind = SilenceKind.Maintenance, Site = "dc-tinh", StartsAt = now, EndsAt = now.AddDays(60), Reason = "Bảo trì UPS định kỳ", Recurrence = recurrence };

        // Act
        var created = await Commands.CreateSilenceAsync(request, "lan", CancellationToken.None);
        var refused = await Assert.ThrowsAsync<AlertCommandException>(() => Commands.CreateSilenceAsync(request with { Site = null, Reason = "x" }, "lan", CancellationToken.None));

        // Assert
        Assert.Equal(recurrence, created.Recurrence);
        Assert.Equal(
            """{"frequency":"weekly","days":"tuesday, saturday","localStart":"22:30:00","duration":"01:30:00","timeZone":"Asia/Ho_Chi_Minh"}""",
            System.Text.Json.JsonSerializer.Serialize(recurrence, AlertCommandWire.Json));
        var all = await _engine.Services.GetRequiredService<IAlertQueries>().ListSilencesAsync(includeExpired: true, CancellationToken.None);
        Assert.Equal(recurrence, Assert.Single(all).Recurrence);
        Assert.True(refused.IsInvalidInput);
        Assert.Contains("a silence must name at least one of rule, site, district, device type or device", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MapAlertCommandEndpoints_WithoutToken_RefusesToStartNamingTheKey()
    {
        // Arrange
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Ioc:Alerting:RulesPath"] = Path.Combine(_directory, "rules.json") });
        builder.Services.AddAlerting(builder.Configuration);
        using var app = (IDisposable)builder.Build();

        // Act
        var error = Assert.Throws<InvalidOperationException>(() => ((WebApplication)app).MapAlertCommandEndpoints());

        // Assert
        Assert.Contains("Ioc:Alerting:CommandToken", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddHttpAlertCommands_WithoutUrlOrToken_FailsValidationNamingBothKeys()
    {
        // Arrange
        await using var provider = Dashboard([]);

        // Act
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AlertingOptions>>().Value);

        // Assert
        Assert.Contains(error.Failures, f => f.Contains("Ioc:Alerting:CommandToken", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Ioc:Alerting:EngineUrl", StringComparison.Ordinal));
    }

    /// <summary>What the dashboard's host registers to send commands.</summary>
    private static ServiceProvider Dashboard(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHttpAlertCommands(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    [Fact]
    public async Task RuleCommands_OverHttp_EngineValidatesStoresAndSwaps_DashboardSeesTheNewList()
    {
        // Arrange: a dashboard in its own process, reading the same store, sending rule commands to the engine.
        await using var dashboard = DashboardWithReads();
        var catalog = dashboard.GetRequiredService<RuleCatalog>();
        var rules = dashboard.GetRequiredService<IRuleCommands>();
        Assert.IsType<HttpRuleCommands>(rules);
        await catalog.RefreshAsync(CancellationToken.None);
        var engine = _engine.Services.GetRequiredService<AlertEngine>();

        // Act: an invalid rule, then a valid one, then a stale edit.
        var refused = await Assert.ThrowsAsync<RuleCommandException>(() => rules.CreateAsync(
            """{"id":"dc-hot","kind":"threshold","severity":"major","metric":"temp_c","op":">","value":30,"clear":35}""", "lan", CancellationToken.None));
        var created = await rules.CreateAsync("""{"id":"dc-hot","kind":"threshold","severity":"major","metric":"temp_c","op":">","value":30}""", "lan", CancellationToken.None);
        var stale = await Assert.ThrowsAsync<RuleCommandException>(() => rules.SetEnabledAsync("dc-hot", 9, false, "lan", CancellationToken.None));

        // Assert: every problem in both languages across the wire; the engine took the rule; the dashboard lists it.
        Assert.Equal(RuleCommandFailure.Invalid, refused.Failure);
        var clear = Assert.Single(refused.Problems);
        Assert.Equal(("dc-hot", "clear"), (clear.RuleId, clear.Field));
        Assert.StartsWith("'clear' (35) phải ở phía an toàn của 'value' (30)", clear.Vi, StringComparison.Ordinal);
        Assert.Equal((RuleOrigins.Dashboard, 1L, "lan"), (created.Origin, created.Version, created.ChangedBy));
        Assert.Equal(RuleCommandFailure.Conflict, stale.Failure);
        Assert.Contains(catalog.Rules, r => r.Stored.Id == "dc-hot");
        await WaitAsync(() => engine.Rules.ById.ContainsKey("dc-hot"), "the engine evaluates the new rule");
        Assert.Contains(await _engine.Services.GetRequiredService<IAuditStore>().ListAsync(10, "lan", CancellationToken.None), a => a.Action == "rule.create" && a.Target == "rule:dc-hot" && a.After!.Contains("\"temp_c\"", StringComparison.Ordinal));

        await rules.DeleteAsync("dc-hot", 1, "lan", CancellationToken.None);
        Assert.DoesNotContain(catalog.Rules, r => r.Stored.Id == "dc-hot");
        await WaitAsync(() => !engine.Rules.ById.ContainsKey("dc-hot"), "the engine drops the deleted rule");
    }

    private static async Task WaitAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting until " + what);
            await Task.Delay(20);
        }
    }

    private ServiceProvider DashboardWithReads()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ioc:Storage:Sqlite:Path"] = Path.Combine(_directory, "ioc.db"),
            ["Ioc:Alerting:RulesPath"] = Path.Combine(_directory, "rules.json"),
            ["Ioc:Alerting:EngineUrl"] = EngineUri.ToString(),
            ["Ioc:Alerting:CommandToken"] = Token,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAlertingQueries(configuration);
        services.AddHttpAlertCommands(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    private async Task<long> FireAsync()
    {
        var fired = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = _engine.Services.GetRequiredService<AlertFeed>().Subscribe(c =>
        {
            if (c.Kind == AlertChangeKind.Fired)
            {
                fired.TrySetResult(c.Alert.Id);
            }
        });
        _engine.Services.GetRequiredService<ITelemetryObserver>().Observe(TestMessages.Telemetry(TestDevices.DcUps, """{"on_battery": true}""", DateTimeOffset.UtcNow));
        return await fired.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
