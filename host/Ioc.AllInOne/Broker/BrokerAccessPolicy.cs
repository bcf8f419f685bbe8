namespace Ioc.AllInOne.Broker;

/// <summary>What a connected client is allowed to do; decided once, at CONNECT.</summary>
public enum BrokerRole
{
    /// <summary>Username = device id: publishes only under <c>ioc/v1/+/+/{id}/…</c>, reads only its own <c>commands</c>.</summary>
    Device,

    /// <summary>Reads <c>ioc/v1/#</c>; writes only its own health under <c>ioc/v1/ioc-core/collector/…</c> and the evaluator's ingress <c>ioc/ingress/v1/…</c>.</summary>
    Collector,

    /// <summary>The alert engine (announcer and evaluator): reads <c>ioc/v1/#</c> and <c>ioc/ingress/v1/#</c>, the only writer of <c>ioc/v1/_system/#</c>.</summary>
    Engine,

    /// <summary>Reads <c>ioc/v1/#</c>, writes nothing.</summary>
    Dashboard,

    /// <summary>A fleet simulator over shared connections: writes any device topic (never <c>_system</c> or the collector's), reads nothing.</summary>
    Simulators,

    /// <summary>Only with <c>Ioc:Broker:AllowAnonymous=true</c> (development): no topic rule at all.</summary>
    Anonymous,
}

/// <summary>A client as the broker knows it after CONNECT.</summary>
public sealed record BrokerPrincipal(BrokerRole Role, string? Username);

/// <summary>
/// The topic rules of docs/broker-identity.md, the same as deploy/mosquitto/acl for Mosquitto. Pure functions, so
/// that the embedded broker and its tests share them.
/// </summary>
public static class BrokerAccessPolicy
{
    private const string Root = "ioc/v1/";
    private const string SystemPrefix = "ioc/v1/_system/";
    private const string CollectorHealthPrefix = "ioc/v1/ioc-core/collector/";
    private const string IngressPrefix = Ioc.Contract.Topics.IngressPrefix;

    public static bool CanPublish(BrokerPrincipal principal, string topic)
    {
        if (principal.Role == BrokerRole.Anonymous)
        {
            return true;
        }

        if (topic.Contains('+', StringComparison.Ordinal) || topic.Contains('#', StringComparison.Ordinal))
        {
            return false;
        }

        return principal.Role switch
        {
            BrokerRole.Engine => topic.StartsWith(SystemPrefix, StringComparison.Ordinal),
            BrokerRole.Collector => (topic.StartsWith(CollectorHealthPrefix, StringComparison.Ordinal) && topic.Length > CollectorHealthPrefix.Length)
                || (topic.StartsWith(IngressPrefix, StringComparison.Ordinal) && topic.Length > IngressPrefix.Length),
            BrokerRole.Simulators => IsDeviceTopic(topic, out _),
            BrokerRole.Device => IsDeviceTopic(topic, out var deviceId) && string.Equals(deviceId, principal.Username, StringComparison.Ordinal),
            _ => false,
        };
    }

    public static bool CanSubscribe(BrokerPrincipal principal, string topicFilter)
    {
        if (principal.Role == BrokerRole.Anonymous)
        {
            return true;
        }

        var filter = StripShare(topicFilter);
        return principal.Role switch
        {
            BrokerRole.Collector or BrokerRole.Dashboard => filter.StartsWith(Root, StringComparison.Ordinal),
            BrokerRole.Engine => filter.StartsWith(Root, StringComparison.Ordinal) || filter.StartsWith(IngressPrefix, StringComparison.Ordinal),
            BrokerRole.Device => IsOwnCommandsFilter(filter, principal.Username),
            _ => false,
        };
    }

    /// <summary><c>ioc/v1/{site}/{type}/{id}/…</c> outside the reserved <c>_system</c> tree and the collector's own health.</summary>
    private static bool IsDeviceTopic(string topic, out string deviceId)
    {
        deviceId = string.Empty;
        if (!topic.StartsWith(Root, StringComparison.Ordinal)
            || topic.StartsWith(SystemPrefix, StringComparison.Ordinal)
            || topic.StartsWith(CollectorHealthPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var levels = topic.Split('/');
        if (levels.Length < 6 || levels[2].Length == 0 || levels[3].Length == 0 || levels[4].Length == 0)
        {
            return false;
        }

        deviceId = levels[4];
        return true;
    }

    /// <summary><c>ioc/v1/{site|+}/{type|+}/{id}/commands[/…]</c>: a device reads its own commands and nothing else.</summary>
    private static bool IsOwnCommandsFilter(string filter, string? deviceId)
    {
        if (string.IsNullOrEmpty(deviceId) || !filter.StartsWith(Root, StringComparison.Ordinal) || filter.StartsWith(SystemPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        var levels = filter.Split('/');
        return levels.Length >= 6
            && levels[2] != "#" && levels[3] != "#"
            && levels[4] == deviceId
            && levels[5] == "commands";
    }

    private static string StripShare(string filter)
    {
        if (!filter.StartsWith("$share/", StringComparison.Ordinal))
        {
            return filter;
        }

        var groupEnd = filter.IndexOf('/', "$share/".Length);
        return groupEnd < 0 ? string.Empty : filter[(groupEnd + 1)..];
    }
}
