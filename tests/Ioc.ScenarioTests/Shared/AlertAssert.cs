using Ioc.Contract.Alerts;

namespace Ioc.ScenarioTests.Shared;

/// <summary>Compares alerts by what an operator reads: rule id and device (or group subject).</summary>
internal static class AlertAssert
{
    /// <summary><c>rule-id device-id</c>, or <c>rule-id subject</c> for a group alert.</summary>
    public static string Key(Alert alert) => $"{alert.RuleId} {alert.DeviceId ?? alert.Subject}";

    public static string[] Keys(IEnumerable<Alert> alerts) => alerts.Select(Key).Distinct().Order(StringComparer.Ordinal).ToArray();

    /// <summary>The run raised exactly these (rule, subject) pairs, each once.</summary>
    public static void Exactly(IEnumerable<string> expected, IReadOnlyList<Alert> alerts)
    {
        Assert.Equal(expected.Order(StringComparer.Ordinal).ToArray(), alerts.Select(Key).Order(StringComparer.Ordinal).ToArray());
    }

    /// <summary>Every alert of the run was resolved by the engine (the condition cleared), not by hand.</summary>
    public static void AllResolvedByEngine(IReadOnlyList<Alert> alerts) =>
        Assert.All(alerts, a =>
        {
            Assert.Equal(AlertState.Resolved, a.State);
            Assert.Equal("engine", a.ResolvedBy);
        });

    /// <summary>Every alert's firing and its resolution were announced on <see cref="Ioc.Alerting.Announce.AlertFeed"/>.</summary>
    public static void Announced(IReadOnlyList<AlertChange> changes, IReadOnlyList<Alert> alerts) =>
        Assert.All(alerts, a =>
        {
            Assert.Single(changes, c => c.Kind == AlertChangeKind.Fired && c.Alert.Id == a.Id);
            Assert.Single(changes, c => c.Kind == AlertChangeKind.Resolved && c.Alert.Id == a.Id);
        });
}
