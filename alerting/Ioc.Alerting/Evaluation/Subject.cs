using System.Text;
using Ioc.Contract.Alerts;
using Ioc.Alerting.Rules;
using Ioc.Contract;
using Ioc.Contract.Text;

namespace Ioc.Alerting.Evaluation;

/// <summary>What an alert is about. The key is stable across restarts: one open alert per rule and key.</summary>
public sealed record Subject(
    string Key,
    string Display,
    string? Site,
    string? District,
    string? DeviceType,
    string? DeviceId,
    IReadOnlyDictionary<string, string> Labels)
{
    public static Subject ForDevice(DeviceAddress device, string? district) => new(
        $"device={device}",
        device.ToString(),
        device.Site,
        district,
        device.DeviceType,
        device.DeviceId,
        new Dictionary<string, string>());

    public static Subject ForGroup(GroupLevel level, string name) => level == GroupLevel.District
        ? new($"district={name}", $"district {name}", null, name, null, null, new Dictionary<string, string>())
        : new($"site={name}", $"site {name}", name, null, null, null, new Dictionary<string, string>());

    public static Subject FromAlert(Alert alert) =>
        new(alert.SubjectKey, alert.Subject, alert.Site, alert.District, alert.DeviceType, alert.DeviceId, alert.Labels);

    /// <summary>
    /// Builds the subject from a rule's <c>groupBy</c> keys: <c>device</c>, <c>site</c>, <c>district</c>, <c>device_type</c>
    /// come from the address; any other key is looked up (a point tag or an event attribute). Null when a key has no value.
    /// </summary>
    public static Subject? Build(IReadOnlyList<string> groupBy, DeviceAddress device, string? district, Func<string, string?> lookup)
    {
        if (groupBy.Count == 1 && groupBy[0] == "device")
        {
            return ForDevice(device, district);
        }

        var key = new StringBuilder();
        var display = new StringBuilder();
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        var hasDevice = false;
        var hasSite = false;
        var hasDistrict = false;
        var hasType = false;
        foreach (var name in groupBy)
        {
            string? value;
            switch (name)
            {
                case "device":
                    value = device.ToString();
                    hasDevice = true;
                    break;
                case "site":
                    value = device.Site;
                    hasSite = true;
                    break;
                case "district":
                    value = district;
                    hasDistrict = true;
                    break;
                case "device_type":
                    value = device.DeviceType;
                    hasType = true;
                    break;
                default:
                    value = lookup(name);
                    if (value is not null)
                    {
                        labels[name] = value;
                    }

                    break;
            }

            if (value is null)
            {
                return null;
            }

            if (key.Length > 0)
            {
                key.Append(',');
                display.Append(' ');
            }

            key.Append(name).Append('=').Append(value);
            display.Append(name is "device" or "site" or "district" ? value : $"{name}={value}");
        }

        return new Subject(
            key.ToString(),
            display.ToString(),
            hasDevice || hasSite ? device.Site : null,
            hasDevice || hasSite || hasDistrict ? district : null,
            hasDevice || hasType ? device.DeviceType : null,
            hasDevice ? device.DeviceId : null,
            labels);
    }
}

/// <summary>
/// An evaluator's verdict: the condition of <see cref="Rule"/> for <see cref="Subject"/> started or stopped.
/// <see cref="Summary"/> is the summary template in both languages; the engine renders it (<see cref="SummaryFormatter"/>)
/// with the names of sites when it stores the alert.
/// </summary>
public sealed record AlertSignal(AlertRule Rule, Subject Subject, bool Firing, double? Value, LocalizedText Summary, DateTimeOffset At);
