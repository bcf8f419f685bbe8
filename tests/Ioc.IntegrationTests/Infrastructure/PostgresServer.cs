using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;

namespace Ioc.IntegrationTests.Infrastructure;

/// <summary>
/// A real PostgreSQL 15 (Debian's postgresql-15) on a free loopback port, its cluster in a temp folder, run as the
/// <c>postgres</c> user (the server refuses root). Fails loudly when it is missing or does not start; stopped on dispose.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private readonly string _folder;
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _databases = new();

    private PostgresServer(string folder, int port)
    {
        _folder = folder;
        Port = port;
    }

    public int Port { get; }

    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=ioc;Database=postgres;Pooling=false";

    public static async Task<PostgresServer> StartAsync()
    {
        if (!File.Exists(Path.Combine(BinDirectory, "initdb")))
        {
            throw new InvalidOperationException($"PostgreSQL 15 is not installed ({BinDirectory}/initdb missing). Run scripts/test.sh, which installs postgresql-15 with apt-get.");
        }

        var folder = Directory.CreateTempSubdirectory("ioc-postgres-").FullName;
        await RunAsync("chown", $"postgres {folder}");
        var server = new PostgresServer(folder, FreePort.Next());
        await RunAsync("runuser", $"-u postgres -- {BinDirectory}/initdb -D {folder}/data -A trust -U ioc --no-sync");
        await RunAsync("runuser", $"-u postgres -- {BinDirectory}/pg_ctl -D {folder}/data -o \"-p {server.Port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off\" -l {folder}/log -w start");
        return server;
    }

    /// <summary>A fresh database for <paramref name="key"/> (one per test class), created on first use.</summary>
    public Task<string> DatabaseAsync(string key) => _databases.GetOrAdd(key, k => new Lazy<Task<string>>(() => CreateDatabaseAsync(k))).Value;

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            await RunAsync("runuser", $"-u postgres -- {BinDirectory}/pg_ctl -D {_folder}/data -m fast -w stop");
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private async Task<string> CreateDatabaseAsync(string key)
    {
        var name = "ioc_" + new string([.. key.Where(char.IsAsciiLetterOrDigit).Take(40)]).ToLowerInvariant() + "_" + Guid.NewGuid().ToString("N")[..8];
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return $"Host=127.0.0.1;Port={Port};Username=ioc;Database={name}";
    }

    private static async Task RunAsync(string file, string arguments)
    {
        var info = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{file} {arguments}' exited with {process.ExitCode}:\n{await output}\n{await error}");
        }
    }
}

/// <summary>One PostgreSQL server for the collection; each test class takes a database of its own.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public PostgresServer Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await PostgresServer.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}
