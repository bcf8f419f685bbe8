using Ioc.Alerting.Devices;
using Ioc.Alerting.Evaluation;
using Ioc.Alerting.Hosting;
using Ioc.Contract.Alerts;
using Ioc.Alerting.Rules;
using Ioc.Alerting.Rules.Catalogue;
using Ioc.Storage.Operational;
using Ioc.Contract;
using Ioc.Contract.Diagnostics;
using Ioc.Contract.Model;
using Microsoft.Extensions.Logging;

namespace Ioc.Alerting.Engine;

/// <summary>
/// The rules on the stream. Single-threaded by design: <see cref="ProcessAsync"/> and <see cref="TickAsync"/> are called
/// from one loop (<see cref="AlertEngineService"/>, or a test), so evaluators keep plain dictionaries and no locks.
/// Time is the injected clock's: windows and for-durations run on arrival time, not on device timestamps.
/// </summary>
public sealed class AlertEngine : IHeapTrimParticipant
{
    private readonly RuleCatalog _catalog;
    private RuleSet _rules;
    private bool _swept;
    private readonly IAlertStore _store;
    private readonly IDeviceStore _devices;
    private readonly AlertLifecycle _lifecycle;
    private readonly AlertChangePublisher _publisher;
    private readonly DeviceRegistry _registry;
    private readonly TimeProvider _time;
    private readonly ILogger<AlertEngine> _logger;
    private RuleEvaluator[] _evaluators = [];
    private RuleEvaluator[][] _byChannel = [];
    private CompositeEvaluator[] _composites = [];
    private Dictionary<string, CompositeEvaluator[]> _compositesByChild = [];
    /// <summary>How often the engine re-reads the rule catalogue (changes made through this engine's commands are seen at once).</summary>
    private static readonly TimeSpan CatalogueRefreshEvery = TimeSpan.FromSeconds(5);
    private DateTimeOffset _nextCatalogueRefresh = DateTimeOffset.MinValue;
    private readonly List<AlertSignal> _signals = new(16);
    private readonly List<DeviceHealth> _healthChanges = new(4);
    private readonly List<AlertSignal> _retry = [];
    private static readonly TimeSpan PurgeEvery = TimeSpan.FromHours(1);
    private readonly TimeSpan _retention;
    private DateTimeOffset _nextPurge = DateTimeOffset.MinValue;
    private bool _initialized;
    /// <summary>A heap trim's request, served at the start of the next tick (the engine's own thread: its tables have no lock).</summary>
    private TaskCompletionSource? _trimRequest;
    /// <summary>Device rows written per tick: a fleet-wide update is spread over ticks instead of stalling one.</summary>
    private const int DevicesPerTick = 250;

    /// <summary>Signals kept for a retry while the store refuses writes; beyond this the oldest condition changes are lost (and logged).</summary>
    private const int MaxRetainedSignals = 100_000;

    public AlertEngine(
        RuleCatalog catalog,
        IAlertStore store,
        IDeviceStore devices,
        AlertLifecycle lifecycle,
        AlertChangePublisher publisher,
        DeviceRegistry registry,
        TimeProvider time,
        AlertingOptions options,
        ILogger<AlertEngine> logger)
    {
        _retention = TimeSpan.FromDays(options.RetentionDays);
        _catalog = catalog;
        _rules = catalog.Current;
        _store = store;
        _devices = devices;
        _lifecycle = lifecycle;
        _publisher = publisher;
        _registry = registry;
        _time = time;
        _logger = logger;
        Index(_rules.Rules.Select(r => EvaluatorFactory.Create(r, registry)).ToArray());
    }

    private void Index(RuleEvaluator[] evaluators)
    {
        _evaluators = evaluators;
        _byChannel = Enum.GetValues<MessageChannel>().Select(c => _evaluators.Where(e => e.Wants(c)).ToArray()).ToArray();
        _composites = _evaluators.OfType<CompositeEvaluator>().ToArray();
        _compositesByChild = _composites.GroupBy(c => c.ChildRuleId).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
    }

    public RuleSet Rules => _rules;

    public DeviceRegistry Devices => _registry;

    /// <summary>Messages evaluated since start.</summary>
    public long Processed { get; private set; }

    /// <summary>
    /// Migrates the store, reloads the known devices and resumes every open alert as firing in its evaluator, so that a
    /// restart neither raises an open alert twice nor forgets one.
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (_initialized)
        {
            return;
        }

        await _store.MigrateAsync(cancellationToken);
        await _catalog.LoadAsync(cancellationToken);
        _rules = _catalog.Current;
        Index(_rules.Rules.Select(r => EvaluatorFactory.Create(r, _registry)).ToArray());
        var now = _time.GetUtcNow();
        _registry.Load(await _devices.LoadAsync(cancellationToken), now);
        foreach (var offline in _evaluators.OfType<OfflineEvaluator>())
        {
            foreach (var (device, district, lastSeen) in _registry.Devices)
            {
                offline.Seed(device, district, lastSeen);
            }
        }

