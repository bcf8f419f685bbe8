using System.Diagnostics;
using System.Globalization;
using Ioc.Alerting.Tests.Shared;
using Ioc.Contract;
using Ioc.Contract.Model;
using Xunit.Abstractions;

namespace Ioc.Alerting.Tests.Engine;

/// <summary>
/// The evaluation cost per message on one engine loop, with the default rule set over a province-sized fleet.
/// Prints the figure (run with <c>--logger "console;verbosity=detailed"</c>); it is not asserted, because a timed test
/// fails on a loaded machine rather than on slow code: the figure that counts comes from <c>bench/</c> (docs/performance.md).
/// What is asserted is behaviour on province-sized traffic: alerts are raised exactly when some of it violates a rule.
/// </summary>
[Collection(TimingCollection.Name)]
public sealed class EngineThroughputTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.01)]
    public async Task ProcessAsync_DefaultRulesOnAProvinceFleet_RaisesAlertsOnlyWhenSomeTrafficViolates(double violating)
    {
        var rules = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Rules", "default-rules.json"));
        await using var h = await AlertingHarness.CreateAsync(rules);
        var random = new Random(42);
        var counters = new double[3000];
        var messages = BuildFleetTraffic(random, counters, h.Now, count: 30_000, violating);

        // Warm up (JIT, dictionaries, the first device registrations).
        foreach (var message in messages)
        {
            await h.SendAsync(message);
        }

        await h.TickAsync();
        const int rounds = 10;
        var ticks = 0;
        var stopwatch = new Stopwatch();
        for (var round = 0; round < rounds; round++)
        {
            // Fresh traffic each round (built outside the measurement), so attackers and counters do not repeat artificially.
            messages = BuildFleetTraffic(random, counters, h.Now, count: 30_000, violating);
            stopwatch.Start();
            for (var i = 0; i < messages.Count; i++)
            {
                // 10,000 msg/s of simulated time: the clock moves 100 µs per message and the engine ticks every simulated second.
                h.Time.Advance(TimeSpan.FromTicks(1000));
                await h.SendAsync(messages[i]);
                if (i % 10_000 == 9_999)
                {
                    await h.TickAsync();
                    ticks++;
                }
            }

            stopwatch.Stop();
        }

        var total = rounds * messages.Count;
        var perSecond = total / stopwatch.Elapsed.TotalSeconds;
        var raised = await h.Service.ListAsync(new Ioc.Contract.Alerts.AlertFilter { Limit = 10_000 }, CancellationToken.None);
        var alerts = raised.Count;
        output.WriteLine(string.Join(", ", raised.GroupBy(a => a.RuleId).Select(g => $"{g.Key}: {g.Count()}")));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"engine ({violating:P0} violating): {total:N0} messages + {ticks} ticks in {stopwatch.Elapsed.TotalMilliseconds:N0} ms = {perSecond:N0} msg/s ({stopwatch.Elapsed.TotalMicroseconds / total:N2} µs/message), {h.Engine.Devices.Count} devices, {h.Engine.Rules.Rules.Count} rules, {alerts} alerts raised"));
        Assert.Equal(violating > 0, alerts > 0);
    }

    /// <summary>Realistic mixed traffic: telemetry from every device type, some auth failures, statuses; a share of it violating.</summary>
    private static List<DecodedMessage> BuildFleetTraffic(Random random, double[] counters, DateTimeOffset now, int count, double violating)
    {
        string[] districts = ["tp-hai-duong", "chi-linh", "kinh-mon", "binh-giang", "cam-giang", "gia-loc", "kim-thanh", "nam-sach", "ninh-giang", "thanh-ha", "thanh-mien", "tu-ky"];
        var devices = counters.Length;
        var fleet = Enumerable.Range(0, devices).Select(i =>
        {
            var type = DeviceTypes.All[i % DeviceTypes.All.Count];
            var site = $"{districts[i % districts.Length]}-xa-{i % 20:D2}";
            return new DeviceAddress(site, type, $"D{i:D5}");
        }).ToArray();
        var messages = new List<DecodedMessage>(count);
        for (var n = 0; n < count; n++)
        {
            var index = random.Next(devices);
            var device = fleet[index];
            var hot = random.NextDouble() < violating;
            counters[index] += hot ? 200 : random.NextDouble() < 0.01 ? 1 : 0;
            var metrics = device.DeviceType switch
            {
                "env-sensor" => $$"""{"temp_c": {{(hot ? 38.5 : 24 + random.NextDouble() * 4):F1}}, "humidity_pct": {{55 + random.Next(10)}}, "water_leak": false}""",
                "ups" => $$"""{"on_battery": {{(hot ? "true" : "false")}}, "battery_pct": {{90 + random.Next(10)}}, "load_pct": {{30 + random.Next(20)}}}""",
                "switch" or "router" => $$"""{"if_in_errors": {{counters[index]}}, "if_out_octets": {{random.Next(1_000_000)}}, "cpu_pct": {{random.Next(40)}}}""",
                "server" => $$"""{"cpu_pct": {{random.Next(hot ? 95 : 60)}}, "mem_pct": {{random.Next(80)}}, "disk_used_pct": {{(hot ? 93 : 40 + random.Next(40))}}}""",
                "wifi-ap" => $$"""{"clients": {{random.Next(hot ? 150 : 60)}}, "channel_util_pct": {{random.Next(70)}}}""",
                "cooling" => $$"""{"state": "{{(hot ? "fault" : "running")}}", "supply_temp_c": {{18 + random.Next(4)}}}""",
                _ => $$"""{"load_pct": {{random.Next(70)}}}""",
            };
            if (device.DeviceType == "server")
            {
                // What Telegraf sends: several lines per message.
                var ns = now.ToUnixTimeMilliseconds() * 1_000_000;
                var used = hot ? 97.5 : 40 + random.Next(40);
                messages.Add(TestMessages.LineProtocol(device, string.Create(CultureInfo.InvariantCulture, $"""
                    cpu,cpu=cpu-total,host={device.DeviceId},rack=A01,row=A usage_user=17.04,usage_system=4.73,usage_idle={(hot ? 3 : 40 + random.Next(50))} {ns}
                    mem,host={device.DeviceId},rack=A01,row=A used_percent={random.Next(80)} {ns}
                    disk,fstype=ext4,host={device.DeviceId},mode=rw,path=/,rack=A01,row=A used_percent={used} {ns}
                    system,host={device.DeviceId},rack=A01,row=A load1=2.64,n_cpus=16i {ns}
                    """), now));
            }
            else if (device.DeviceType == "firewall" && random.NextDouble() < 0.3)
            {
                messages.Add(TestMessages.Event(device, "auth_failure", hot ? """{"src_ip": "203.0.113.7", "user": "admin"}""" : $$"""{"src_ip": "10.{{random.Next(256)}}.{{random.Next(256)}}.{{random.Next(256)}}", "user": "admin"}""", now));
            }
            else if (random.NextDouble() < 0.002)
            {
                messages.Add(TestMessages.Status(device, online: true, now));
            }
            else
            {
                messages.Add(TestMessages.Telemetry(device, metrics, now));
            }
        }

        return messages;
    }
}
