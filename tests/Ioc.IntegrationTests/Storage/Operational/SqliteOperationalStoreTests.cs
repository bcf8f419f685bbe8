using System.Data.Common;
using System.Globalization;
using Ioc.Storage;
using Ioc.Storage.Operational;
using Ioc.Storage.Operational.Sqlite;
using Ioc.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Ioc.IntegrationTests.Storage.Operational;

/// <summary>The operational store contract on a SQLite file in a temp folder.</summary>
public sealed class SqliteOperationalStoreTests : OperationalStoreContractTests
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ioc-operational-").FullName;

    private string DatabasePath => Path.Combine(_folder, "ioc.db");

    protected override Task<IOperationalStore> OpenStoreAsync() =>
        Task.FromResult<IOperationalStore>(new SqliteOperationalStore(new SqliteDatabase(new SqliteOptions { Path = DatabasePath })));

    protected override async Task<(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyDictionary<string, string?>> Rows)> ReadViewAsync(string view, string where)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM {view} WHERE {where}";
        await using var reader = await command.ExecuteReaderAsync();
        return await ReadAllAsync(reader);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    internal static async Task<(IReadOnlyList<string>, IReadOnlyList<IReadOnlyDictionary<string, string?>>)> ReadAllAsync(DbDataReader reader)
    {
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var rows = new List<IReadOnlyDictionary<string, string?>>();
        while (await reader.ReadAsync())
        {
            rows.Add(columns.Select((c, i) => (c, reader.IsDBNull(i) ? null : reader.GetValue(i) switch
            {
                DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
                var v => Convert.ToString(v, CultureInfo.InvariantCulture),
            })).ToDictionary(x => x.c, x => x.Item2));
        }

        return (columns, rows);
    }
}
