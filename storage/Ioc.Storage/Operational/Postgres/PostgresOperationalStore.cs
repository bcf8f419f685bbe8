using Npgsql;

namespace Ioc.Storage.Operational.Postgres;

/// <summary>
/// The operational store in PostgreSQL (Npgsql): for several collectors and dashboards sharing one state. Row locks
/// instead of SQLite's single writer; the database's clock for leases; <c>LISTEN/NOTIFY</c> for the change feed.
/// </summary>
public sealed class PostgresOperationalStore : IOperationalStore, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly SemaphoreSlim _migrateLock = new(1, 1);
    private bool _migrated;

    public PostgresOperationalStore(string connectionString)
    {
        _dataSource = NpgsqlDataSource.Create(connectionString);
        Alerts = new PostgresAlertStore(_dataSource, MigrateAsync);
        Notifications = new PostgresNotificationStore(_dataSource);
        Devices = new PostgresDeviceStore(_dataSource);
        DeviceCredentials = new DeviceCredentialStore(async ct => await _dataSource.OpenConnectionAsync(ct));
        Sites = new SiteStore(async ct => await _dataSource.OpenConnectionAsync(ct));
        ApiTokens = new ApiTokenStore(async ct => await _dataSource.OpenConnectionAsync(ct));
        Rules = new RuleCatalogStore(async ct => await _dataSource.OpenConnectionAsync(ct), postgres: true);
        Users = new PostgresUserStore(_dataSource);
        Audit = new PostgresAuditStore(_dataSource);
        DeadLetters = new PostgresDeadLetterStore(_dataSource, MigrateAsync);
        Leases = new PostgresLeaseStore(_dataSource);
    }

    public IAlertStore Alerts { get; }

    public INotificationStore Notifications { get; }

    public IDeviceStore Devices { get; }

    public IDeviceCredentialStore DeviceCredentials { get; }

    public ISiteStore Sites { get; }
    public IApiTokenStore ApiTokens { get; }

    public IRuleCatalogStore Rules { get; }

    public IUserStore Users { get; }

    public IAuditStore Audit { get; }

    public IDeadLetterStore DeadLetters { get; }

    public ILeaseStore Leases { get; }

    /// <summary>Once per instance; other processes wait on the advisory lock taken inside.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await _migrateLock.WaitAsync(cancellationToken);
        try
        {
            if (!_migrated)
            {
                await PostgresSchema.MigrateAsync(_dataSource, cancellationToken);
                _migrated = true;
            }
        }
        finally
        {
            _migrateLock.Release();
        }
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
