using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Ioc.Collector.Configuration;
using Ioc.Contract;
using Ioc.IntegrationTests.Infrastructure;
using Ioc.Mqtt;
using Ioc.Storage.LineProtocol;
using MQTTnet;

namespace Ioc.Bench;

/// <summary>How much of the collector's work a floor consumer does per message.</summary>
internal enum FloorLevel
{
    /// <summary>Acknowledge and count: MQTTnet's own cost through <see cref="BrokerClient"/>, nothing of the collector.</summary>
    Ack,

    /// <summary>Also decode with the contract's <see cref="MessageDecoder"/>, as the collector's batcher does.</summary>
    Decode,

    /// <summary>Also encode the decoded points to line protocol (<see cref="LineProtocolEncoder"/>, PointData) into a reused builder, discarded.</summary>
    Encode,
}

/// <summary>
/// <c>floor-consumer --port P [--connections 4] --level ack|decode|encode</c> (a helper mode the peer bench starts as a child
/// process, so that /proc gives its CPU alone): the collector's MQTT connections and nothing behind them. The connections
/// are made exactly as <c>MqttIngressService</c> makes them (its <see cref="SubscriptionPlan"/> for a Shared subscription
/// in its own group, <see cref="BrokerClient"/> with a persistent session, manual acknowledgement, the default receive
/// maximum and coalesced writes); each message is acknowledged in the handler and counted, after the level's work.
/// Talks on stdin/stdout: prints <c>ready</c> once every connection is subscribed; answers <c>count</c> with
/// <c>count N rejected R</c>; <c>stop</c> (or end of input) disconnects normally and exits.
/// </summary>
internal static class FloorConsumer
{
    /// <summary>Client id prefix of the floor's connections (<c>bench-floor-0</c> …), whose sessions the bench ends after each row.</summary>
    public const string ClientPrefix = "bench-floor";

    /// <summary>Its own shared group: sessions of a collector host left in <c>ioc-collector</c> do not take a share of the floor's messages.</summary>
    public const string Group = "bench-floor";

    [ThreadStatic]
    private static StringBuilder? t_builder;

    public static async Task<int> RunAsync(int port, int connections, string levelName)
    {
        if (!Enum.TryParse<FloorLevel>(levelName, ignoreCase: true, out var level))
        {
            Console.Error.WriteLine($"floor-consumer: --level must be ack, decode or encode (was {levelName})");
            return 2;
        }

        var options = new CollectorOptions { Connections = connections, Subscription = SubscriptionMode.Shared, SharedGroup = Group };
        var plan = SubscriptionPlan.For(options, []);
        var mqtt = new MqttConnectionOptions { Host = "127.0.0.1", Port = port };
        var decoder = new MessageDecoder(new ContractOptions());
        var time = TimeProvider.System;
        long count = 0;
        long rejected = 0;

        Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs e)
        {
            var message = e.ApplicationMessage;
            if (message.Topic.StartsWith(Topics.SystemPrefix, StringComparison.Ordinal))
            {
                // As the collector: announcements share the tree, acknowledged at once, not device data.
                e.AutoAcknowledge = true;
                return Task.CompletedTask;
            }

            if (level >= FloorLevel.Decode)
            {
                var payload = message.Payload;
                var result = payload.IsSingleSegment
                    ? decoder.Decode(message.Topic, payload.FirstSpan, time.GetUtcNow())
                    : decoder.Decode(message.Topic, payload.ToArray(), time.GetUtcNow());
                if (result.Message is not { } decoded)
                {
                    Interlocked.Increment(ref rejected);
                }
                else if (level == FloorLevel.Encode)
                {
                    var builder = t_builder ??= new StringBuilder(1024);
                    foreach (var point in decoded.Points)
                    {
                        LineProtocolEncoder.Append(builder, point);
                    }

                    builder.Clear();
                }
            }

            Interlocked.Increment(ref count);
            return e.AcknowledgeAsync(CancellationToken.None);
        }

