using Ioc.Contract.Alerts;
using Ioc.IntegrationTests.Infrastructure;
using Ioc.Storage.Operational;
using Ioc.Storage.Operational.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Ioc.IntegrationTests.Storage.Operational;

/// <summary>The operational store contract on a real PostgreSQL 15, plus its change feed (LISTEN/NOTIFY).</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresOperationalStoreTests(PostgresFixture fixture) : OperationalStoreContractTests
{
    private Task<string> ConnectionStringAsync() => fixture.Server.DatabaseAsync(nameof(PostgresOperationalStoreTests));

    protected override async Task<IOperationalStore> OpenStoreAsync() => new PostgresOperationalStore(await ConnectionStringAsync());

    protected override async Task<(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyDictionary<string, string?>> Rows)> ReadViewAsync(string view, string where)
    {
        await using var connection = new NpgsqlConnection(await ConnectionStringAsync());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT * FROM {view} WHERE {where}", connection);
        await using var reader = await command.ExecuteReaderAsync();
        return await SqliteOperationalStoreTests.ReadAllAsync(reader);
    }

    [Fact]
    public async Task ChangeFeed_ChangeWrittenByAnotherConnection_ReachesSubscriberWithinOneSecond()
    {
        await using var feed = new PostgresAlertChanges(await ConnectionStringAsync(), Store.Alerts, TimeProvider.System, NullLogger<PostgresAlertChanges>.Instance);
        var writer = await NewStoreAsync();
        var rule = Unique("feed");
        var fired = new TaskCompletionSource<AlertChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        var acknowledged = new TaskCompletionSource<AlertChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        var health = new TaskCompletionSource<DeviceHealth>(TaskCreationOptions.RunContinuationsAsynchronously);
        var site = Unique("site");
        using var subscription = feed.Subscribe(
            change =>
            {
                if (change.Alert.RuleId == rule)
                {
                    (change.Kind == AlertChangeKind.Fired ? fired : acknowledged).TrySetResult(change);
                }
            },
            h =>
            {
                if (h.Site == site)
                {
                    health.TrySetResult(h);
                }
            });
        await feed.Listening.WaitAsync(TimeSpan.FromSeconds(10));

        var alert = await writer.Alerts.InsertAsync(NewAlert(rule, "F-1", T0), "engine", "fired", null, CancellationToken.None);
        var firedChange = await fired.Task.WaitAsync(TimeSpan.FromSeconds(1));
        await writer.Alerts.UpdateAsync(alert.Id, T0.AddMinutes(1), a => new AlertMutation(a with { State = AlertState.Acknowledged, AcknowledgedAt = T0.AddMinutes(1), AcknowledgedBy = "op7" }, [("op7", "acknowledged", null)]), CancellationToken.None);
        var ackChange = await acknowledged.Task.WaitAsync(TimeSpan.FromSeconds(1));
        await writer.Devices.UpsertAsync([new DeviceHealth(site, "sensor", "S1", "tu-ky", HealthState.Offline, T0, T0)], CancellationToken.None);
        var healthChange = await health.Task.WaitAsync(TimeSpan.FromSeconds(1));

        Assert.Equal((alert.Id, "engine"), (firedChange.Alert.Id, firedChange.Actor));
        Assert.Equal((AlertChangeKind.Acknowledged, "op7", AlertState.Acknowledged), (ackChange.Kind, ackChange.Actor, ackChange.Alert.State));
        Assert.Equal(new DeviceHealth(site, "sensor", "S1", "tu-ky", HealthState.Offline, T0, T0), healthChange);
    }

    [Fact]
    public async Task ChangeFeed_ListenerConnectionKilled_ReconnectsAndReplaysWhatItMissed()
    {
        await using var feed = new PostgresAlertChanges(await ConnectionStringAsync(), Store.Alerts, TimeProvider.System, NullLogger<PostgresAlertChanges>.Instance);
        var rule = Unique("missed");
        var received = new TaskCompletionSource<AlertChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        var resynced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        feed.Resynchronized += () => resynced.TrySetResult();
        using var subscription = feed.Subscribe(change =>
        {
            if (change.Alert.RuleId == rule)
            {
                received.TrySetResult(change);
            }
        });
        await feed.Listening.WaitAsync(TimeSpan.FromSeconds(10));

        // Kill the listener's backend and write while it is away: no NOTIFY can reach it.
        await using (var admin = new NpgsqlConnection(await ConnectionStringAsync()))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = @name", admin);
            kill.Parameters.AddWithValue("name", PostgresAlertChanges.ApplicationName);
            Assert.Equal(1L, await kill.ExecuteScalarAsync());
        }

        var alert = await Store.Alerts.InsertAsync(NewAlert(rule, "M-1", T0), "engine", "fired", null, CancellationToken.None);

        var change = await received.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await resynced.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal((alert.Id, AlertChangeKind.Fired), (change.Alert.Id, change.Kind));
        Assert.True(feed.Reconnects >= 1);
    }
}
