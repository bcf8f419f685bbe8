using Microsoft.Extensions.Logging;

namespace Ioc.Alerting;

internal static partial class Log
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Alert engine started: {RuleCount} rules from {Source}, {DeviceCount} known devices, {OpenCount} open alerts")]
    public static partial void EngineStarted(ILogger logger, int ruleCount, string source, int deviceCount, int openCount);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Alert queue full ({Capacity}): {Dropped} messages dropped so far; raise Ioc:Alerting:QueueCapacity or reduce rules")]
    public static partial void QueueFull(ILogger logger, int capacity, long dropped);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "Alert evaluation failed for {Device}")]
    public static partial void EvaluationFailed(ILogger logger, Exception exception, string device);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "Alert engine tick failed")]
    public static partial void TickFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Could not acknowledge an evaluated message of {Device}; the broker will redeliver it")]
    public static partial void AcknowledgeFailed(ILogger logger, Exception exception, string device);

    [LoggerMessage(EventId = 4030, Level = LogLevel.Information, Message = "Standby: waiting for the evaluator lease '{Lease}' (held by {Holder}, until {ExpiresAt})")]
    public static partial void LeaseStandby(ILogger logger, string lease, string holder, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 4031, Level = LogLevel.Warning, Message = "Active evaluator: this process ({Holder}) took the lease '{Lease}' after {WaitedMs} ms of standby")]
    public static partial void LeaseAcquired(ILogger logger, string holder, string lease, long waitedMs);

    [LoggerMessage(EventId = 4032, Level = LogLevel.Critical, Message = "Evaluator lease '{Lease}' lost by {Holder}: stopping this process so that only one engine writes alert state (it restarts as a standby)")]
    public static partial void LeaseLost(ILogger logger, string lease, string holder);

    [LoggerMessage(EventId = 4033, Level = LogLevel.Warning, Message = "Evaluator lease '{Lease}' could not be renewed: {Error}")]
    public static partial void LeaseRenewFailed(ILogger logger, string lease, string error);

    [LoggerMessage(EventId = 4034, Level = LogLevel.Warning, Message = "Evaluator lease '{Lease}' could not be tried: {Error}")]
    public static partial void LeaseTryFailed(ILogger logger, string lease, string error);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Alert #{AlertId} {Change}: {RuleId} on {Subject}")]
    public static partial void AlertChanged(ILogger logger, long alertId, string change, string ruleId, string subject);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Warning, Message = "Notification #{NotificationId} to {Channel} {Target} failed (attempt {Attempt}): {Error}")]
    public static partial void DeliveryFailed(ILogger logger, long notificationId, string channel, string target, int attempt, string error);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Error, Message = "Notification dispatch loop failed")]
    public static partial void DispatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4020, Level = LogLevel.Warning, Message = "MQTT announcements: cannot reach {Host}:{Port}: {Error}")]
    public static partial void AnnouncerDisconnected(ILogger logger, string host, int port, string error);

    [LoggerMessage(EventId = 4021, Level = LogLevel.Information, Message = "MQTT announcements connected to {Host}:{Port}")]
    public static partial void AnnouncerConnected(ILogger logger, string host, int port);

    [LoggerMessage(EventId = 4022, Level = LogLevel.Warning, Message = "MQTT announcement queue full: {Dropped} announcements dropped so far")]
    public static partial void AnnouncementsDropped(ILogger logger, long dropped);

    [LoggerMessage(EventId = 4030, Level = LogLevel.Warning, Message = "Alert command refused on {Path} from {Remote}: missing or wrong command token")]
    public static partial void CommandTokenRefused(ILogger logger, string path, string remote);

    [LoggerMessage(EventId = 4031, Level = LogLevel.Warning, Message = "Reading alert changes from the store failed; trying again in a second")]
    public static partial void ChangePollFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4040, Level = LogLevel.Information, Message = "Rule catalogue seeded from {Source} with {Count} rules")]
    public static partial void CatalogueSeeded(ILogger logger, string source, int count);

    [LoggerMessage(EventId = 4041, Level = LogLevel.Information, Message = "Rules swapped: {Kept} kept, {Started} started fresh, {Removed} removed ({Resolved} open alerts resolved)")]
    public static partial void RulesSwapped(ILogger logger, int kept, int started, int removed, int resolved);

    [LoggerMessage(EventId = 4042, Level = LogLevel.Error, Message = "The stored rule catalogue does not validate; the engine keeps its current rules")]
    public static partial void CatalogueInvalid(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4043, Level = LogLevel.Warning, Message = "Reading the rule catalogue failed; the engine keeps its current rules")]
    public static partial void CatalogueRefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4044, Level = LogLevel.Error, Message = "Alert rule {RuleId} is stored but not running: the rule loader refuses it ({Reasons}); fix or delete it on /rules, the other rules run")]
    public static partial void RuleNotRunning(ILogger logger, string ruleId, string reasons);

    [LoggerMessage(EventId = 4045, Level = LogLevel.Warning, Message = "Alert rule {RuleId} stopped running (refused by the rule loader); its {Open} open alert(s) stay open until it runs again or is deleted")]
    public static partial void RuleStoppedOpenAlertsKept(ILogger logger, string ruleId, int open);

    [LoggerMessage(EventId = 4046, Level = LogLevel.Error, Message = "Alert engine stopped draining at shutdown ({Cause}): {NotEvaluated} taken message(s) were not evaluated and {Parked} signal(s) were not stored")]
    public static partial void DrainStopped(ILogger logger, Exception? exception, string cause, int notEvaluated, int parked);
}
