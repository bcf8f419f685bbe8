using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ioc.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Ioc.IntegrationTests.Collector;

/// <summary>
/// What the shipped collector host says about itself while it starts: no "Unhealthy: no broker connection" warning for
/// a connection that is still being made, and a prompt, honest one when the broker cannot be reached.
/// </summary>
public sealed class CollectorStartupHealthTests(ITestOutputHelper output)
{
    private const string UnhealthyWarning = "Collector health Unhealthy";

    private static Dictionary<string, string> Settings(int brokerPort, string folder) => new()
    {
        ["Ioc:Mqtt:Host"] = "127.0.0.1",
        ["Ioc:Mqtt:Port"] = brokerPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Ioc:Mqtt:ClientId"] = "collector-startup-" + Path.GetFileName(folder),
        ["Ioc:Collector:Connections"] = "1",
        ["Ioc:Storage:Provider"] = "Sqlite",
        ["Ioc:Storage:Sqlite:Path"] = Path.Combine(folder, "ioc.db"),
        ["Ioc:Operational:Sqlite:Path"] = Path.Combine(folder, "operational.db"),
        ["Ioc:Collector:SpoolPath"] = Path.Combine(folder, "spool"),
        ["Ioc:Alerting:CommandToken"] = "startup-test-command-token",
        ["Ioc:Alerting:Announcements:Enabled"] = "false",
        // The health reports (and the log line of each change of state) are on, as shipped.
        ["Ioc:Collector:Health:PublishInterval"] = "10",
    };

    [Fact]
    public async Task Start_BrokerUp_ReportsNoFailureWhileTheFirstConnectionIsMade()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var probe = await MqttProbe.ConnectAcceptedAsync(broker.Port, null, null);
        await probe.SubscribeAsync("ioc/v1/ioc-core/collector/+/telemetry");
        var folder = Directory.CreateTempSubdirectory("ioc-startup-").FullName;

        await using var collector = await HostProcess.StartCollectorAsync("collector", Settings(broker.Port, folder));
        // Its first health report: the publisher has looked at the state since the start, and again once connected.
        await Wait.UntilAsync(() => !probe.Received.IsEmpty, TimeSpan.FromSeconds(15), "the collector's first health report");

        output.WriteLine(collector.Output);
        Assert.DoesNotContain(UnhealthyWarning, collector.Output, StringComparison.Ordinal);
        var report = JsonDocument.Parse(probe.Received.First().Payload).RootElement.GetProperty("metrics");
        Assert.Equal(0, report.GetProperty("health").GetInt32());
        MosquittoBroker.TryDelete(folder);
    }

    [Fact]
    public async Task Start_BrokerUnreachable_IsUnhealthyAsSoonAsTheFirstAttemptFails()
    {
        var nobody = FreePort.Next();
        var folder = Directory.CreateTempSubdirectory("ioc-startup-").FullName;

        await using var collector = await HostProcess.StartAsync("collector", HostProcess.Collector, "/healthz", Settings(nobody, folder), null, TimeSpan.FromSeconds(60), anyAnswer: true);
        using var http = new HttpClient { BaseAddress = new Uri(collector.BaseUrl) };
        JsonElement health = default;
        await Wait.UntilAsync(
            async () =>
            {
                using var response = await http.GetAsync("/healthz");
                health = await response.Content.ReadFromJsonAsync<JsonElement>();
                return response.StatusCode == HttpStatusCode.ServiceUnavailable && health.GetProperty("status").GetString() == "Unhealthy";
            },
            TimeSpan.FromSeconds(5),
            "Unhealthy once the refused connection is known, well within the connect timeout (10 s)");

        Assert.Contains("failing: no broker connection up (0 of 1)", health.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        await Wait.UntilAsync(() => collector.Output.Contains(UnhealthyWarning, StringComparison.Ordinal), TimeSpan.FromSeconds(5), "the warning logged");
        output.WriteLine(collector.Output);
        MosquittoBroker.TryDelete(folder);
    }
}