        var clients = Enumerable.Range(0, connections)
            .Select(i => new BrokerClient(
                mqtt,
                new BrokerClientSettings { ClientId = $"{ClientPrefix}-{i}", Subscriptions = plan[i], PersistentSession = true, AutoAcknowledge = false, CoalesceWrites = options.CoalesceAcknowledgements },
                OnMessageAsync))
            .ToArray();
        try
        {
            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
            {
                await Task.WhenAll(clients.Select(c => c.ConnectAsync(timeout.Token)));
            }

            Console.WriteLine("ready");
            while (await Console.In.ReadLineAsync() is { } line && line != "stop")
            {
                if (line == "count")
                {
                    Console.WriteLine($"count {Interlocked.Read(ref count)} rejected {Interlocked.Read(ref rejected)}");
                }
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }

        return 0;
    }
}

/// <summary>The parent's side of a <see cref="FloorConsumer"/> child: starts it, asks its count, stops it.</summary>
internal sealed class FloorProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _errors = new();
    private readonly SemaphoreSlim _ask = new(1, 1);

    private FloorProcess(Process process) => _process = process;

    public int ProcessId => _process.Id;

    /// <summary>Messages the child has acknowledged and counted, and how many of them the decoder refused.</summary>
    public (long Count, long Rejected) Last { get; private set; }

    /// <summary>
    /// <c>dotnet Ioc.Bench.dll floor-consumer …</c> (this very assembly), with <paramref name="environment"/> added to its
    /// environment; returns once its connections are subscribed.
    /// </summary>
    public static async Task<FloorProcess> StartAsync(int brokerPort, int connections, FloorLevel level, IReadOnlyDictionary<string, string>? environment = null)
    {
        var assembly = typeof(FloorProcess).Assembly.Location;
        var info = new ProcessStartInfo("dotnet", [assembly, "floor-consumer", "--port", brokerPort.ToString(CultureInfo.InvariantCulture), "--connections", connections.ToString(CultureInfo.InvariantCulture), "--level", level.ToString().ToLowerInvariant()])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("floor-consumer did not start");
        var floor = new FloorProcess(process);
        process.ErrorDataReceived += (_, e) =>
        {
            lock (floor._errors)
            {
                floor._errors.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        string? line;
        try
        {
            line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            line = null;
        }

        if (line != "ready")
        {
            await floor.DisposeAsync();
            throw new InvalidOperationException($"floor-consumer did not report ready (got {line ?? "nothing"}): {floor.Errors}");
        }

        return floor;
    }

    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    /// <summary>Asks the child for its count (one question at a time).</summary>
    public async Task<long> CountAsync()
    {
        await _ask.WaitAsync();
        try
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"floor-consumer exited {_process.ExitCode}: {Errors}");
            }

            await _process.StandardInput.WriteLineAsync("count");
            await _process.StandardInput.FlushAsync();
            var answer = await _process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException($"floor-consumer closed its output: {Errors}");
            var parts = answer.Split(' ');
            if (parts is not ["count", var count, "rejected", var rejected])
            {
                throw new InvalidOperationException($"floor-consumer answered '{answer}'");
            }

            Last = (long.Parse(count, CultureInfo.InvariantCulture), long.Parse(rejected, CultureInfo.InvariantCulture));
            return Last.Count;
        }
        finally
        {
            _ask.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                await _process.StandardInput.WriteLineAsync("stop");
                await _process.StandardInput.FlushAsync();
            }
        }
        catch (IOException)
        {
            // Already gone.
        }

        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
        {
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
        _ask.Dispose();
    }
}

/// <summary>The floor consumer's part of <c>-- smoke</c>: a few hundred messages at level encode, through the real child process.</summary>
internal static class FloorSmoke
{
    public static async Task<bool> RunAsync(int messages)
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var brokerPid = ProcessCpu.ChildNamed("mosquitto") ?? throw new InvalidOperationException("mosquitto pid not found");
        await using var floor = await FloorProcess.StartAsync(broker.Port, 4, FloorLevel.Encode);
        var window = CpuWindow.Start(("floor", floor.ProcessId), ("broker", brokerPid));
        var started = Stopwatch.GetTimestamp();
        await PeerBench.PublishAsync(broker.Port, messages, 0);
        await Wait.UntilAsync(async () => await floor.CountAsync() >= messages, TimeSpan.FromSeconds(60), $"floor consumer counted {messages}");
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpu = window.PerMessage(messages);
        Console.WriteLine($"   floor encode {messages:N0}: {messages / seconds:N0} msg/s, {cpu["floor"]:F1} CPU-µs/msg (broker {cpu["broker"]:F1}); counted {floor.Last.Count:N0}, {floor.Last.Rejected:N0} refused by the decoder");
        // A few hundred messages may fit in one 10 ms clock tick: the accounting is checked on the child's whole life instead.
        var lifetime = ProcessCpu.TreeSeconds(floor.ProcessId);
        if (floor.Last.Count != messages || floor.Last.Rejected != 0 || lifetime <= 0)
        {
            Console.Error.WriteLine($"smoke: floor consumer counted {floor.Last.Count} of {messages} ({floor.Last.Rejected} refused), {lifetime} CPU-s in its life");
            return false;
        }

