using System.Collections.Concurrent;
using System.Text;
using Ioc.Collector.Configuration;
using Ioc.Collector.Diagnostics;
using Ioc.Collector.Pipeline;
using Ioc.Collector.Spool;
using Ioc.Contract;
using Ioc.Storage;
using Ioc.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Ioc.Collector.Tests.Shared;

/// <summary>The collector's pipeline stages without MQTT: messages go straight onto the ingest queue.</summary>
public sealed class PipelineHarness : IAsyncDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ioc-pipeline-").FullName;
    private readonly BatchingService _batcher;
    private readonly StorageWriterService _writer;
    private readonly SpoolReplayService _replayer;
    private readonly CancellationTokenSource _stop = new();

    public PipelineHarness(TestTelemetryStore store, CollectorOptions? options = null, params ITelemetryObserver[] observers)
        : this(store, decode: null, options, observers)
    {
    }

    /// <summary>With <paramref name="decode"/> in place of the real decoder (null: the real one).</summary>
    public PipelineHarness(TestTelemetryStore store, Func<InboundMessage, DecodeResult>? decode, CollectorOptions? options = null, params ITelemetryObserver[] observers)
    {
        Store = store;
        var collectorOptions = options ?? new CollectorOptions();
        collectorOptions.SpoolPath = Path.Combine(_folder, "spool");
        collectorOptions.ReplayRetryDelay = TimeSpan.FromMilliseconds(50);
        var wrapped = Options.Create(collectorOptions);
        Ingest = new IngestQueue(wrapped);
        var batches = new BatchQueue();
        Spool = new DiskSpool(wrapped);
        Availability = new StoreAvailability();
        DeadLetters = new SqliteDeadLetterStore(new SqliteDatabase(new SqliteOptions { Path = Path.Combine(_folder, "ops.db") }));
        var drain = new PipelineDrain();
        _batcher = decode is null
            ? new BatchingService(Ingest, batches, new MessageDecoder(new ContractOptions()), observers, Metrics, wrapped, TimeProvider.System, NullLogger<BatchingService>.Instance)
            : new BatchingService(Ingest, batches, decode, observers, Metrics, wrapped, TimeProvider.System, NullLogger<BatchingService>.Instance);
        _writer = new StorageWriterService(batches, store, DeadLetters, Spool, Availability, drain, Metrics, wrapped, TimeProvider.System, NullLogger<StorageWriterService>.Instance);
        Status = new CollectorStatus(Metrics, () => (1, 1), Ingest, Spool, Availability, store, collectorOptions.Health);
        _replayer = new SpoolReplayService(Spool, store, Availability, Metrics, wrapped, TimeProvider.System, NullLogger<SpoolReplayService>.Instance);
    }

    public TestTelemetryStore Store { get; }

    public IngestQueue Ingest { get; }

    public DiskSpool Spool { get; }

    public StoreAvailability Availability { get; }

    public SqliteDeadLetterStore DeadLetters { get; }

    public CollectorMetrics Metrics { get; } = new();

    /// <summary>What /healthz would say, with one broker connection up.</summary>
    public CollectorStatus Status { get; }

    /// <summary>The batching stage's run; faulted if an exception escaped it.</summary>
    public Task? BatcherTask => _batcher.ExecuteTask;

    /// <summary>Acknowledged message topics in acknowledgement order, with how many points the store held at that moment.</summary>
    public ConcurrentQueue<(string Topic, int StoredAtAck)> Acks { get; } = new();

    public async Task StartAsync()
    {
        await _writer.StartAsync(_stop.Token);
        await _batcher.StartAsync(_stop.Token);
        await _replayer.StartAsync(_stop.Token);
    }

    public async Task SendAsync(string topic, string payload)
    {
        var message = new InboundMessage(topic, Encoding.UTF8.GetBytes(payload), DateTimeOffset.UtcNow, _ =>
        {
            Acks.Enqueue((topic, Store.Written.Count));
            return Task.CompletedTask;
        });
        await Ingest.Writer.WriteAsync(message);
    }

    public async ValueTask DisposeAsync()
    {
        Ingest.Writer.TryComplete();
        // Bounded: a stage that died (a test that failed) would otherwise leave the writer waiting for batches forever.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _batcher.StopAsync(timeout.Token);
        await _writer.StopAsync(timeout.Token);
        await _replayer.StopAsync(timeout.Token);
        _stop.Dispose();
        Metrics.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
