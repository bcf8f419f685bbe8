using Microsoft.Extensions.Logging;

namespace Ioc.Dashboard;

internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Warning, "Created the first dashboard user {UserName} (generated password: {Generated})")]
    public static partial void AdminCreated(ILogger logger, string userName, bool generated);

    [LoggerMessage(2, LogLevel.Information, "Login of {UserName}: {Outcome}")]
    public static partial void LoginAttempt(ILogger logger, string userName, string outcome);

    [LoggerMessage(5, LogLevel.Debug, "Live feed ignored a message on {Topic}: {Reason}")]
    public static partial void FeedIgnored(ILogger logger, string topic, string reason);

    [LoggerMessage(6, LogLevel.Error, "A live-data subscriber failed")]
    public static partial void SubscriberFailed(ILogger logger, Exception exception);

    [LoggerMessage(7, LogLevel.Warning, "Fleet directory could not read the series table: {Reason}")]
    public static partial void FleetReadFailed(ILogger logger, string reason);

    [LoggerMessage(40, LogLevel.Error, "Page {Path} failed (reference {ErrorId}); the error panel is shown instead")]
    public static partial void PageFailed(ILogger logger, string path, string errorId, Exception exception);
}
