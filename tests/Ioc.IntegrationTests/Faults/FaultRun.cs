using System.Diagnostics;
using Ioc.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Ioc.IntegrationTests.Faults;

/// <summary>
/// The bookkeeping of one fault test: what was sent (unique timestamps and sequence numbers), what InfluxDB holds, and how
/// long the system took to hold it all after the fault ended; prints one line <c>fault: sent, stored, distinct, recovery s</c>.
/// </summary>
public sealed class FaultRun(ITestOutputHelper output, InfluxDbServer influx, string database, string fault)
{
    public const string Measurement = "env-sensor";

    private readonly Stopwatch _sinceFaultEnded = new();

    public string Fault => fault;

    public Task<long> StoredAsync() => influx.CountAsync(database, $"SELECT COUNT(seq) FROM \"{Measurement}\"");

    public Task<long> DistinctAsync() => influx.CountAsync(database, $"SELECT COUNT(DISTINCT(seq)) FROM \"{Measurement}\"");

    public Task<HashSet<long>> StoredSequenceNumbersAsync() => influx.DistinctAsync(database, Measurement, "seq");

    /// <summary>Marks the end of the fault (server back, process restarted): recovery is measured from here.</summary>
    public void FaultEnded() => _sinceFaultEnded.Restart();

    /// <summary>Waits until <paramref name="expected"/> points are stored or <paramref name="timeout"/> passes; returns the recovery time (from <see cref="FaultEnded"/>) or null when it never got there.</summary>
    public async Task<TimeSpan?> WaitStoredAsync(long expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await StoredAsync() >= expected)
            {
                return _sinceFaultEnded.IsRunning ? _sinceFaultEnded.Elapsed : TimeSpan.Zero;
            }

            await Task.Delay(50);
        }

        return null;
    }

    /// <summary>Prints the figures and returns them for the assertions.</summary>
    public async Task<FaultFigures> ReportAsync(long sent, TimeSpan? recovery, string? note = null)
    {
        var figures = new FaultFigures(fault, sent, await StoredAsync(), await DistinctAsync(), recovery);
        output.WriteLine(figures + (note is null ? string.Empty : "; " + note));
        Console.WriteLine("[faults] " + figures + (note is null ? string.Empty : "; " + note));
        return figures;
    }
}

public sealed record FaultFigures(string Fault, long Sent, long Stored, long Distinct, TimeSpan? Recovery)
{
    public override string ToString() =>
        $"{Fault}: sent {Sent}, stored {Stored}, distinct {Distinct}, recovery {(Recovery is { } r ? r.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " s" : "never")}";
}

/// <summary>Fault tests stop, freeze and kill servers and time recoveries: one at a time, never beside each other.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultCollection
{
    public const string Name = "faults";
}
