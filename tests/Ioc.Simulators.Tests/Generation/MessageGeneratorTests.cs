using System.Security.Cryptography;
using Ioc.Contract;
using Ioc.Simulators.Generation;
using Ioc.Simulators.Tests.Shared;

namespace Ioc.Simulators.Tests.Generation;

public sealed class MessageGeneratorTests
{
    [Fact]
    public void Until_SameSeedAndScenarios_ByteIdenticalMessages()
    {
        // Arrange
        string[] scenarios = ["crac-failure@1m,duration=3m", "brute-force@30s", "link-flap@2m"];

        // Act
        var first = Digest(TestFleets.Generator(scenarios).Until(TestFleets.Start.AddMinutes(5)));
        var second = Digest(TestFleets.Generator(scenarios).Until(TestFleets.Start.AddMinutes(5)));

        // Assert
        Assert.Equal(first, second);
    }

    [Fact]
    public void Until_DifferentSeed_DifferentMessages()
    {
        // Arrange
        var other = TestFleets.Generator(TestFleets.Default, seed: 43, TestFleets.Start);

        // Act
        var a = Digest(TestFleets.Generator().Until(TestFleets.Start.AddMinutes(2)));
        var b = Digest(other.Until(TestFleets.Start.AddMinutes(2)));

        // Assert
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Until_TenMinutes_EachDeviceReportsOnItsInterval()
    {
        // Arrange
        var generator = TestFleets.Generator();

        // Act
        var telemetry = generator.Until(TestFleets.Start.AddMinutes(10)).Where(m => m.Kind == SimMessageKind.Telemetry)
            .GroupBy(m => m.Topic.Split('/')[3]).ToDictionary(g => g.Key, g => g.GroupBy(m => m.Topic).Select(t => t.Count()).Distinct().ToList());

        // Assert
        Assert.Equal([10], telemetry[DeviceTypes.WifiAccessPoint]);
        Assert.Equal([20], telemetry[DeviceTypes.Switch]);
        Assert.Equal([60], telemetry[DeviceTypes.Server]);
        Assert.Equal([60], telemetry[DeviceTypes.Firewall]);
        Assert.Equal([20], telemetry[DeviceTypes.Ups]);
    }

    [Fact]
    public void Until_Messages_InTimeOrderAndEveryDeviceAnnouncedOnlineRetained()
    {
        // Arrange
        var generator = TestFleets.Generator();

        // Act
        var messages = generator.Until(TestFleets.Start.AddMinutes(1)).ToList();

        // Assert
        Assert.True(messages.Zip(messages.Skip(1)).All(p => p.First.At <= p.Second.At));
        var statuses = messages.Where(m => m.Kind == SimMessageKind.Status).ToList();
        Assert.Equal(TestFleets.Default.Devices.Count, statuses.Select(m => m.Topic).Distinct().Count());
        Assert.All(statuses, s => Assert.True(s.Retain && s.Online == true));
        Assert.All(messages.Where(m => m.Kind == SimMessageKind.Telemetry), m => Assert.False(m.Retain));
    }

    [Fact]
    public void Until_HeartbeatInterval_StatusRepublished()
    {
        // Arrange
        var generator = new MessageGenerator(TestFleets.Default, new SimulationSettings { Seed = 42, Start = TestFleets.Start, HeartbeatInterval = TimeSpan.FromMinutes(1) });

        // Act
        var statuses = generator.Until(TestFleets.Start.AddMinutes(3)).Count(m => m.Kind == SimMessageKind.Status);

        // Assert: the initial announcement plus two or three heartbeats each.
        Assert.InRange(statuses, TestFleets.Default.Devices.Count * 3, TestFleets.Default.Devices.Count * 4);
    }

    [Fact]
    public void Until_Counters_NeverDecrease()
    {
        // Arrange
        var messages = TestFleets.Generator("link-flap,device=NS-AGG-SW01").Until(TestFleets.Start.AddMinutes(15)).ToList();

        // Act
        var series = new[]
        {
            Signals.Numbers(messages, "GL-C01-AP1", "rx_bytes"),
            Signals.Numbers(messages, "GL-C01-AP1", "tx_bytes"),
            Signals.Numbers(messages, "NS-AGG-SW01", "if_in_octets"),
            Signals.Numbers(messages, "NS-AGG-SW01", "if_in_errors"),
            Signals.Numbers(messages, "CORE-RTR01", "if_in_octets"),
            Signals.Numbers(messages, "DC-A01-SRV01", "bytes_recv", "net"),
            Signals.Numbers(messages, "DC-A01-PDU-A", "energy_kwh"),
        };

        // Assert
        Assert.All(series, s =>
        {
            Assert.True(s.Count >= 10);
            Assert.True(s.Zip(s.Skip(1)).All(p => p.Second.Value >= p.First.Value));
        });
    }

    [Fact]
    public void Until_PublicWifi_BusyEveningQuietNight()
    {
        // Arrange: 20:00 and 04:00 in Hải Dương (UTC+7).
        var evening = TestFleets.Generator(TestFleets.Default, 42, new DateTimeOffset(2026, 11, 24, 13, 0, 0, TimeSpan.Zero));
        var night = TestFleets.Generator(TestFleets.Default, 42, new DateTimeOffset(2026, 11, 24, 21, 0, 0, TimeSpan.Zero));

        // Act
        var eveningClients = Clients(evening.Until(evening.Now.AddMinutes(1)));
        var nightClients = Clients(night.Until(night.Now.AddMinutes(1)));

        // Assert
        Assert.True(eveningClients > nightClients * 5, $"evening {eveningClients}, night {nightClients}");
    }

    [Fact]
    public void Step_StartAtAnyInstant_SameScheduleGrid()
    {
        // Arrange: one run from the start, one from 7 s later.
        var early = TestFleets.Generator();
        var late = TestFleets.Generator(TestFleets.Default, 42, TestFleets.Start.AddSeconds(7));

        // Act
        var fromEarly = early.Until(TestFleets.Start.AddMinutes(2)).Where(m => m.Kind == SimMessageKind.Telemetry && m.At >= TestFleets.Start.AddMinutes(1))
            .Select(m => (m.At, m.Topic)).ToList();
        var fromLate = late.Until(TestFleets.Start.AddMinutes(2)).Where(m => m.Kind == SimMessageKind.Telemetry && m.At >= TestFleets.Start.AddMinutes(1))
            .Select(m => (m.At, m.Topic)).ToList();

        // Assert
        Assert.Equal(fromEarly, fromLate);
    }

    private static double Clients(IEnumerable<Ioc.Simulators.Generation.SimMessage> messages) =>
        messages.Where(m => m.Kind == SimMessageKind.Telemetry && m.Topic.Contains("/wifi-ap/", StringComparison.Ordinal))
            .Sum(m => TestFleets.Decode(m).Message!.Points[0].GetField("clients")!.Value.AsDouble());

    private static string Digest(IEnumerable<SimMessage> messages)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var m in messages)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes($"{m.At.UtcTicks}|{m.Topic}|{m.Retain}|"));
            hash.AppendData(m.Payload);
        }

        return Convert.ToHexString(hash.GetHashAndReset());
    }
}
