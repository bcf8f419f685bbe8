using System.Diagnostics;
using Ioc.Collector.Diagnostics;
using Ioc.IntegrationTests.Infrastructure;

namespace Ioc.IntegrationTests.Collector;

/// <summary>
/// InfluxDB stopped while the spool's disk is full: batches can be neither stored nor spooled. They are held and retried,
/// the collector reports itself failing, and when InfluxDB returns every message is stored exactly once, without a restart.
/// </summary>
public sealed class SpoolDiskFailureTests
{
    [Fact]
    public async Task StoreDownWithTheSpoolDiskFull_StoresEveryMessageOnceWhenTheStoreReturns_WithoutRestart()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var influx = await InfluxDbServer.StartAsync();
        const string database = "doublefault";
        await using var collector = CollectorHost.ForInflux(broker.Port, influx, database, new Dictionary<string, string?> { ["Ioc:Collector:Health:PublishInterval"] = "10" });
        await using var disk = await FullDisk.CreateAsync(Path.Combine(collector.Folder, "spool"));
        await collector.StartAsync();
        await disk.BreakAsync();
        await using var publisher = await Publisher.ConnectAsync(broker.Port);
        // Watches the collector's own health topic as any subscriber of the broker would.
        await using var watcher = await MqttProbe.ConnectAcceptedAsync(broker.Port, null, null);
        await watcher.SubscribeAsync("ioc/v1/ioc-core/collector/+/telemetry");

        await publisher.PublishManyAsync(500, i => Telemetry.EnvSensor(i));
        await Wait.UntilAsync(() => collector.Snapshot.PointsWritten >= 500, TimeSpan.FromSeconds(20), "first 500 written");
        // Only reports of the failure to come count below.
        while (watcher.Received.TryDequeue(out _))
        {
        }

        await influx.StopAsync();
        await publisher.PublishManyAsync(2_000, i => Telemetry.EnvSensor(i + 500));

        await Wait.UntilAsync(() => collector.Snapshot is { HeldBatches: > 0, SpoolError: not null }, TimeSpan.FromSeconds(20), "batches held, the spool failing");
        var failing = collector.Snapshot;
        Assert.Equal(CollectorStatus.Unhealthy, failing.Status);
        Assert.Contains(failing.Reasons, r => r.Contains("disk spool failing", StringComparison.Ordinal));
        Assert.Equal(0, failing.PointsSpooled);
        // The collector announces the change on its own device topic within its one-second check, through the broker.
        await Wait.UntilAsync(() => watcher.Received.Any(m => m.Payload.Contains("\"health\":2", StringComparison.Ordinal)), TimeSpan.FromSeconds(5), "the failing report published");

        await influx.RestartAsync();

        await Wait.UntilAsync(async () => await influx.CountAsync(database, "SELECT COUNT(seq) FROM \"env-sensor\"") >= 2_500, TimeSpan.FromSeconds(30), "every message stored after InfluxDB returned");
        Assert.Equal(2_500, await influx.CountAsync(database, "SELECT COUNT(seq) FROM \"env-sensor\""));
        Assert.Equal(2_500, await influx.CountAsync(database, "SELECT COUNT(DISTINCT(seq)) FROM \"env-sensor\""));
        await Wait.UntilAsync(() => collector.Snapshot is { HeldBatches: 0, StoreUp: true, QueueDepth: 0 }, TimeSpan.FromSeconds(10), "nothing held");
        Assert.Equal(collector.Snapshot.Received, collector.Snapshot.Accepted);

        await disk.RepairAsync();
        await Wait.UntilAsync(() => collector.Snapshot.Status == CollectorStatus.Healthy, TimeSpan.FromSeconds(10), "healthy once the spool's disk has room again");

        // The failing report waited in the pipeline with the rest and is stored now; the healthy one follows.
        var own = $"SELECT COUNT(health) FROM \"collector\" WHERE device = 'collector-{Path.GetFileName(collector.Folder)}' AND health = ";
        await Wait.UntilAsync(async () => await influx.CountAsync(database, own + "2") >= 1, TimeSpan.FromSeconds(10), "the failing report stored");
        await Wait.UntilAsync(async () => await influx.CountAsync(database, own + "0 AND time > now() - 10s") >= 1, TimeSpan.FromSeconds(10), "a healthy report stored after the repair");
    }

    /// <summary>
    /// A spool folder with no room: a 64 KiB tmpfs filled to the last byte (a real ENOSPC), or where mounting is not allowed,
    /// the folder replaced by a file (every create in it fails).
    /// </summary>
    private sealed class FullDisk : IAsyncDisposable
    {
        private readonly string _path;
        private readonly bool _mounted;

        private FullDisk(string path, bool mounted)
        {
            _path = path;
            _mounted = mounted;
        }

        public static async Task<FullDisk> CreateAsync(string path)
        {
            Directory.CreateDirectory(path);
            var mounted = await RunAsync("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", path) == 0;
            return new FullDisk(path, mounted);
        }

        public async Task BreakAsync()
        {
            if (!_mounted)
            {
                Directory.Delete(_path, recursive: true);
                await File.WriteAllTextAsync(_path, "not a folder");
                return;
            }

            await using var filler = new FileStream(Path.Combine(_path, "filler"), FileMode.Create);
            var block = new byte[4096];
            try
            {
                while (true)
                {
                    await filler.WriteAsync(block);
                    await filler.FlushAsync();
                }
            }
            catch (IOException)
            {
                // No space left on the device: that is the point.
            }
        }

        public Task RepairAsync()
        {
            if (_mounted)
            {
                File.Delete(Path.Combine(_path, "filler"));
            }
            else
            {
                File.Delete(_path);
                Directory.CreateDirectory(_path);
            }

            return Task.CompletedTask;
        }

        public async ValueTask DisposeAsync()
        {
            if (_mounted)
            {
                await RunAsync("umount", "-l", _path);
            }
        }

        private static async Task<int> RunAsync(string file, params string[] arguments)
        {
            try
            {
                using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
                await process.WaitForExitAsync();
                return process.ExitCode;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return -1;
            }
        }
    }
}
