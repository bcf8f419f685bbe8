namespace Ioc.Storage.Operational;

/// <summary>
/// The operational state of Ioc (everything but telemetry) behind one port: alerts, the notification outbox, the device
/// registry, dashboard users and their audit, dead letters and leases. One adapter per database (SQLite embedded,
/// PostgreSQL for several processes); callers see only these interfaces.
/// </summary>
public interface IOperationalStore
{
    IAlertStore Alerts { get; }

    INotificationStore Notifications { get; }

    IDeviceStore Devices { get; }

    /// <summary>Per-device MQTT credentials (docs/broker-identity.md).</summary>
    IDeviceCredentialStore DeviceCredentials { get; }

    /// <summary>The site registry: names of sites in words (docs/operational-store.md).</summary>
    ISiteStore Sites { get; }
    /// <summary>Bearer tokens of the public REST API (docs/api.md).</summary>
    IApiTokenStore ApiTokens { get; }

    /// <summary>The alert rule catalogue (docs/alerting.md "Rules in the dashboard").</summary>
    IRuleCatalogStore Rules { get; }

    IUserStore Users { get; }

    IAuditStore Audit { get; }

    IDeadLetterStore DeadLetters { get; }

    ILeaseStore Leases { get; }

    /// <summary>Applies the store's numbered migrations that are missing; idempotent and safe when several processes start together.</summary>
    Task MigrateAsync(CancellationToken cancellationToken);
}