        var open = await _store.ListOpenAsync(cancellationToken);
        foreach (var alert in open)
        {
            // A held (flapping) alert's condition is clear: its evaluator starts normal and fires again if it returns.
            if (alert.ConditionActive && _evaluators.FirstOrDefault(e => e.Rule.Id == alert.RuleId) is { } evaluator)
            {
                evaluator.Restore(alert);
            }
        }

        foreach (var composite in _composites)
        {
            composite.SyncChildren(open);
        }

        _initialized = true;
        Log.EngineStarted(_logger, _rules.Rules.Count, _rules.Source, _registry.Count, open.Count);
    }

    public async Task ProcessAsync(DecodedMessage message, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        Processed++;
        var subject = _registry.Observe(message, now, _healthChanges);
        PublishHealth();
        var context = new MessageContext(message, subject, now);
        foreach (var evaluator in _byChannel[(int)message.Channel])
        {
            if (evaluator.Rule.Scope.MatchesDevice(message.Device, subject.District))
            {
                evaluator.OnMessage(context, _signals);
            }
        }

        if (_signals.Count > 0)
        {
            await ApplySignalsAsync(now, cancellationToken);
        }
    }

    /// <summary>
    /// Asks the engine to give back the slack of its per-device tables (device registry, evaluators) at its next tick, on
    /// its own thread; the task completes once done. Any thread may call it (the collector's heap trim does).
    /// </summary>
    public Task RequestTrimAsync()
    {
        var request = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return (Interlocked.CompareExchange(ref _trimRequest, request, null) ?? request).Task;
    }

    /// <summary>The rules' evaluators as running (tests).</summary>
    internal IReadOnlyList<RuleEvaluator> Evaluators => _evaluators;

    /// <summary>The heap trim's call: <see cref="RequestTrimAsync"/>, served at the engine's next tick.</summary>
    public Task TrimAsync(CancellationToken cancellationToken) => RequestTrimAsync().WaitAsync(cancellationToken);

    /// <summary>Lets time pass: for-durations, no-data, sliding windows, composites, flapping, silences, escalation.</summary>
    public async Task TickAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _trimRequest, null) is { } trim)
        {
            _registry.TrimExcess();
            foreach (var evaluator in _evaluators)
            {
                evaluator.TrimExcess();
            }

            trim.TrySetResult();
        }

        var now = _time.GetUtcNow();
        await FollowCatalogueAsync(now, cancellationToken);
        _registry.Tick(now, _healthChanges);
        PublishHealth();
        foreach (var evaluator in _evaluators)
        {
            if (evaluator is not CompositeEvaluator)
            {
                evaluator.OnTick(now, _signals);
            }
        }

        await ApplySignalsAsync(now, cancellationToken);
        var open = await _lifecycle.MaintainAsync(now, cancellationToken);
        foreach (var composite in _composites)
        {
            composite.SyncChildren(open);
            composite.OnTick(now, _signals);
        }

        await ApplySignalsAsync(now, cancellationToken);
        await PersistDevicesAsync(now, cancellationToken);
        if (now >= _nextPurge)
        {
            _nextPurge = now + PurgeEvery;
            await _store.PurgeResolvedAsync(now - _retention, cancellationToken);
        }
    }

    /// <summary>
    /// Takes the catalogue's current rules when they differ from the engine's (re-reading the store every few seconds,
    /// for changes made through another process): a rule whose definition is unchanged keeps its evaluator and all its
    /// state; a new or changed rule gets a new evaluator, which resumes the rule's open alerts as after a restart (so they
    /// clear under the new definition); a rule deleted or disabled has its open alerts resolved by the engine, with the
    /// reason (who deleted or disabled it) in their history. Runs on the evaluation loop, between messages.
    /// </summary>
    private async Task FollowCatalogueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (now >= _nextCatalogueRefresh)
        {
            _nextCatalogueRefresh = now + CatalogueRefreshEvery;
            try
            {
                await _catalog.RefreshAsync(cancellationToken);
            }
            catch (RuleValidationException ex)
            {
                Log.CatalogueInvalid(_logger, ex);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.CatalogueRefreshFailed(_logger, ex);
            }
        }

        // One read: the rules and the refused ids of the same snapshot (a later snapshot may land during the swap's awaits).
        // The first tick after start swaps too, to resolve the alerts of rules removed while the engine was down.
        var active = _catalog.Active;
        if (!ReferenceEquals(active.Set, _rules) || !_swept)
        {
            await SwapAsync(active, now, cancellationToken);
        }
    }

    private async Task SwapAsync(ActiveRules active, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var next = active.Set;
        var current = _evaluators.ToDictionary(e => e.Rule.Id, StringComparer.Ordinal);
        var open = await _store.ListOpenAsync(cancellationToken);
        var evaluators = new List<RuleEvaluator>(next.Rules.Count);
        int kept = 0, started = 0, resolved = 0;
        foreach (var rule in next.Rules)
        {
            if (current.TryGetValue(rule.Id, out var existing) && ReferenceEquals(existing.Rule, rule))
            {
                evaluators.Add(existing);
                kept++;
                continue;
            }

            var evaluator = EvaluatorFactory.Create(rule, _registry);
            if (evaluator is OfflineEvaluator offline)
            {
                foreach (var (device, district, lastSeen) in _registry.Devices)
                {
                    offline.Seed(device, district, lastSeen);
                }
            }

            foreach (var alert in open.Where(a => a.RuleId == rule.Id && a.ConditionActive))
            {
                evaluator.Restore(alert);
            }

            evaluators.Add(evaluator);
            started++;
        }

        // Removed: every rule that ran or has open alerts and is neither enabled nor refused in this snapshot (deleted,
        // disabled, renamed; here, on another host, in the database or while the engine was down). A refused rule is
        // still stored: its alerts stay open, untouched, until it is fixed or deleted.
        var remaining = next.ById;
        var removed = current.Keys.Concat(open.Select(a => a.RuleId)).Distinct(StringComparer.Ordinal)
            .Where(id => !remaining.ContainsKey(id) && !active.NotRunning.Contains(id)).ToList();
        foreach (var id in current.Keys.Where(active.NotRunning.Contains))
        {
            Log.RuleStoppedOpenAlertsKept(_logger, id, open.Count(a => a.RuleId == id));
        }

        Index([.. evaluators]);
        foreach (var id in removed)
        {
            var reason = _catalog.RemovalReason(id, active.Generation);
            foreach (var alert in open.Where(a => a.RuleId == id))
            {
                if (await _lifecycle.ResolveForRuleRemovalAsync(alert.Id, now, reason, cancellationToken) is not null)
                {
                    resolved++;
                }
            }
        }

        // Only now that every removed rule's alerts are resolved: a store error above leaves _rules as it was, so the next
        // tick swaps again and resolves the rest (with their reasons still noted).
        _catalog.ForgetRemovalReasons(active.Generation);
        _rules = next;
        _swept = true;

        if (_composites.Length > 0)
        {
            // Read once, after the removals above resolved their alerts: every composite syncs from the same open set.
            var stillOpen = await _store.ListOpenAsync(cancellationToken);
            foreach (var composite in _composites)
            {
                composite.SyncChildren(stillOpen);
            }
        }

        Log.RulesSwapped(_logger, kept, started, removed.Count, resolved);
    }

    /// <summary>Signals evaluated but not stored yet (a store error parks them for the next tick).</summary>
    public int ParkedSignals => _retry.Count + _signals.Count;

    /// <summary>Stores the signals a store error parked (shutdown: there is no next tick to retry them).</summary>
    public Task ApplyParkedAsync(CancellationToken cancellationToken) =>
        ParkedSignals > 0 ? ApplySignalsAsync(_time.GetUtcNow(), cancellationToken) : Task.CompletedTask;

    /// <summary>Writes every pending device change to the store (tests, shutdown).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        while (_registry.DirtyCount > 0)
        {
            await _devices.UpsertAsync(_registry.TakeDirty(now, DevicesPerTick), cancellationToken);
        }
    }

    /// <summary>
    /// Writes changed devices on the evaluation loop, a bounded number per tick: a second writer thread would contend
    /// with alert writes for SQLite's write lock, and its busy-wait backoff costs tens of milliseconds.
    /// </summary>
    private Task PersistDevicesAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        _devices.UpsertAsync(_registry.TakeDirty(now, DevicesPerTick), cancellationToken);

    private async Task ApplySignalsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_retry.Count > 0)
        {
            _signals.InsertRange(0, _retry);
            _retry.Clear();
        }

        // Composite signals produced while applying are appended and applied in the same pass.
        for (var round = 0; round < 4 && _signals.Count > 0; round++)
        {
            var batch = _signals.ToArray();
            _signals.Clear();
            var touched = false;
            for (var i = 0; i < batch.Length; i++)
            {
                var signal = batch[i];
                Alert? alert;
                try
                {
                    alert = await _lifecycle.ApplyAsync(signal, cancellationToken);
                }
                catch
                {
                    // The evaluators have already moved on: keep what was not stored and apply it on the next tick
                    // (applying a signal twice is harmless: it finds the open alert).
                    if (_retry.Count < MaxRetainedSignals)
                    {
                        _retry.AddRange(batch.Skip(i));
                        _retry.AddRange(_signals);
                    }

                    _signals.Clear();
                    throw;
                }

                if (alert is not null && _compositesByChild.TryGetValue(signal.Rule.Id, out var composites))
                {
                    foreach (var composite in composites)
                    {
                        composite.ChildChanged(alert);
                    }

                    touched = true;
                }
            }

            if (touched)
            {
                foreach (var composite in _composites)
                {
                    composite.EvaluateTouched(now, _signals);
                }
            }
        }

        _signals.Clear();
    }

    private void PublishHealth()
    {
        if (_healthChanges.Count == 0)
        {
            return;
        }

        foreach (var health in _healthChanges)
        {
            _publisher.PublishHealth(health);
        }

        _healthChanges.Clear();
    }
}
