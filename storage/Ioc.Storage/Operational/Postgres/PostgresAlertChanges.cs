using System.Text.Json;
using System.Threading.Channels;
using Dapper;
using Ioc.Contract.Alerts;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ioc.Storage.Operational.Postgres;

/// <summary>
/// The engine's alert and health changes seen from another process: triggers on <c>alerts</c>, <c>alert_comments</c>
/// and <c>alert_devices</c> send <c>NOTIFY ioc_alert_changes</c> at commit; this class listens on a connection of its
/// own, reconnects with backoff, and after a reconnect replays every alert whose change sequence it has not seen (and
/// every device whose health differs) before raising <see cref="Resynchronized"/>, so nothing is silently missed.
/// Starts listening on the first subscription.
/// </summary>
public sealed partial class PostgresAlertChanges : IAlertChanges, IAsyncDisposable
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);
    private readonly string _connectionString;
    private readonly IAlertStore _alerts;
    private readonly TimeProvider _time;
    private readonly ILogger<PostgresAlertChanges> _logger;
    private readonly Lock _gate = new();
    private readonly List<Subscription> _subscriptions = [];
    private readonly Channel<string> _payloads = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<(string, string, string), string> _health = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;
    private long _lastSeq;
    private int _reconnects;

    public PostgresAlertChanges(string connectionString, IAlertStore alerts, TimeProvider time, ILogger<PostgresAlertChanges> logger)
    {
        _connectionString = new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = ApplicationName, KeepAlive = 10 }.ToString();
        _alerts = alerts;
        _time = time;
        _logger = logger;
    }

    /// <summary>The <c>application_name</c> of the listening connection (to find it in <c>pg_stat_activity</c>).</summary>
    public const string ApplicationName = "ioc-alert-changes";

    /// <summary>Raised after a reconnect, once the missed changes have been replayed: a reader of lists may re-read them.</summary>
    public event Action? Resynchronized;

    /// <summary>How many times the listener has reconnected.</summary>
    public int Reconnects => Volatile.Read(ref _reconnects);

    /// <summary>Completes when the first <c>LISTEN</c> is in place (changes committed after that are delivered).</summary>
    public Task Listening => _listening.Task;

    public IDisposable Subscribe(Action<AlertChange>? onAlert, Action<DeviceHealth>? onHealth = null)
    {
        var subscription = new Subscription(this, onAlert, onHealth);
        lock (_gate)
        {
            _subscriptions.Add(subscription);
            _loop ??= Task.WhenAll(Task.Run(() => ListenAsync(_stop.Token)), Task.Run(() => DispatchAsync(_stop.Token)));
        }

        return subscription;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _payloads.Writer.TryComplete();
        if (_loop is { } loop)
        {
            try
            {
                await loop;
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }

        _stop.Dispose();
    }

    /// <summary>Which <see cref="AlertChangeKind"/> an update is, from the facts before and after (null: nothing people care about).</summary>
    public static AlertChangeKind? Classify(JsonElement? before, JsonElement after)
    {
        if (before is not { ValueKind: JsonValueKind.Object } old)
        {
            return AlertChangeKind.Fired;
        }

        string? Text(JsonElement e, string name) => e.GetProperty(name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;
        long? Number(JsonElement e, string name) => e.GetProperty(name) is { ValueKind: JsonValueKind.Number } v ? v.GetInt64() : null;
        bool Flag(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.True;

        var (oldState, newState) = (Text(old, "state"), Text(after, "state"));
        if (oldState != newState)
        {
            return newState switch
            {
                "resolved" => AlertChangeKind.Resolved,
                "acknowledged" => AlertChangeKind.Acknowledged,
                _ => AlertChangeKind.Unacknowledged,
            };
        }

        if (Number(old, "parent_id") != Number(after, "parent_id"))
        {
            return Number(after, "parent_id") is null ? AlertChangeKind.Ungrouped : AlertChangeKind.Grouped;
        }

        if (Number(after, "escalation_level") > Number(old, "escalation_level"))
        {
            return AlertChangeKind.Escalated;
        }

        if (Flag(old, "flapping") != Flag(after, "flapping"))
        {
            return Flag(after, "flapping") ? AlertChangeKind.FlappingStarted : AlertChangeKind.FlappingEnded;
        }

        if (Flag(old, "silenced") != Flag(after, "silenced"))
        {
            return Flag(after, "silenced") ? AlertChangeKind.Silenced : AlertChangeKind.Unsilenced;
        }

        if (Text(old, "assignee") != Text(after, "assignee"))
        {
            return AlertChangeKind.Assigned;
        }

        return Number(after, "repeat_count") > Number(old, "repeat_count") ? AlertChangeKind.Repeated : null;
    }

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(200);
        var connected = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_connectionString);
                await connection.OpenAsync(cancellationToken);
                connection.Notification += (_, e) => _payloads.Writer.TryWrite(e.Payload);
                await connection.ExecuteAsync(new CommandDefinition($"LISTEN {PostgresSchema.ChangeChannel}", cancellationToken: cancellationToken));
                if (!connected)
                {
                    connected = true;
                    await SnapshotAsync(connection, cancellationToken);
                    _listening.TrySetResult();
                }
                else
                {
                    Interlocked.Increment(ref _reconnects);
                    await _payloads.Writer.WriteAsync(ResyncMarker, cancellationToken);
                }

                backoff = TimeSpan.FromMilliseconds(200);
                while (true)
                {
                    await connection.WaitAsync(cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or System.IO.IOException or TimeoutException or InvalidOperationException)
            {
                Log.ListenerLost(_logger, ex.Message, backoff);
                await Task.Delay(backoff, _time, cancellationToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }

    /// <summary>Where the feed starts: the newest change sequence and every device's health, before any notification is handled.</summary>
    private async Task SnapshotAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        Volatile.Write(ref _lastSeq, await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COALESCE(MAX(change_seq), 0) FROM alerts", cancellationToken: cancellationToken)));
        var devices = await connection.QueryAsync<(string Site, string DeviceType, string DeviceId, string Health)>(new CommandDefinition(
            "SELECT site, device_type, device_id, health FROM alert_devices", cancellationToken: cancellationToken));
        lock (_health)
        {
            foreach (var d in devices)
            {
                _health[(d.Site, d.DeviceType, d.DeviceId)] = d.Health;
            }
        }
    }

    private const string ResyncMarker = "resync";

    private async Task DispatchAsync(CancellationToken cancellationToken)
    {
        await foreach (var payload in _payloads.Reader.ReadAllAsync(cancellationToken))
        {
            try
            {
                if (payload == ResyncMarker)
                {
                    await ResyncAsync(cancellationToken);
                    continue;
                }

                using var document = JsonDocument.Parse(payload);
                await HandleAsync(document.RootElement, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
            {
                Log.NotificationFailed(_logger, ex.Message);
            }
        }
    }

    private async Task HandleAsync(JsonElement root, CancellationToken cancellationToken)
    {
        switch (root.GetProperty("t").GetString())
        {
            case "alert":
            {
                var seq = root.GetProperty("seq").GetInt64();
                Advance(seq);
                var kind = Classify(root.GetProperty("old") is { ValueKind: JsonValueKind.Object } old ? old : null, root.GetProperty("new"));
                if (kind is { } k && await _alerts.GetAsync(root.GetProperty("id").GetInt64(), cancellationToken) is { } alert)
                {
                    RaiseAlert(new AlertChange(k, alert, ActorOf(k, root.GetProperty("new")), alert.UpdatedAt));
                }

                break;
            }

            case "comment":
                if (await _alerts.GetAsync(root.GetProperty("id").GetInt64(), cancellationToken) is { } commented)
                {
                    RaiseAlert(new AlertChange(AlertChangeKind.Commented, commented, root.GetProperty("author").GetString() ?? "unknown", _time.GetUtcNow()));
                }

                break;

            case "health":
            {
                var health = new DeviceHealth(
                    root.GetProperty("site").GetString()!,
                    root.GetProperty("device_type").GetString()!,
                    root.GetProperty("device_id").GetString()!,
                    root.GetProperty("district").GetString(),
                    HealthStates.Parse(root.GetProperty("health").GetString()!),
                    DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("last_seen").GetInt64()),
                    DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("since").GetInt64()));
                lock (_health)
                {
                    _health[(health.Site, health.DeviceType, health.DeviceId)] = HealthStates.Name(health.State);
                }

                RaiseHealth(health);
                break;
            }
        }
    }

    /// <summary>After a reconnect: every alert changed since the last sequence seen, and every device whose health moved.</summary>
    private async Task ResyncAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        var missed = (await connection.QueryAsync<(long Id, long Seq, string? Action)>(new CommandDefinition(
            """
            SELECT a.id, a.change_seq, (SELECT action FROM alert_audit u WHERE u.alert_id = a.id ORDER BY u.id DESC LIMIT 1)
            FROM alerts a WHERE a.change_seq > @last ORDER BY a.change_seq
            """,
            new { last = Volatile.Read(ref _lastSeq) },
            cancellationToken: cancellationToken))).ToList();
        foreach (var (id, seq, action) in missed)
        {
            Advance(seq);
            if (await _alerts.GetAsync(id, cancellationToken) is { } alert)
            {
                var kind = KindOfAuditAction(action, alert);
                RaiseAlert(new AlertChange(kind, alert, ActorOf(kind, alert), alert.UpdatedAt));
            }
        }

        var devices = await connection.QueryAsync<(string Site, string DeviceType, string DeviceId, string? District, string Health, DateTime LastSeen, DateTime Since)>(new CommandDefinition(
            "SELECT site, device_type, device_id, district, health, last_seen, health_since FROM alert_devices", cancellationToken: cancellationToken));
        foreach (var d in devices)
        {
            bool changed;
            lock (_health)
            {
                changed = !_health.TryGetValue((d.Site, d.DeviceType, d.DeviceId), out var known) || known != d.Health;
                _health[(d.Site, d.DeviceType, d.DeviceId)] = d.Health;
            }

            if (changed)
            {
                RaiseHealth(new DeviceHealth(d.Site, d.DeviceType, d.DeviceId, d.District, HealthStates.Parse(d.Health), PostgresAlertStore.Utc(d.LastSeen), PostgresAlertStore.Utc(d.Since)));
            }
        }

        Log.Resynchronized(_logger, missed.Count);
        Resynchronized?.Invoke();
    }

    private static AlertChangeKind KindOfAuditAction(string? action, Alert alert) => action switch
    {
        "flapping" => AlertChangeKind.FlappingStarted,
        "held" or "repeated" => AlertChangeKind.Repeated,
        _ when Enum.TryParse<AlertChangeKind>(action, ignoreCase: true, out var kind) => kind,
        _ => alert.State switch
        {
            AlertState.Resolved => AlertChangeKind.Resolved,
            AlertState.Acknowledged => AlertChangeKind.Acknowledged,
            _ => AlertChangeKind.Fired,
        },
    };

    private static string ActorOf(AlertChangeKind kind, JsonElement facts)
    {
        string? Text(string name) => facts.GetProperty(name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;
        return kind switch
        {
            AlertChangeKind.Acknowledged => Text("acknowledged_by"),
            AlertChangeKind.Resolved => Text("resolved_by"),
            AlertChangeKind.Assigned => Text("assigned_by"),
            _ => null,
        } ?? "engine";
    }

    private static string ActorOf(AlertChangeKind kind, Alert alert) => kind switch
    {
        AlertChangeKind.Acknowledged => alert.AcknowledgedBy,
        AlertChangeKind.Resolved => alert.ResolvedBy,
        AlertChangeKind.Assigned => alert.AssignedBy,
        _ => null,
    } ?? "engine";

    private void Advance(long seq)
    {
        long seen;
        while (seq > (seen = Volatile.Read(ref _lastSeq)) && Interlocked.CompareExchange(ref _lastSeq, seq, seen) != seen)
        {
        }
    }

    private void RaiseAlert(AlertChange change)
    {
        foreach (var subscription in Snapshot())
        {
            subscription.OnAlert?.Invoke(change);
        }
    }

    private void RaiseHealth(DeviceHealth health)
    {
        foreach (var subscription in Snapshot())
        {
            subscription.OnHealth?.Invoke(health);
        }
    }

    private Subscription[] Snapshot()
    {
        lock (_gate)
        {
            return [.. _subscriptions];
        }
    }

    private sealed class Subscription(PostgresAlertChanges owner, Action<AlertChange>? onAlert, Action<DeviceHealth>? onHealth) : IDisposable
    {
        public Action<AlertChange>? OnAlert => onAlert;

        public Action<DeviceHealth>? OnHealth => onHealth;

        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._subscriptions.Remove(this);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Alert change listener lost its PostgreSQL connection ({Reason}); reconnecting in {Delay}")]
        public static partial void ListenerLost(ILogger logger, string reason, TimeSpan delay);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Alert change notification could not be handled ({Reason})")]
        public static partial void NotificationFailed(ILogger logger, string reason);

        [LoggerMessage(Level = LogLevel.Information, Message = "Alert change listener reconnected; replayed {Count} alert changes")]
        public static partial void Resynchronized(ILogger logger, int count);
    }
}
