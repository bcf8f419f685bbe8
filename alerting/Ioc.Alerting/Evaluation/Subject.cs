using System.Collections.ObjectModel;
using System.Text;
using Ioc.Contract.Alerts;
using Ioc.Alerting.Rules;
using Ioc.Contract;
using Ioc.Contract.Text;

namespace Ioc.Alerting.Evaluation;

/// <summary>
/// What an alert is about. The key is stable across restarts: one open alert per rule and key.
/// A device's subject (<see cref="ForDevice"/>, one per device the engine has heard from) owns no string of its own: it
/// points at the address's site, type and id strings and builds <see cref="Key"/> and <see cref="Display"/> when asked
/// (when an alert is stored); dictionaries of per-subject state key it with <see cref="KeyComparer"/>, which compares and
/// hashes the key without building it.
/// </summary>
public sealed class Subject
{
    /// <summary>The labels of a subject that has none (shared: no dictionary per device).</summary>
    public static readonly IReadOnlyDictionary<string, string> NoLabels = ReadOnlyDictionary<string, string>.Empty;

    private const string DevicePrefix = "device=";
    private readonly string? _key;
    private readonly string? _display;

    public Subject(string key, string display, string? site, string? district, string? deviceType, string? deviceId, IReadOnlyDictionary<string, string> labels)
    {
        _key = key;
        _display = display;
        Site = site;
        District = district;
        DeviceType = deviceType;
        DeviceId = deviceId;
        Labels = labels.Count == 0 ? NoLabels : labels;
    }

    private Subject(DeviceAddress device, string? district)
    {
        Site = device.Site;
        District = district;
        DeviceType = device.DeviceType;
        DeviceId = device.DeviceId;
        Labels = NoLabels;
    }

    /// <summary>Compares and hashes subjects by <see cref="Key"/> (ordinal), without building a device subject's key.</summary>
    public static IEqualityComparer<Subject> KeyComparer { get; } = new SubjectKeyComparer();

    /// <summary><c>device=site/type/id</c>, <c>site=…</c>, <c>district=…</c> or the <c>groupBy</c> keys with their values.</summary>
    public string Key => _key ?? string.Concat(DevicePrefix, Site, "/", DeviceType, "/", DeviceId);

    public string Display => _display ?? string.Concat(Site, "/", DeviceType, "/", DeviceId);

    public string? Site { get; }

    public string? District { get; }

    public string? DeviceType { get; }

    public string? DeviceId { get; }

    public IReadOnlyDictionary<string, string> Labels { get; }

    public static Subject ForDevice(DeviceAddress device, string? district) => new(device, district);

    public static Subject ForGroup(GroupLevel level, string name) => level == GroupLevel.District
        ? new($"district={name}", $"district {name}", null, name, null, null, NoLabels)
        : new($"site={name}", $"site {name}", name, null, null, null, NoLabels);

    public static Subject FromAlert(Alert alert) =>
        new(alert.SubjectKey, alert.Subject, alert.Site, alert.District, alert.DeviceType, alert.DeviceId, alert.Labels);

    public override string ToString() => Key;

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
        Dictionary<string, string>? labels = null;
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
                        (labels ??= new Dictionary<string, string>(StringComparer.Ordinal))[name] = value;
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
            labels ?? NoLabels);
    }

    /// <summary>Writes a device subject's key into <paramref name="buffer"/>; false when it does not fit.</summary>
    private bool TryWriteDeviceKey(Span<char> buffer, out int written)
    {
        written = DevicePrefix.Length + Site!.Length + DeviceType!.Length + DeviceId!.Length + 2;
        if (written > buffer.Length)
        {
            return false;
        }

        var at = 0;
        DevicePrefix.CopyTo(buffer);
        at += DevicePrefix.Length;
        Site.CopyTo(buffer[at..]);
        at += Site.Length;
        buffer[at++] = '/';
        DeviceType.CopyTo(buffer[at..]);
        at += DeviceType.Length;
        buffer[at++] = '/';
        DeviceId.CopyTo(buffer[at..]);
        return true;
    }

    private sealed class SubjectKeyComparer : IEqualityComparer<Subject>
    {
        private const int StackKey = 256;

        public bool Equals(Subject? x, Subject? y)
        {
            if (ReferenceEquals(x, y))
            {
                return true;
            }

            if (x is null || y is null)
            {
                return false;
            }

            if (x._key is null && y._key is null)
            {
                return string.Equals(x.DeviceId, y.DeviceId, StringComparison.Ordinal)
                    && string.Equals(x.DeviceType, y.DeviceType, StringComparison.Ordinal)
                    && string.Equals(x.Site, y.Site, StringComparison.Ordinal);
            }

            if (x._key is not null && y._key is not null)
            {
                return string.Equals(x._key, y._key, StringComparison.Ordinal);
            }

            var (device, keyed) = x._key is null ? (x, y._key!) : (y, x._key);
            Span<char> buffer = stackalloc char[StackKey];
            return device.TryWriteDeviceKey(buffer, out var length)
                ? buffer[..length].SequenceEqual(keyed)
                : string.Equals(device.Key, keyed, StringComparison.Ordinal);
        }

        /// <summary>The same hash as <c>string.GetHashCode()</c> of the key, so a device subject and a subject restored from an alert meet.</summary>
        public int GetHashCode(Subject subject)
        {
            if (subject._key is not null)
            {
                return subject._key.GetHashCode(StringComparison.Ordinal);
            }

            Span<char> buffer = stackalloc char[StackKey];
            return subject.TryWriteDeviceKey(buffer, out var length)
                ? string.GetHashCode(buffer[..length], StringComparison.Ordinal)
                : subject.Key.GetHashCode(StringComparison.Ordinal);
        }
    }
}

/// <summary>
/// An evaluator's verdict: the condition of <see cref="Rule"/> for <see cref="Subject"/> started or stopped.
/// <see cref="Summary"/> is the summary template in both languages; the engine renders it (<see cref="SummaryFormatter"/>)
/// with the names of sites when it stores the alert.
/// </summary>
public sealed record AlertSignal(AlertRule Rule, Subject Subject, bool Firing, double? Value, LocalizedText Summary, DateTimeOffset At);
