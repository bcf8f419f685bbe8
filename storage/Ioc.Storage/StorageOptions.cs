namespace Ioc.Storage;

public enum StorageProvider
{
    Sqlite,
    InfluxDB,
}

/// <summary>Section <c>Ioc:Storage</c>: which store holds telemetry, and how to reach it.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Ioc:Storage";

    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    public InfluxDbOptions InfluxDB { get; set; } = new();

    public SqliteOptions Sqlite { get; set; } = new();

    /// <summary>Every problem with the configuration, each naming its key and the fix.</summary>
    public IEnumerable<string> Validate()
    {
        if (!Enum.IsDefined(Provider))
        {
            yield return $"{SectionName}:Provider must be Sqlite or InfluxDB.";
        }

        if (string.IsNullOrWhiteSpace(Sqlite.Path))
        {
            yield return $"{SectionName}:Sqlite:Path must name a file (the operational store is always SQLite).";
        }

        if (Sqlite.RetentionDays is < 1 or > 3650)
        {
            yield return $"{SectionName}:Sqlite:RetentionDays must be between 1 and 3650 (was {Sqlite.RetentionDays}).";
        }

        if (Provider != StorageProvider.InfluxDB)
        {
            yield break;
        }

        var influx = InfluxDB;
        if (!Uri.TryCreate(influx.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            yield return $"{SectionName}:InfluxDB:Url must be an http(s) URL such as http://127.0.0.1:8086 (was '{influx.Url}').";
        }

        if (string.IsNullOrWhiteSpace(influx.Database))
        {
            yield return $"{SectionName}:InfluxDB:Database must be set (the database, or the bucket on InfluxDB 2.x/3.x).";
        }

        if (!string.IsNullOrEmpty(influx.Token) && !string.IsNullOrEmpty(influx.Username))
        {
            yield return $"{SectionName}:InfluxDB: set either Token or Username/Password, not both.";
        }

        if (!string.IsNullOrEmpty(influx.Username) && string.IsNullOrEmpty(influx.Password))
        {
            yield return $"{SectionName}:InfluxDB:Password must be set when Username is.";
        }

        if (influx.Timeout <= TimeSpan.Zero || influx.MaxAttempts is < 1 or > 10)
        {
            yield return $"{SectionName}:InfluxDB:Timeout must be positive and MaxAttempts between 1 and 10.";
        }
    }
}

public sealed class InfluxDbOptions
{
    public string Url { get; set; } = "http://127.0.0.1:8086";

    /// <summary>The database (1.x) or bucket (2.x/3.x through the v1-compatible API).</summary>
    public string Database { get; set; } = "ioc";

    public string? RetentionPolicy { get; set; }

    /// <summary>API token (InfluxDB 1.8+, 2.x, 3.x), sent as <c>Authorization: Token …</c>.</summary>
    public string? Token { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Create the database at start-up if it is missing (InfluxDB 1.x).</summary>
    public bool CreateDatabase { get; set; } = true;

    public bool Gzip { get; set; } = true;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts per batch on 5xx, timeouts and connection errors before the batch goes to the spool.</summary>
    public int MaxAttempts { get; set; } = 3;
}

public sealed class SqliteOptions
{
    public string Path { get; set; } = "data/ioc.db";

    /// <summary>Telemetry older than this is deleted.</summary>
    public int RetentionDays { get; set; } = 30;
}
