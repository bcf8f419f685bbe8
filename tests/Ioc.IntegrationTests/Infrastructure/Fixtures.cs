namespace Ioc.IntegrationTests.Infrastructure;

/// <summary>One InfluxDB for every test class of the collection that does not stop it.</summary>
public sealed class InfluxFixture : IAsyncLifetime
{
    public InfluxDbServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await InfluxDbServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class InfluxCollection : ICollectionFixture<InfluxFixture>
{
    public const string Name = "influxdb";
}
