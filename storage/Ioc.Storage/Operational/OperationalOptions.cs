namespace Ioc.Storage.Operational;

public enum OperationalProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Section <c>Ioc:Operational</c>: where alerts, users, audit, dead letters and leases are kept.</summary>
public sealed class OperationalOptions
{
    public const string SectionName = "Ioc:Operational";

    public OperationalProvider Provider { get; set; } = OperationalProvider.Sqlite;

    public OperationalSqliteOptions Sqlite { get; set; } = new();

    public OperationalPostgresOptions Postgres { get; set; } = new();

    /// <summary>Every problem with the configuration, each naming its key and the fix.</summary>
    public IEnumerable<string> Validate()
    {
        if (!Enum.IsDefined(Provider))
        {
            yield return $"{SectionName}:Provider must be Sqlite or Postgres.";
        }

        if (Provider == OperationalProvider.Sqlite && string.IsNullOrWhiteSpace(Sqlite.Path))
        {
            yield return $"{SectionName}:Sqlite:Path must name a file (default data/ioc.db).";
        }

        if (Provider == OperationalProvider.Postgres)
        {
            if (string.IsNullOrWhiteSpace(Postgres.ConnectionString))
            {
                yield return $"{SectionName}:Postgres:ConnectionString is required when {SectionName}:Provider is Postgres (e.g. Host=db;Username=ioc;Password=…;Database=ioc).";
            }
            else
            {
                string? problem = null;
                try
                {
                    _ = new Npgsql.NpgsqlConnectionStringBuilder(Postgres.ConnectionString);
                }
                catch (ArgumentException ex)
                {
                    problem = ex.Message;
                }

                if (problem is not null)
                {
                    yield return $"{SectionName}:Postgres:ConnectionString is not a valid Npgsql connection string: {problem}";
                }
            }
        }
    }
}

public sealed class OperationalSqliteOptions
{
    /// <summary>The SQLite file. When not set, the telemetry file (<c>Ioc:Storage:Sqlite:Path</c>) or <c>data/ioc.db</c>.</summary>
    public string Path { get; set; } = "data/ioc.db";
}

public sealed class OperationalPostgresOptions
{
    public string? ConnectionString { get; set; }
}
