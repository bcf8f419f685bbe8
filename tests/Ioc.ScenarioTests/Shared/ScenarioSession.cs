using Ioc.Contract.Alerts;
using Ioc.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Ioc.ScenarioTests.Shared;

/// <summary>One scenario run: a real Mosquitto, the collector with the alert engine on a fake clock, and the lock-step driver.</summary>
public sealed class ScenarioSession : IAsyncDisposable
{
    /// <summary>How long the engine may take to apply what the clock's last step made due.</summary>
    public static readonly TimeSpan SettleDeadline = TimeSpan.FromSeconds(15);

    private readonly List<AlertChange> _changes = [];
    private IDisposable? _subscription;

    private ScenarioSession(MosquittoBroker broker, AlertingCollectorHost host)
    {
        Broker = broker;
        Host = host;
    }

    public MosquittoBroker Broker { get; }

    public AlertingCollectorHost Host { get; }

    public LockstepDriver Driver { get; private set; } = null!;

    /// <summary>Every change the engine announced on <see cref="Ioc.Alerting.Announce.AlertFeed"/>, in order.</summary>
    public IReadOnlyList<AlertChange> Changes
    {
        get
        {
            lock (_changes)
            {
                return _changes.ToList();
            }
        }
    }

    public static async Task<ScenarioSession> StartAsync(params string[] scenarios)
    {
        var broker = await MosquittoBroker.StartAsync();
        var host = new AlertingCollectorHost(broker.Port, new FakeTimeProvider(ScenarioFleet.Start));
        var session = new ScenarioSession(broker, host);
        try
        {
            await host.StartAsync();
            session._subscription = host.Services.GetFeed().Subscribe(change =>
            {
                lock (session._changes)
                {
                    session._changes.Add(change);
                }
            });
            session.Driver = await LockstepDriver.StartAsync(host, broker.Port, scenarios);
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>Every alert the run raised, open or resolved, oldest first.</summary>
    public async Task<IReadOnlyList<Alert>> AllAlertsAsync() =>
        (await Host.Alerts.ListAsync(new AlertFilter { Limit = 10_000 }, CancellationToken.None)).OrderBy(a => a.Id).ToList();

    public Task<IReadOnlyList<Alert>> OpenAlertsAsync() => Host.Alerts.ListOpenAsync(null, CancellationToken.None);

    /// <summary>Awaits, with a deadline, until the open alerts satisfy <paramref name="condition"/>.</summary>
    public async Task<IReadOnlyList<Alert>> OpenAlertsWhenAsync(Func<IReadOnlyList<Alert>, bool> condition, string what)
    {
        IReadOnlyList<Alert> open = [];
        await Wait.UntilAsync(async () => condition(open = await OpenAlertsAsync()), SettleDeadline, what);
        return open;
    }

    /// <summary>
    /// Awaits (the feed is told just after the store commits) until every alert's firing and resolution have been
    /// announced on the feed, then checks each was announced exactly once.
    /// </summary>
    public async Task AnnouncedAsync(IReadOnlyList<Alert> alerts)
    {
        await Wait.UntilAsync(
            () => alerts.All(a => Changes.Any(c => c.Kind == AlertChangeKind.Resolved && c.Alert.Id == a.Id)),
            SettleDeadline,
            "every resolution announced");
        AlertAssert.Announced(Changes, alerts);
    }

    /// <summary>Awaits, with a deadline, until no alert is open: what the scenario raised has been cleared.</summary>
    public Task AllClearedAsync() => OpenAlertsWhenAsync(open => open.Count == 0, "every alert resolved");

    public async ValueTask DisposeAsync()
    {
        _subscription?.Dispose();
        if (Driver is not null)
        {
            await Driver.DisposeAsync();
        }

        await Host.DisposeAsync();
        await Broker.DisposeAsync();
    }
}
