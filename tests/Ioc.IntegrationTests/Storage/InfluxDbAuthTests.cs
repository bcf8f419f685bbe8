using Ioc.Contract.Model;
using Ioc.Storage;
using Ioc.Storage.InfluxDb;
using Ioc.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ioc.IntegrationTests.Storage;

/// <summary>User/password authentication against a real InfluxDB 1.6.7 with auth-enabled.</summary>
public sealed class InfluxDbAuthTests : IAsyncLifetime
{
    private InfluxDbServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await InfluxDbServer.StartAsync(authEnabled: true);
        using var http = new HttpClient();
        // InfluxDB 1.x lets the very first admin be created without credentials.
        using var create = await http.PostAsync($"{_server.Url}/query", new FormUrlEncodedContent([new("q", "CREATE USER ioc WITH PASSWORD 's3cret' WITH ALL PRIVILEGES")]));
        create.EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task UsernameAndPassword_WriteAndQuery()
    {
        var store = Create("s3cret");
        await store.InitializeAsync(CancellationToken.None);
        var now = DateTimeOffset.UtcNow;

        await store.WriteAsync([new Point("ups", [new("device", "U1")], [new("load_pct", FieldValue.Float(41))], Ioc.Contract.MessageDecoder.ToNs(now))], CancellationToken.None);

        Assert.Equal(1, await store.CountAsync(new PointQuery("ups", now.AddMinutes(-1), now.AddMinutes(1)), CancellationToken.None));
    }

    [Fact]
    public async Task WrongPassword_IsUnavailableSoTheBatchIsKept()
    {
        var store = Create("wrong");

        var ex = await Assert.ThrowsAsync<StoreUnavailableException>(() =>
            store.WriteAsync([new Point("ups", [new("device", "U1")], [new("load_pct", FieldValue.Float(41))], 1)], CancellationToken.None));

        Assert.Contains("401", ex.Message, StringComparison.Ordinal);
    }

    private InfluxDbStore Create(string password) => new(
        new HttpClient(),
        new InfluxDbOptions { Url = _server.Url, Database = "secured", Username = "ioc", Password = password, Timeout = TimeSpan.FromSeconds(2), MaxAttempts = 1 },
        NullLogger<InfluxDbStore>.Instance);
}