        return true;
    }
}

/// <summary>
/// The two steps the floor's decode and encode levels add, alone in a loop on one thread over the peer bench's own
/// messages: CPU-ns (the thread's user + system time, /proc/thread-self/stat, and the process's, which adds the server
/// GC's threads) and bytes allocated per message, median of
/// three rounds after a warm-up round. No broker, no wake-ups, no other thread: what the steps cost when nothing else
/// does, beside what they add in the floor consumer.
/// </summary>
internal static class FloorLoop
{
    /// <param name="CpuNs">CPU-ns per message of the measuring thread.</param>
    /// <param name="ProcessNs">CPU-ns per message of the whole (otherwise idle) bench process: the thread plus the server GC's threads.</param>
    public sealed record Step(double CpuNs, double ProcessNs, double Bytes);

    public static (Step Decode, Step Encode) Measure(int messages)
    {
        (Step, Step) result = default;
        var thread = new Thread(() => result = MeasureHere(messages)) { IsBackground = true };
        thread.Start();
        thread.Join();
        return result;
    }

    private static (Step, Step) MeasureHere(int messages)
    {
        var decoder = new MessageDecoder(new ContractOptions());
        const int distinct = 1024;
        var topics = Enumerable.Range(0, 4).Select(p => $"ioc/v1/dc-tinh/env-sensor/BENCH-{p}/telemetry").ToArray();
        var payloads = Enumerable.Range(0, distinct).Select(i => Encoding.UTF8.GetBytes(PeerBench.Line(i))).ToArray();
        var now = DateTimeOffset.UtcNow;
        var points = payloads.Select((p, i) => decoder.Decode(topics[i & 3], p, now).Message?.Points ?? throw new InvalidOperationException($"bench message {i} refused")).ToArray();
        var builder = new StringBuilder(1024);
        var decode = new List<Step>();
        var encode = new List<Step>();
        for (var round = 0; round <= 3; round++)
        {
            var step = Time(messages, () =>
            {
                var accepted = 0;
                for (var i = 0; i < messages; i++)
                {
                    accepted += decoder.Decode(topics[i & 3], payloads[i % distinct], DateTimeOffset.UtcNow).Message is null ? 0 : 1;
                }

                return accepted;
            });
            var encoded = Time(messages, () =>
            {
                var length = 0;
                for (var i = 0; i < messages; i++)
                {
                    foreach (var point in points[i % distinct])
                    {
                        LineProtocolEncoder.Append(builder, point);
                    }

                    length += builder.Length;
                    builder.Clear();
                }

                return length;
            });
            if (round > 0)
            {
                decode.Add(step);
                encode.Add(encoded);
            }
        }

        return (decode.OrderBy(s => s.CpuNs).ElementAt(1), encode.OrderBy(s => s.CpuNs).ElementAt(1));
    }

    private static Step Time(int messages, Func<int> work)
    {
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var process = ProcessCpu.Seconds(Environment.ProcessId);
        var cpu = ThreadSeconds();
        var result = work();
        var seconds = ThreadSeconds() - cpu;
        var processSeconds = ProcessCpu.Seconds(Environment.ProcessId) - process;
        GC.KeepAlive(result);
        return new Step(seconds * 1e9 / messages, processSeconds * 1e9 / messages, (GC.GetAllocatedBytesForCurrentThread() - allocated) / (double)messages);
    }

    /// <summary>This thread's user + system CPU seconds (fields 14 and 15 of /proc/thread-self/stat, 10 ms ticks).</summary>
    private static double ThreadSeconds()
    {
        var text = File.ReadAllText("/proc/thread-self/stat");
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }
}
