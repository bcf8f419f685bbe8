using Ioc.Collector.Configuration;
using Ioc.Contract;
using Ioc.Storage;

namespace Ioc.Collector.Tests.Configuration;

public class OptionsValidationTests
{
    [Fact]
    public void Defaults_AreValid()
    {
        Assert.Empty(new CollectorOptions().Validate());
        Assert.Empty(new StorageOptions().Validate());
        Assert.Empty(new ContractOptions().Validate());
    }

    [Fact]
    public void CollectorOptions_BadConnectionsAndGroup_NameTheKeys()
    {
        var errors = new CollectorOptions { Connections = 0, SharedGroup = "a/b" }.Validate().ToList();

        Assert.Contains(errors, e => e.StartsWith("Ioc:Collector:Connections", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Ioc:Collector:SharedGroup", StringComparison.Ordinal));
    }

    [Fact]
    public void StorageOptions_InfluxWithoutUrlOrDatabase_IsRefused()
    {
        var options = new StorageOptions { Provider = StorageProvider.InfluxDB, InfluxDB = { Url = "not a url", Database = "", Token = "t", Username = "u" } };

        var errors = options.Validate().ToList();

        Assert.Contains(errors, e => e.StartsWith("Ioc:Storage:InfluxDB:Url", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Ioc:Storage:InfluxDB:Database", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("either Token or Username", StringComparison.Ordinal));
    }

    [Fact]
    public void Subscription_PartitionedUnlessASharedGroupIsSet()
    {
        Assert.Equal("ioc/v1/#", new CollectorOptions { Connections = 1 }.SubscriptionFilter);
        Assert.Equal(SubscriptionMode.Partitioned, new CollectorOptions { Connections = 4 }.EffectiveSubscription);
        Assert.Equal("$share/g1/ioc/v1/#", new CollectorOptions { Connections = 1, SharedGroup = "g1" }.SubscriptionFilter);
        Assert.Equal("$share/ioc-collector/ioc/v1/#", new CollectorOptions { Connections = 4, Subscription = SubscriptionMode.Shared }.SubscriptionFilter);
    }

    [Fact]
    public void SubscriptionPlan_Partitioned_EveryTypeAndChannelExactlyOnceAcrossCollectorsAndConnections()
    {
        var filters = Enumerable.Range(0, 2)
            .SelectMany(index => SubscriptionPlan.For(new CollectorOptions { Connections = 4, PartitionCount = 2, PartitionIndex = index }, ["meter"]))
            .SelectMany(connection => connection.Select(s => s.Filter))
            .ToList();

        // Every built-in device type and the extra one, each with its three channels.
        Assert.Equal((Ioc.Contract.DeviceTypes.All.Count + 1) * 3, filters.Count);
        Assert.Equal(filters.Count, filters.Distinct().Count());
        Assert.Contains("ioc/v1/+/meter/+/status", filters);
        Assert.All(SubscriptionPlan.For(new CollectorOptions { Connections = 4, PartitionCount = 2, PartitionIndex = 1 }, []), c => Assert.NotEmpty(c));
    }

    [Fact]
    public void SubscriptionPlan_Shared_SameFilterOnEveryConnection()
    {
        var plan = SubscriptionPlan.For(new CollectorOptions { Connections = 3, SharedGroup = "g" }, []);

        Assert.All(plan, c => Assert.Equal("$share/g/ioc/v1/#", Assert.Single(c).Filter));
    }
}
