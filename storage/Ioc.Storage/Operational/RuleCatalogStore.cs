using System.Data.Common;
using Dapper;

namespace Ioc.Storage.Operational;

/// <summary>
/// <see cref="IRuleCatalogStore"/> over tables <c>alert_rules</c> and <c>alert_rule_catalogue</c> (the seed marker),
/// the same SQL on SQLite and PostgreSQL (times as Unix milliseconds, flags as 0/1 in both), like
/// <see cref="ApiTokenStore"/>. The audit lines go to <c>dashboard_audit</c>, whose time and flag columns differ by
/// database (<paramref name="postgres"/>).
/// </summary>
internal sealed class RuleCatalogStore(Func<CancellationToken, Task<DbConnection>> open, bool postgres) : IRuleCatalogStore
{
    private const string Columns = """
        id AS Id, definition AS Definition, enabled AS Enabled, origin AS Origin, version AS Version,
        changed_by AS ChangedBy, changed_at AS ChangedAt, file_definition AS FileDefinition
        """;

    public async Task<IReadOnlyList<StoredRule>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await open(cancellationToken);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM alert_rules ORDER BY id", cancellationToken: cancellationToken));
        return [.. rows.Select(r => r.ToRule())];
    }

    public async Task<bool> IsSeededAsync(CancellationToken cancellationToken)
    {
        await using var connection = await open(cancellationToken);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM alert_rule_catalogue", cancellationToken: cancellationToken)) > 0;
    }

    public async Task<bool> SeedAsync(IReadOnlyList<StoredRule> rules, string source, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var marked = await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO alert_rule_catalogue(id, seeded_at, seeded_from) VALUES (1, @at, @source) ON CONFLICT (id) DO NOTHING",
            new { at = at.ToUnixTimeMilliseconds(), source },
            transaction,
            cancellationToken: cancellationToken));
        if (marked != 1)
        {
            return false;
        }

        foreach (var rule in rules)
        {
            await InsertAsync(connection, transaction, rule, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<bool> ApplyAsync(IReadOnlyList<RuleWrite> writes, string userName, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await open(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var write in writes)
        {
            var before = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
                $"SELECT {Columns} FROM alert_rules WHERE id = @id", new { id = write.Id }, transaction, cancellationToken: cancellationToken));
            if ((before?.Version ?? 0) != write.ExpectedVersion)
            {
                return false;
            }

            if (write.Rule is null)
            {
                if (before is null)
                {
                    return false;
                }

                // The version condition makes the check and the write one step: of two writers that both read version N,
                // only the first changes a row; the second changes none and is refused (its transaction rolls back).
                if (await connection.ExecuteAsync(new CommandDefinition("DELETE FROM alert_rules WHERE id = @id AND version = @expected", new { id = write.Id, expected = write.ExpectedVersion }, transaction, cancellationToken: cancellationToken)) != 1)
                {
                    return false;
                }
            }
            else if (before is null)
            {
                await InsertAsync(connection, transaction, write.Rule, cancellationToken);
            }
            else
            {
                var rule = write.Rule;
                var changed = await connection.ExecuteAsync(new CommandDefinition(
                    """
                    UPDATE alert_rules SET id = @Id, definition = @Definition, enabled = @enabled, origin = @Origin, version = @Version,
                        changed_by = @ChangedBy, changed_at = @changedAt, file_definition = @FileDefinition
                    WHERE id = @oldId AND version = @expected
                    """,
                    new { rule.Id, rule.Definition, enabled = rule.Enabled ? 1 : 0, rule.Origin, rule.Version, rule.ChangedBy, changedAt = rule.ChangedAt.ToUnixTimeMilliseconds(), rule.FileDefinition, oldId = write.Id, expected = write.ExpectedVersion },
                    transaction,
                    cancellationToken: cancellationToken));
                if (changed != 1)
                {
                    return false;
                }
            }

            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO dashboard_audit(at, user_name, action, target, detail, allowed, before_json, after_json)
                VALUES (@at, @userName, @action, @target, @detail, @allowed, @before, @after)
                """,
                new
                {
                    at = postgres ? (object)at.UtcDateTime : at.ToUnixTimeMilliseconds(),
                    userName,
                    action = write.Action,
                    target = "rule:" + (write.Rule?.Id ?? write.Id),
                    detail = write.Detail.Length > 1024 ? write.Detail[..1024] : write.Detail,
                    allowed = postgres ? (object)true : 1,
                    before = before?.Definition,
                    after = write.Rule?.Definition,
                },
                transaction,
                cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    private static Task InsertAsync(DbConnection connection, DbTransaction transaction, StoredRule rule, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO alert_rules(id, definition, enabled, origin, version, changed_by, changed_at, file_definition)
            VALUES (@Id, @Definition, @enabled, @Origin, @Version, @ChangedBy, @changedAt, @FileDefinition)
            """,
            new { rule.Id, rule.Definition, enabled = rule.Enabled ? 1 : 0, rule.Origin, rule.Version, rule.ChangedBy, changedAt = rule.ChangedAt.ToUnixTimeMilliseconds(), rule.FileDefinition },
            transaction,
            cancellationToken: cancellationToken));

    private sealed class Row
    {
        public string Id { get; init; } = string.Empty;

        public string Definition { get; init; } = string.Empty;

        public long Enabled { get; init; }

        public string Origin { get; init; } = string.Empty;

        public long Version { get; init; }

        public string ChangedBy { get; init; } = string.Empty;

        public long ChangedAt { get; init; }

        public string? FileDefinition { get; init; }

        public StoredRule ToRule() => new(Id, Definition, Enabled != 0, Origin, Version, ChangedBy, DateTimeOffset.FromUnixTimeMilliseconds(ChangedAt), FileDefinition);
    }
}
