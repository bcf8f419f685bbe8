using Ioc.Storage;
using Ioc.IntegrationTests.Infrastructure;

namespace Ioc.IntegrationTests.Collector;

/// <summary>Real Mosquitto → real collector → real InfluxDB 1.6.7.</summary>
[Collection(InfluxCollection.Name)]
public sealed class CollectorToInfluxTests(InfluxFixture influx) : IAsyncLifetime
{
    private readonly string _database = "e2e_" + Guid.NewGuid().ToString("N")[..8];
    private MosquittoBroker _broker = null!;
    private CollectorHost _collector = null!;

    public async Task InitializeAsync()
    {
        _broker = await MosquittoBroker.StartAsync();
        _collector = CollectorHost.ForInflux(_broker.Port, influx.Server, _database);
        await _collector.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _collector.DisposeAsync();
        await _broker.DisposeAsync();
    }

    [Fact]
    public async Task PublishedByMqttNetAndMosquittoPub_IsQueryableWithTagsAndFields()
    {
        var ts = DateTimeOffset.UtcNow.AddSeconds(-5).ToUnixTimeMilliseconds();
        await using (var publisher = await Publisher.ConnectAsync(_broker.Port))
        {
            await publisher.PublishAsync("ioc/v1/dc-tinh/env-sensor/ENV-01/telemetry", $$$"""{"ts":{{{ts}}},"metrics":{"temp_c":41.5,"door_open":true,"fw":"7.2"},"tags":{"rack":"R03"}}""");
        }

        await MosquittoPub.PublishAsync(_broker.Port, "ioc/v1/thanh-ha/wifi-ap/TH-AP-0012/telemetry", $$$"""{"ts":{{{ts}}},"metrics":{"clients":37}}""");

        await Wait.UntilAsync(async () => await influx.Server.CountAsync(_database, "SELECT COUNT(clients) FROM \"wifi-ap\"") == 1, TimeSpan.FromSeconds(10), "wifi-ap point stored");
        var sensor = await influx.Server.QueryAsync(_database, "SELECT temp_c, door_open, fw, site, device, rack FROM \"env-sensor\"");
        var row = sensor.GetProperty("series")[0].GetProperty("values")[0];
        Assert.Equal(ts * 1_000_000, row[0].GetInt64());
        Assert.Equal(41.5, row[1].GetDouble());
        Assert.True(row[2].GetBoolean());
        Assert.Equal("7.2", row[3].GetString());
        Assert.Equal("dc-tinh", row[4].GetString());
        Assert.Equal("ENV-01", row[5].GetString());
        Assert.Equal("R03", row[6].GetString());
        var ap = await influx.Server.QueryAsync(_database, "SELECT clients, site, device FROM \"wifi-ap\"");
        Assert.Equal("thanh-ha", ap.GetProperty("series")[0].GetProperty("values")[0][2].GetString());
    }

    [Fact]
    public async Task TelegrafLineProtocol_IsStoredWithTheTopicsTags()
    {
        var ns = DateTimeOffset.UtcNow.AddSeconds(-5).ToUnixTimeMilliseconds() * 1_000_000;
        var payload = $"cpu,cpu=cpu-total,host=srv01 usage_idle=92.5,usage_user=4.1 {ns}\ndisk,path=/,fstype=ext4 used_percent=61.2,free=120034512i {ns}";

        await using (var publisher = await Publisher.ConnectAsync(_broker.Port))
        {
            await publisher.PublishAsync("ioc/v1/dc-tinh/server/SRV-07/telemetry", payload);
        }

        await Wait.UntilAsync(async () => await influx.Server.CountAsync(_database, "SELECT COUNT(used_percent) FROM disk") == 1, TimeSpan.FromSeconds(10), "disk point stored");
        var cpu = await influx.Server.QueryAsync(_database, "SELECT usage_idle, site, device, device_type, host, cpu FROM cpu");
        var row = cpu.GetProperty("series")[0].GetProperty("values")[0];
        Assert.Equal(ns, row[0].GetInt64());
        Assert.Equal(92.5, row[1].GetDouble());
        Assert.Equal("dc-tinh", row[2].GetString());
        Assert.Equal("SRV-07", row[3].GetString());
        Assert.Equal("server", row[4].GetString());
        Assert.Equal("srv01", row[5].GetString());
        Assert.Equal("cpu-total", row[6].GetString());
        var disk = await influx.Server.QueryAsync(_database, "SELECT free FROM disk");
        Assert.Equal(120034512, disk.GetProperty("series")[0].GetProperty("values")[0][1].GetInt64());
    }

