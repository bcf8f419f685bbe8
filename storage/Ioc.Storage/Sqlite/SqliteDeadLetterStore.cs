using Microsoft.Data.Sqlite;

namespace Ioc.Storage.Sqlite;

/// <summary>Refused messages in the operational SQLite file, capped at <see cref="MaxRows"/> (oldest go first).</summary>
public sealed class SqliteDeadLetterStore : IDeadLetterStore
{
    public const int MaxRows = 100_000;

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS dead_letters (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            received_at INTEGER NOT NULL,
            topic TEXT NOT NULL,
            reason TEXT NOT NULL,
            detail TEXT NOT NULL,
            payload BLOB NOT NULL,
            payload_size INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_dead_letters_reason ON dead_letters(reason, id);
        """;

    private readonly SqliteDatabase _database;

    public SqliteDeadLetterStore(SqliteDatabase database)
    {
        _database = database;
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => _database.ExecuteAsync(Schema, cancellationToken);

    public async Task AddAsync(IReadOnlyList<DeadLetter> letters, CancellationToken cancellationToken)
    {
        if (letters.Count == 0)
        {
            return;
        }

        await using var connection = await _database.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO dead_letters(received_at, topic, reason, detail, payload, payload_size) VALUES ($at, $topic, $reason, $detail, $payload, $size)";
        var at = insert.Parameters.Add("$at", SqliteType.Integer);
        var topic = insert.Parameters.Add("$topic", SqliteType.Text);
        var reason = insert.Parameters.Add("$reason", SqliteType.Text);
        var detail = insert.Parameters.Add("$detail", SqliteType.Text);
        var payload = insert.Parameters.Add("$payload", SqliteType.Blob);
        var size = insert.Parameters.Add("$size", SqliteType.Integer);
        foreach (var letter in letters)
        {
            at.Value = letter.ReceivedAt.ToUnixTimeMilliseconds();
            topic.Value = letter.Topic;
            reason.Value = letter.Reason;
            detail.Value = letter.Detail;
            payload.Value = letter.PayloadHead;
            size.Value = letter.PayloadSize;
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        using var trim = connection.CreateCommand();
        trim.Transaction = transaction;
        trim.CommandText = $"DELETE FROM dead_letters WHERE id <= (SELECT MAX(id) FROM dead_letters) - {MaxRows}";
        await trim.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<DeadLetter>> ListAsync(int limit, string? reason, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = reason is null
            ? "SELECT id, received_at, topic, reason, detail, payload, payload_size FROM dead_letters ORDER BY id DESC LIMIT $limit"
            : "SELECT id, received_at, topic, reason, detail, payload, payload_size FROM dead_letters WHERE reason = $reason ORDER BY id DESC LIMIT $limit";
        command.Parameters.AddWithValue("$limit", Math.Clamp(limit, 1, 10_000));
        if (reason is not null)
        {
            command.Parameters.AddWithValue("$reason", reason);
        }

        var letters = new List<DeadLetter>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            letters.Add(new DeadLetter(
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                (byte[])reader.GetValue(5),
                reader.GetInt32(6)) { Id = reader.GetInt64(0) });
        }

        return letters;
    }

    public async Task<IReadOnlyDictionary<string, long>> CountByReasonAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenAsync(cancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT reason, COUNT(*) FROM dead_letters GROUP BY reason";
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }
}
