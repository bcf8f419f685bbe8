using Microsoft.Data.Sqlite;

namespace Ioc.Storage.Sqlite;

/// <summary>Opens connections to the operational SQLite file with the pragmas every user of it needs.</summary>
public sealed class SqliteDatabase
{
    private readonly string _connectionString;
    private int _walSet;

    public SqliteDatabase(SqliteOptions options)
    {
        var fullPath = System.IO.Path.GetFullPath(options.Path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(fullPath)!);
        Path = fullPath;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        using var pragma = connection.CreateCommand();
        // WAL lets the dashboard read while the collector writes; it is kept in the file, so it is set once per
        // process. NORMAL sync is durable across process crashes; the rest is per connection.
        var wal = Interlocked.Exchange(ref _walSet, 1) == 0 ? "PRAGMA journal_mode=WAL; " : string.Empty;
        pragma.CommandText = wal + "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=ON;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    public async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
