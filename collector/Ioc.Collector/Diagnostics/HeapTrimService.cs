using Ioc.Contract.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ioc.Collector.Diagnostics;

/// <summary>
/// Gives the memory of a burst back once it is over. A backlog (a reconnect after an outage, 100,000 devices announcing
/// themselves) fills the ingest queue and the batches; what they held is promoted to gen2 while it waits for the store and
/// then dies there, and with the allocation rate back near zero no further collection comes to return it: measured with
/// 99,156 devices, the heap after the last collection was 418–538 MB against 172 MB live (dotnet-gcdump) and the working set
/// stayed at 560–760 MB. Every <see cref="Interval"/> this checks whether the process has gone quiet (allocating less than
/// <see cref="QuietBytesPerSecond"/>) while the GC holds <see cref="MinGrowthBytes"/> more than after the last trim; then
/// it runs one blocking, compacting, aggressive collection (<see cref="GCCollectionMode.Aggressive"/>: free memory is
/// decommitted). Before it, every <see cref="IHeapTrimParticipant"/> (the device registry and evaluators through the alert
/// engine, the SQLite series-id cache) gives back its tables' slack, waited for at most <see cref="ParticipantTimeout"/>.
/// Under load it never runs: the GC's own budgets are left alone. <c>Ioc:Collector:HeapTrim=false</c> turns it off.
/// </summary>
public sealed partial class HeapTrimService(TimeProvider time, ILogger<HeapTrimService> logger, IEnumerable<IHeapTrimParticipant> participants)
    : BackgroundService
{
    public HeapTrimService(TimeProvider time, ILogger<HeapTrimService> logger)
        : this(time, logger, [])
    {
    }

    /// <summary>How long the trim waits for its participants (the alert engine serves it at its next tick).</summary>
    public static readonly TimeSpan ParticipantTimeout = TimeSpan.FromSeconds(5);

    private readonly IHeapTrimParticipant[] _participants = [.. participants];

    public const string SettingKey = "Ioc:Collector:HeapTrim";

    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    public const long QuietBytesPerSecond = 4L << 20;

    /// <summary>32 MB: a 10,000-device burst leaves 60–67 MB of heap against ≈ 10 MB idle, which 64 MB missed in about half the runs.</summary>
    public const long MinGrowthBytes = 32L << 20;

    private long _lastAllocated = GC.GetTotalAllocatedBytes();
    /// <summary>
    /// Committed bytes after the last trim, or the lowest seen since. Starts at the process's committed size when the service
    /// is made: taken from the first check instead, a burst at start-up (a fleet reconnecting after an outage; the scale
    /// bench) became the baseline and its memory was never given back (10,091 devices: 120 MB committed at the first check).
    /// </summary>
    private long _baseline = GC.GetGCMemoryInfo().TotalCommittedBytes;

    /// <summary>Collections this service has run.</summary>
    public int Trims { get; private set; }

    /// <summary>Quiet (allocating less than <see cref="QuietBytesPerSecond"/>) and holding at least <see cref="MinGrowthBytes"/> more than after the last trim.</summary>
    public static bool ShouldTrim(double allocatedBytesPerSecond, long committedBytes, long baselineBytes) =>
        allocatedBytesPerSecond < QuietBytesPerSecond && committedBytes - baselineBytes >= MinGrowthBytes;

    /// <summary>One check: trims if <see cref="ShouldTrim"/> says so. Returns whether it did.</summary>
    public bool Check(TimeSpan elapsed) => CheckAsync(elapsed, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>One check: if <see cref="ShouldTrim"/> says so, the participants trim their tables, then the heap is trimmed. Returns whether it was.</summary>
    public async Task<bool> CheckAsync(TimeSpan elapsed, CancellationToken cancellationToken)
    {
        var allocated = GC.GetTotalAllocatedBytes();
        var rate = (allocated - _lastAllocated) / Math.Max(elapsed.TotalSeconds, 0.001);
        _lastAllocated = allocated;
        var committed = GC.GetGCMemoryInfo().TotalCommittedBytes;
        if (!ShouldTrim(rate, committed, _baseline))
        {
            // Shrinking on its own (the GC decommitted) lowers the bar: growth is counted from the lowest point since.
            _baseline = Math.Min(_baseline, committed);
            return false;
        }

        await TrimParticipantsAsync(cancellationToken).ConfigureAwait(false);
        Trim(committed);
        return true;
    }

    private async Task TrimParticipantsAsync(CancellationToken cancellationToken)
    {
        if (_participants.Length == 0)
        {
            return;
        }

        try
        {
            await Task.WhenAll(_participants.Select(p => p.TrimAsync(cancellationToken)))
                .WaitAsync(ParticipantTimeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // An owner that did not answer in time (e.g. an alert engine not running here) keeps its request for later.
            Log.ParticipantsLate(logger, ParticipantTimeout.TotalSeconds);
        }
    }

    /// <summary>One aggressive full collection; the committed size after it becomes the baseline.</summary>
    public void Trim(long committedBefore)
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _baseline = GC.GetGCMemoryInfo().TotalCommittedBytes;
        _lastAllocated = GC.GetTotalAllocatedBytes();
        Trims++;
        Log.Trimmed(logger, committedBefore >> 20, _baseline >> 20);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        var last = time.GetTimestamp();
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            var now = time.GetTimestamp();
            await CheckAsync(time.GetElapsedTime(last, now), stoppingToken).ConfigureAwait(false);
            last = now;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Heap trimmed after a burst: {BeforeMb} MB committed before, {AfterMb} MB after")]
        public static partial void Trimmed(ILogger logger, long beforeMb, long afterMb);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Heap trim: not every table owner trimmed within {Seconds} s; collecting anyway")]
        public static partial void ParticipantsLate(ILogger logger, double seconds);
    }
}
