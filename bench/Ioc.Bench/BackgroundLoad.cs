using System.Diagnostics;
using Ioc.IntegrationTests.Infrastructure;

namespace Ioc.Bench;

/// <summary>Publishes a steady stream at <c>rate</c> messages per second (QoS 1, in bursts of up to 1,000) until stopped.</summary>
internal static class BackgroundLoad
{
    /// <param name="make">Message <c>i</c> of the stream, given the current Unix time in milliseconds.</param>
    public static async Task<(long Sent, double Seconds)> RunAsync(int port, int rate, Func<long, long, (string Topic, string Payload)> make, CancellationToken stop)
    {
        await using var publisher = await Publisher.ConnectAsync(port);
        var sent = 0L;
        var started = Stopwatch.GetTimestamp();
        while (!stop.IsCancellationRequested)
        {
            var due = (long)(Stopwatch.GetElapsedTime(started).TotalSeconds * rate);
            if (sent >= due)
            {
                await Task.Delay(5, CancellationToken.None);
                continue;
            }

            var burst = (int)Math.Min(due - sent, 1000);
            var offset = sent;
            var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await publisher.PublishManyAsync(burst, i => make(offset + i, nowMs), window: 1000);
            sent += burst;
        }

        return (sent, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }
}
