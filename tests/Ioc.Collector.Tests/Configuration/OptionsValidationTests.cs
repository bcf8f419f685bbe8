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
    public void SharedGroup_DefaultsWhenSeveralConnections()
    {
        Assert.Equal("ioc/v1/#", new CollectorOptions { Connections = 1 }.SubscriptionFilter);
        Assert.Equal("$share/ioc-collector/ioc/v1/#", new CollectorOptions { Connections = 4 }.SubscriptionFilter);
        Assert.Equal("$share/g1/ioc/v1/#", new CollectorOptions { Connections = 1, SharedGroup = "g1" }.SubscriptionFilter);
    }
}
