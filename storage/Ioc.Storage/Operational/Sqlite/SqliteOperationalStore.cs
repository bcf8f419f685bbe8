using Ioc.Storage.Sqlite;

namespace Ioc.Storage.Operational.Sqlite;

/// <summary>The operational store in one SQLite file (WAL): the embedded default, for one process or one machine.</summary>
public sealed class SqliteOperationalStore : IOperationalStore
{
    private readonly SqliteDatabase _database;
    private readonly SemaphoreSlim _migrateLock = new(1, 1);
    private bool _migrated;

    public SqliteOperationalStore(SqliteDatabase database)
    {
        _database = database;
        Alerts = new SqliteAlertStore(database, MigrateAsync);
        Notifications = new SqliteNotificationStore(database);
        Devices = new SqliteDeviceStore(database);
        DeviceCredentials = new DeviceCredentialStore(async ct => await database.OpenAsync(ct));
        Sites = new SiteStore(async ct => await database.OpenAsync(ct));
        ApiTokens = new ApiTokenStore(async ct => await database.OpenAsync(ct));
        Rules = new RuleCatalogStore(async ct => await database.OpenAsync(ct), postgres: false);
        Users = new SqliteUserStore(database);
        Audit = new SqliteAuditStore(database);
        DeadLetters = new SqliteDeadLetterStore(database);
        Leases = new SqliteLeaseStore(database);
    }

    public string Path => _database.Path;

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

    /// <summary>Once per instance (every host component may ask); other processes are kept out by SQLite's write lock.</summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await _migrateLock.WaitAsync(cancellationToken);
        try
        {
            if (!_migrated)
            {
                await SqliteOperationalSchema.MigrateAsync(_database, cancellationToken);
                _migrated = true;
            }
        }
        finally
        {
            _migrateLock.Release();
        }
    }
}