    [Fact]
    public async Task HostilePayloads_AreRejectedWithReasons_AndGoodMessagesBesideThemAreStored()
    {
        var ts = DateTimeOffset.UtcNow.AddSeconds(-5).ToUnixTimeMilliseconds();
        (string Topic, string Payload, string Reason)[] hostile =
        [
            ("ioc/v1/dc-tinh/env-sensor/E1/telemetry", "{\"metrics\":{\"temp_c\":", "bad_json"),
            ("ioc/v1/dc-tinh/env-sensor/E1/telemetry", "{\"metrics\":{\"temp_c\":1e999}}", "non_finite_number"),
            ("ioc/v1/dc-tinh/env-sensor/E1/telemetry", "{\"metrics\":{\"x\":1},\"tags\":{\"rack\":\"R1\\nenv-sensor,site=hacked x=1\"}}", "bad_tag"),
            ("ioc/v1/dc-tinh/env-sensor/E1/telemetry", "{\"metrics\":{\"x\":1},\"tags\":{\"site\":\"hacked\"}}", "reserved_name"),
            ("ioc/v1/dc-tinh/env-sensor/E1/telemetry", "{\"ts\":1764000000,\"metrics\":{\"x\":1}}", "timestamp_out_of_range"),
            ("ioc/v1/dc-tinh/server/S1/telemetry", "cpu usage=\"unterminated", "bad_line_protocol"),
            ("ioc/v1/dc-tinh/env-sensor/E1/telemetry", "{\"metrics\":{\"x\":\"" + new string('A', 70_000) + "\"}}", "payload_too_large"),
            ("ioc/v1/DC TINH/env-sensor/E1/telemetry", "{\"metrics\":{\"x\":1}}", "bad_topic"),
            ("ioc/v1/dc-tinh/coffee-machine/E1/telemetry", "{\"metrics\":{\"x\":1}}", "unknown_device_type"),
            ("ioc/v1/dc-tinh/env-sensor/E1/status", "{\"state\":\"zombie\"}", "bad_status"),
        ];

        await using (var publisher = await Publisher.ConnectAsync(_broker.Port))
        {
            for (var i = 0; i < hostile.Length; i++)
            {
                await publisher.PublishAsync(hostile[i].Topic, hostile[i].Payload);
                await publisher.PublishAsync("ioc/v1/dc-tinh/env-sensor/GOOD/telemetry", $$$"""{"ts":{{{ts + i}}},"metrics":{"temp_c":{{{i}}}}}""");
            }
        }

        await Wait.UntilAsync(async () => await influx.Server.CountAsync(_database, "SELECT COUNT(temp_c) FROM \"env-sensor\" WHERE device = 'GOOD'") == hostile.Length, TimeSpan.FromSeconds(10), "all good messages stored");
        await Wait.UntilAsync(async () => (await _collector.DeadLetters.ListAsync(100, null, CancellationToken.None)).Count == hostile.Length, TimeSpan.FromSeconds(10), "all hostile messages dead-lettered");
        var letters = await _collector.DeadLetters.ListAsync(100, null, CancellationToken.None);
        Assert.Equal(hostile.Length, _collector.Snapshot.Rejected);
        Assert.Equal(hostile.Select(h => h.Reason).Order(), letters.Select(l => l.Reason).Order());
        var oversize = letters.Single(l => l.Reason == "payload_too_large");
        Assert.Equal(1024, oversize.PayloadHead.Length);
        Assert.True(oversize.PayloadSize > 70_000);
        Assert.All(letters, l => Assert.False(string.IsNullOrWhiteSpace(l.Detail)));
        Assert.Equal(0, await influx.Server.CountAsync(_database, "SELECT COUNT(x) FROM \"env-sensor\""));
        var sites = await influx.Server.QueryAsync(_database, "SHOW TAG VALUES FROM \"env-sensor\" WITH KEY = \"site\"");
        Assert.Single(sites.GetProperty("series")[0].GetProperty("values").EnumerateArray());
        Assert.Equal("Healthy", _collector.Snapshot.Status);
    }

    [Fact]
    public async Task TenThousandMessagesFromMosquittoPub_AreAllStored()
    {
        const int count = 10_000;
        var lines = Enumerable.Range(0, count).Select(i => Telemetry.EnvSensor(i).Payload);

        await MosquittoPub.PublishLinesAsync(_broker.Port, "ioc/v1/dc-tinh/env-sensor/ENV-BULK/telemetry", lines);

        await Wait.UntilAsync(async () => await influx.Server.CountAsync(_database, "SELECT COUNT(seq) FROM \"env-sensor\" WHERE device = 'ENV-BULK'") == count, TimeSpan.FromSeconds(30), "10,000 points stored; " + System.Text.Json.JsonSerializer.Serialize(_collector.Snapshot));
        Assert.Equal(count, _collector.Snapshot.Accepted);
    }
}
