namespace Ioc.Dashboard.Alerts;

/// <summary>
/// Gives pages the alert engine when the host has bound one (<c>services.AddSingleton&lt;IAlertSource, …&gt;()</c>);
/// without it the alert pages say the engine is not connected instead of showing an empty, misleading list.
/// </summary>
public sealed class AlertSourceAccessor(IServiceProvider services)
{
    public IAlertSource? Source { get; } = services.GetService(typeof(IAlertSource)) as IAlertSource;

    public bool IsAvailable => Source is not null;
}
