using System.Diagnostics;
using System.Globalization;
using System.Text;
using Ioc.Alerting.Announce;
using Ioc.Alerting.Engine;
using Ioc.Alerting.Hosting;
using Ioc.Contract.Alerts;
using Ioc.Collector;
using Ioc.Collector.Diagnostics;
using Ioc.IntegrationTests.Infrastructure;
using Ioc.ServiceDefaults;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace Ioc.Bench;

/// <summary>
/// Publish of a violating message → alert stored and announced, through a real Mosquitto and the collector with the alert
/// engine (shipped default rules, SQLite), under steady background load. Each probe is a <c>ddos_suspected</c> event
/// from a new firewall, which the default rule <c>ddos-suspected</c> turns into a new critical alert at once; the probe
/// is timed until the alert is announced in-process (<see cref="AlertFeed"/>, after the store commit) and until its
/// <c>fired</c> change arrives on MQTT <c>ioc/v1/_system/alerts/events</c> at a separate subscriber.
/// </summary>
internal static class AlertLatencyBench
{
    private const string EventsTopic = "ioc/v1/_system/alerts/events";
    private static readonly TimeSpan ProbeDeadline = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(int connections, int backgroundRate = 10_000, int probes = 250, string telemetryStore = "sqlite")
    {
        Console.WriteLine();
        Console.WriteLine($"== publish → alert stored and announced (telemetry in {telemetryStore}, alerts in SQLite, default rules): {probes} probes under {backgroundRate:N0} msg/s of background load; Mosquitto as configured for production (set_tcp_nodelay true)");
        await using var broker = await MosquittoBroker.StartAsync();
        await using var influx = telemetryStore == "influxdb" ? await InfluxDbServer.StartAsync() : null;
        var folder = Directory.CreateTempSubdirectory("ioc-alert-bench-").FullName;
        try
        {
            using var host = await StartHostAsync(broker.Port, folder, connections, influx);
            var pending = new System.Collections.Concurrent.ConcurrentDictionary<string, Probe>(StringComparer.Ordinal);
            using var feed = host.Services.GetRequiredService<AlertFeed>().Subscribe(change =>
            {
                if (change.Kind == AlertChangeKind.Fired && change.Alert.DeviceId is { } id && pending.TryGetValue(id, out var probe))
                {
                    probe.Stored.TrySetResult(Stopwatch.GetElapsedTime(probe.Started).TotalMilliseconds);
                }
            });
            using var subscriber = await SubscribeAsync(broker.Port, pending);
            using var stop = new CancellationTokenSource();
            var background = BackgroundLoad.RunAsync(broker.Port, backgroundRate, (i, nowMs) => Background(i, nowMs.ToString(CultureInfo.InvariantCulture)), stop.Token);
            await using var prober = await Publisher.ConnectAsync(broker.Port);

            // Two seconds of load before the first probe, so the figures describe the steady state, not start-up.
            await Task.Delay(TimeSpan.FromSeconds(2));
            var stored = new List<double>();
            var announced = new List<double>();
            for (var i = 0; i < probes; i++)
            {
                var device = $"PROBE-FW-{i:D4}";
                var probe = new Probe(Stopwatch.GetTimestamp());
                pending[device] = probe;
                var ts = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
                await prober.PublishAsync(
                    $"ioc/v1/core/firewall/{device}/event",
                    "{\"ts\":" + ts + ",\"type\":\"ddos_suspected\",\"severity\":\"critical\",\"message\":\"bench probe\",\"attrs\":{\"target_ip\":\"198.51.100.20\"}}");
                var both = Task.WhenAll(probe.Stored.Task, probe.Announced.Task);
                if (await Task.WhenAny(both, Task.Delay(ProbeDeadline)) != both)
                {
                    throw new TimeoutException($"probe {device}: no alert stored and announced within {ProbeDeadline}");
                }

                stored.Add(await probe.Stored.Task);
                announced.Add(await probe.Announced.Task);
                pending.TryRemove(device, out _);

                // About 20 probes a second: spread over the run, never two in flight.
                await Task.Delay(50);
            }

            await stop.CancelAsync();
            var (sent, seconds) = await background;
            var snapshot = host.Services.GetRequiredService<CollectorStatus>().Snapshot();
            var intake = host.Services.GetRequiredService<AlertIntake>();
            Console.WriteLine($"   stored + announced (AlertFeed): p50 {BenchCommand.Percentile(stored, 0.5):F1} ms, p99 {BenchCommand.Percentile(stored, 0.99):F1} ms, max {stored.Max():F1} ms");
            Console.WriteLine($"   announced on MQTT {EventsTopic}: p50 {BenchCommand.Percentile(announced, 0.5):F1} ms, p99 {BenchCommand.Percentile(announced, 0.99):F1} ms, max {announced.Max():F1} ms");
            Console.WriteLine($"   background {sent:N0} messages in {seconds:F1} s ({sent / seconds:N0} msg/s); collector received {snapshot.Received:N0}, rejected {snapshot.Rejected:N0}; engine took {intake.Accepted:N0}, dropped {intake.Dropped:N0}");
            await host.StopAsync();
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<IHost> StartHostAsync(int brokerPort, string folder, int connections, InfluxDbServer? influx)
    {
        var settings = new Dictionary<string, string?>(influx is null ? IngestBench.Settings(connections) : IngestBench.InfluxSettings(influx, connections))
        {
            ["Ioc:Mqtt:Host"] = "127.0.0.1",
            ["Ioc:Mqtt:Port"] = brokerPort.ToString(CultureInfo.InvariantCulture),
            ["Ioc:Storage:Sqlite:Path"] = Path.Combine(folder, "ioc.db"),
            ["Ioc:Collector:SpoolPath"] = Path.Combine(folder, "spool"),
            ["Ioc:Alerting:Announcements:Enabled"] = "true",
            ["Ioc:Mqtt:Alerting:ClientId"] = "bench-alerting",
        };
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        builder.AddIocServiceDefaults();
        // Alerting first: hosted services stop in reverse order, so the engine outlives the collector's drain.
        builder.Services.AddAlerting(builder.Configuration);
        builder.AddCollector();
        var host = builder.Build();
        await host.StartAsync();
        var status = host.Services.GetRequiredService<CollectorStatus>();
        await Wait.UntilAsync(() => status.Snapshot() is { MqttConnected: > 0 } s && s.MqttConnected == s.MqttConnections, TimeSpan.FromSeconds(15), "collector connected");
        return host;
    }

    /// <summary>A separate client on the announcement topic, as a dashboard would be.</summary>
    private static async Task<IMqttClient> SubscribeAsync(int port, System.Collections.Concurrent.ConcurrentDictionary<string, Probe> pending)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            var json = Encoding.UTF8.GetString(e.ApplicationMessage.Payload);
            using var document = System.Text.Json.JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.GetProperty("change").GetString() == "fired"
                && root.GetProperty("alert").TryGetProperty("deviceId", out var id)
                && id.GetString() is { } device
                && pending.TryGetValue(device, out var probe))
            {
                probe.Announced.TrySetResult(Stopwatch.GetElapsedTime(probe.Started).TotalMilliseconds);
            }

            return Task.CompletedTask;
        };
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("bench-dashboard").WithCleanStart(true).Build());
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(EventsTopic, MqttQualityOfServiceLevel.AtLeastOnce).Build());
        return client;
    }

    /// <summary>Env-sensor telemetry from 1,000 devices at 21–23 °C: no rule fires on it.</summary>
    private static (string Topic, string Payload) Background(long i, string ts) =>
        ($"ioc/v1/dc-tinh/env-sensor/BG-ENV-{i % 1000:D3}/telemetry",
         "{\"ts\":" + ts + ",\"metrics\":{\"temp_c\":" + (21 + (i % 20 / 10.0)).ToString("F1", CultureInfo.InvariantCulture) + ",\"seq\":" + i.ToString(CultureInfo.InvariantCulture) + "}}");

    private sealed class Probe(long started)
    {
        public long Started { get; } = started;

        public TaskCompletionSource<double> Stored { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<double> Announced { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
