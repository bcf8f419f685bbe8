using Ioc.Storage.Operational;

namespace Ioc.IntegrationTests.Storage.Operational;

/// <summary>
/// One part of the operational store run against each adapter (a subclass per adapter opens its store): a migrated
/// store per test, disposed after it.
/// </summary>
public abstract class OperationalStoreAdapterTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    protected IOperationalStore Store { get; private set; } = null!;

    protected abstract Task<IOperationalStore> OpenStoreAsync();

    public async Task InitializeAsync()
    {
        Store = await OpenStoreAsync();
        await Store.MigrateAsync(CancellationToken.None);
    }

    public virtual async Task DisposeAsync()
    {
        if (Store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }
}
