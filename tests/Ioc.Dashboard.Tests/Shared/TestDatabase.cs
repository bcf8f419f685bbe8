using Ioc.Storage;
using Ioc.Storage.Sqlite;
using Ioc.Storage.Operational;
using Ioc.Storage.Operational.Sqlite;

namespace Ioc.Dashboard.Tests.Shared;

/// <summary>A real SQLite file in a temp folder, with the operational store migrated, deleted on dispose.</summary>
public sealed class TestDatabase : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ioc-dash-test-").FullName;

    public TestDatabase()
    {
        Options = new SqliteOptions { Path = System.IO.Path.Combine(_directory, "ioc.db") };
        Database = new SqliteDatabase(Options);
        Operational = new SqliteOperationalStore(Database);
        Operational.MigrateAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    public SqliteOptions Options { get; }

    public SqliteDatabase Database { get; }

    public IOperationalStore Operational { get; }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
