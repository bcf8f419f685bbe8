using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using Ioc.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ioc.Collector.Syslog;

/// <summary>
/// Writes the syslog receiver's dead letters (unknown senders, malformed messages) to the operational store's dead-letter
/// store in batches, off the receive path. A source that sends nothing but refusals cannot fill the store: at most
/// <c>Ioc:Syslog:DeadLettersPerSourcePerSecond</c> are kept per source and second; the others are counted in
/// <see cref="SyslogMetrics"/> (rejected by reason), as is any letter lost to a full buffer.
/// </summary>
public sealed partial class SyslogDeadLetters(
    IDeadLetterStore store,
    SyslogMetrics metrics,
    IOptions<SyslogOptions> options,
    TimeProvider time,
    ILogger<SyslogDeadLetters> logger) : BackgroundService
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromSeconds(1);
    private readonly Channel<DeadLetter> _channel = Channel.CreateBounded<DeadLetter>(new BoundedChannelOptions(4096) { FullMode = BoundedChannelFullMode.Wait });
    private readonly ConcurrentDictionary<IPAddress, Window> _windows = new();
    private readonly int _perSecond = options.Value.DeadLettersPerSourcePerSecond;

    /// <summary>Keeps the letter if its source is within its share this second.</summary>
    public void Offer(IPAddress source, DeadLetter letter)
    {
        var second = time.GetUtcNow().ToUnixTimeSeconds();
        var window = _windows.GetOrAdd(source, _ => new Window());
        lock (window)
        {
            if (window.Second != second)
            {
                window.Second = second;
                window.Count = 0;
            }

            if (window.Count >= _perSecond)
            {
                return;
            }

            window.Count++;
        }

        if (_windows.Count > 100_000)
        {
            _windows.Clear();
        }

        if (!_channel.Writer.TryWrite(letter))
        {
            metrics.DeadLetterLost();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _channel.Reader;
        var batch = new List<DeadLetter>(256);
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < 256 && reader.TryRead(out var letter))
                {
                    batch.Add(letter);
                }

                await StoreAsync(batch, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is still buffered is written below.
        }

        while (reader.TryRead(out var late))
        {
            batch.Add(late);
        }

        if (batch.Count > 0)
        {
            await StoreAsync(batch, CancellationToken.None, attempts: 3);
        }
    }

    private async Task StoreAsync(List<DeadLetter> batch, CancellationToken stoppingToken, int attempts = int.MaxValue)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await store.AddAsync(batch, CancellationToken.None);
                return;
            }
            catch (Exception ex)
            {
                Log.StoreFailed(logger, batch.Count, ex);
                if (attempt >= attempts || stoppingToken.IsCancellationRequested)
                {
                    for (var i = 0; i < batch.Count; i++)
                    {
                        metrics.DeadLetterLost();
                    }

                    return;
                }

                await Task.Delay(RetryPause, time, CancellationToken.None);
            }
        }
    }

    private sealed class Window
    {
        public long Second { get; set; }

        public int Count { get; set; }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store {Count} syslog dead letter(s); retrying")]
        public static partial void StoreFailed(ILogger logger, int count, Exception exception);
    }
}
