namespace Ioc.Collector.Configuration;

/// <summary>How the collector's connections divide the device topics between them.</summary>
public enum SubscriptionMode
{
    /// <summary>
    /// Each connection holds ordinary (non-shared) persistent subscriptions to its own slice of the topic space: the
    /// contract's device types × channels, dealt round-robin over <c>PartitionCount</c> collectors × <c>Connections</c>.
    /// Every broker restores ordinary subscriptions with the session, so nothing published while the collector is away, or
    /// right after a broker restart, goes unmatched. For Mosquitto (2.0.11 does not restore <c>$share/…</c> subscriptions).
    /// </summary>
    Partitioned,

    /// <summary>
    /// Every connection subscribes to <c>$share/{SharedGroup}/{TopicFilter}</c>: the broker balances, and a collector that
    /// dies leaves its share to the others at once. Only for brokers that keep shared subscriptions in a persistent
    /// session across their restart (EMQX, VerneMQ, HiveMQ); with Mosquitto 2.0.11 a broker restart drops QoS 1 messages
    /// until the collector subscribes again.
    /// </summary>
    Shared,
}

/// <summary>Section <c>Ioc:Collector</c>: the subscriber connections and the pipeline's bounds. The broker itself is <c>Ioc:Mqtt</c>.</summary>
public sealed class CollectorOptions
{
    public const string SectionName = "Ioc:Collector";

    /// <summary>The collector's connections use <c>Ioc:Mqtt</c> overlaid with <c>Ioc:Mqtt:Collector</c> (its own credentials, say).</summary>
    public const string MqttComponent = "Collector";

    /// <summary>Client id prefix when <c>Ioc:Mqtt:ClientId</c> is not set; connection i is "{prefix}-{i}".</summary>
    public const string DefaultClientId = "ioc-collector";

    /// <summary>Parallel subscriber connections; one MQTT client tops out near 10–13k msg/s.</summary>
    public int Connections { get; set; } = 1;

    /// <summary>Partitioned or Shared (see <see cref="SubscriptionMode"/>). Unset: Shared when <see cref="SharedGroup"/> is set, else Partitioned.</summary>
    public SubscriptionMode? Subscription { get; set; }

    /// <summary>Shared-subscription group (<c>$share/{group}/ioc/v1/#</c>) in Shared mode; defaults to "ioc-collector".</summary>
    public string? SharedGroup { get; set; }

    /// <summary>Partitioned mode: how many collector processes divide the topic space (each with its own client id)…</summary>
    public int PartitionCount { get; set; } = 1;

    /// <summary>…and which of them this one is, 0 to PartitionCount-1.</summary>
    public int PartitionIndex { get; set; }

    public string TopicFilter { get; set; } = Ioc.Contract.Topics.AllDevices;

    public SubscriptionMode EffectiveSubscription => Subscription ?? (string.IsNullOrWhiteSpace(SharedGroup) ? SubscriptionMode.Partitioned : SubscriptionMode.Shared);

    public string EffectiveSharedGroup => EffectiveSubscription == SubscriptionMode.Shared
        ? (!string.IsNullOrWhiteSpace(SharedGroup) ? SharedGroup : "ioc-collector")
        : string.Empty;

    /// <summary>A one-line description of what the connections subscribe to (logs, banners).</summary>
    public string SubscriptionFilter => EffectiveSubscription == SubscriptionMode.Shared
        ? $"$share/{EffectiveSharedGroup}/{TopicFilter}"
        : PartitionCount * Connections == 1 ? TopicFilter : $"{TopicFilter} partitioned by device type and channel (collector {PartitionIndex} of {PartitionCount}, {Connections} connection(s))";

    /// <summary>Messages received but not yet batched; when full the MQTT handler waits (backpressure to the broker).</summary>
    public int QueueCapacity { get; set; } = 50_000;

    /// <summary>A batch is written when it holds this many messages…</summary>
    public int BatchSize { get; set; } = 5_000;

    /// <summary>…or when its oldest message has waited this long.</summary>
    public TimeSpan BatchInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// …or at once when nothing more is waiting in the ingest queue and a writer is free: light load is written as it comes,
    /// while under heavy load the writers stay busy and batches fill up to <see cref="BatchSize"/> meanwhile.
    /// </summary>
    public bool FlushWhenDrained { get; set; } = true;

    /// <summary>
    /// Acknowledgements (PUBACKs) of a stored batch leave each connection in as few socket writes as they come, instead
    /// of one write per message (Ioc.Mqtt's coalescing channel).
    /// </summary>
    public bool CoalesceAcknowledgements { get; set; } = true;

    /// <summary>Batches written at once: while one waits on the store, the next is already on its way.</summary>
    public int WriteConcurrency { get; set; } = 2;

    /// <summary>Folder of the disk spool that holds batches while the store is down.</summary>
    public string SpoolPath { get; set; } = "data/spool";

    public long SpoolMaxBytes { get; set; } = 1L << 30;

    /// <summary>Pause between replay attempts while the store is still down (doubles up to 10× this).</summary>
    public TimeSpan ReplayRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Messages per second one device (site/type/id) may send before the excess is refused as <c>rate_limited</c>; 0 turns the limit off.</summary>
    public double DeviceRateLimit { get; set; } = 50;

    /// <summary>Messages a device may send at once above its rate (the token bucket's depth).</summary>
    public double DeviceBurst { get; set; } = 200;

    /// <summary>
    /// After each (re)connect of the collector, the rate limit waits this long: the broker then delivers the backlog of the
    /// persistent session at its own speed, far above any device's publishing rate, and that backlog must not be refused.
    /// </summary>
    public TimeSpan RateLimitGrace { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Devices the rate limiter tracks at once; the least recently seen is forgotten when a new one arrives.</summary>
    public int RateLimitTrackedDevices { get; set; } = 100_000;

    /// <summary>Section <c>Ioc:Collector:Health</c>: when the collector calls itself degraded or failing, and how it reports it.</summary>
    public CollectorHealthOptions Health { get; set; } = new();

    public IEnumerable<string> Validate()
    {
        if (!double.IsFinite(DeviceRateLimit) || DeviceRateLimit < 0)
        {
            yield return $"{SectionName}:DeviceRateLimit must be 0 (off) or a positive number of messages per second (was {DeviceRateLimit}).";
        }

        if (!double.IsFinite(DeviceBurst) || DeviceBurst < 1)
        {
            yield return $"{SectionName}:DeviceBurst must be at least 1 message (was {DeviceBurst}).";
        }

        if (RateLimitGrace < TimeSpan.Zero || RateLimitGrace > TimeSpan.FromHours(1))
        {
            yield return $"{SectionName}:RateLimitGrace must be 0 to 1 hour (was {RateLimitGrace}).";
        }

        if (RateLimitTrackedDevices is < 16 or > 10_000_000)
        {
            yield return $"{SectionName}:RateLimitTrackedDevices must be 16–10000000 (was {RateLimitTrackedDevices}).";
        }

        foreach (var error in Health.Validate())
        {
            yield return error;
        }

        if (Connections is < 1 or > 32)
        {
            yield return $"{SectionName}:Connections must be 1–32 (was {Connections}).";
        }

        if (SharedGroup is { Length: > 0 } group && (group.Contains('/') || group.Contains('+') || group.Contains('#')))
        {
            yield return $"{SectionName}:SharedGroup may not contain '/', '+' or '#'.";
        }

        if (PartitionCount is < 1 or > 32 || PartitionIndex < 0 || PartitionIndex >= PartitionCount)
        {
            yield return $"{SectionName}:PartitionCount must be 1–32 and PartitionIndex 0 to PartitionCount-1 (were {PartitionCount} and {PartitionIndex}).";
        }

        if (EffectiveSubscription == SubscriptionMode.Partitioned && PartitionCount * Connections > 27)
        {
            yield return $"{SectionName}:PartitionCount × Connections may be at most 27 (9 device types × 3 channels) when partitioned (was {PartitionCount * Connections}).";
        }

        if (EffectiveSubscription == SubscriptionMode.Partitioned && PartitionCount * Connections > 1 && TopicFilter != Ioc.Contract.Topics.AllDevices)
        {
            yield return $"{SectionName}:TopicFilter must stay {Ioc.Contract.Topics.AllDevices} when the topic space is partitioned (Subscription Partitioned with several connections or collectors); set Subscription to Shared to use another filter.";
        }

        if (string.IsNullOrWhiteSpace(TopicFilter))
        {
            yield return $"{SectionName}:TopicFilter must be a topic filter (default {Ioc.Contract.Topics.AllDevices}).";
        }

        if (QueueCapacity is < 100 or > 10_000_000)
        {
            yield return $"{SectionName}:QueueCapacity must be 100–10000000 (was {QueueCapacity}).";
        }

        if (BatchSize is < 1 or > 100_000)
        {
            yield return $"{SectionName}:BatchSize must be 1–100000 (was {BatchSize}).";
        }

        if (BatchInterval < TimeSpan.FromMilliseconds(1) || BatchInterval > TimeSpan.FromSeconds(10))
        {
            yield return $"{SectionName}:BatchInterval must be between 1 ms and 10 s (was {BatchInterval}).";
        }

        if (WriteConcurrency is < 1 or > 16)
        {
            yield return $"{SectionName}:WriteConcurrency must be 1–16 (was {WriteConcurrency}).";
        }

        if (string.IsNullOrWhiteSpace(SpoolPath))
        {
            yield return $"{SectionName}:SpoolPath must name a folder.";
        }

        if (SpoolMaxBytes < 1 << 20)
        {
            yield return $"{SectionName}:SpoolMaxBytes must be at least 1 MiB (was {SpoolMaxBytes}).";
        }

        if (ReplayRetryDelay <= TimeSpan.Zero)
        {
            yield return $"{SectionName}:ReplayRetryDelay must be positive.";
        }
    }
}

/// <summary>Section <c>Ioc:Collector:Health</c>.</summary>
public sealed class CollectorHealthOptions
{
    public const string SectionName = CollectorOptions.SectionName + ":Health";

    /// <summary>Seconds without any batch made durable (stored or spooled) while messages wait, after which the collector is failing.</summary>
    public double NoWriteFailAfter { get; set; } = 15;

    /// <summary>A store write slower than this many milliseconds makes the collector degraded.</summary>
    public double SlowWriteMs { get; set; } = 2_000;

    /// <summary>Seconds between the collector's own health reports on its device topic (also sent on every change); 0 turns them off.</summary>
    public double PublishInterval { get; set; } = 10;

    /// <summary>Site of the collector's own device topic <c>ioc/v1/{Site}/collector/{CollectorId}/telemetry</c>.</summary>
    public string Site { get; set; } = "ioc-core";

    /// <summary>Device id of the collector on its own topic; default: the MQTT client id prefix (e.g. <c>ioc-collector</c>).</summary>
    public string? CollectorId { get; set; }

    public IEnumerable<string> Validate()
    {
        if (!double.IsFinite(NoWriteFailAfter) || NoWriteFailAfter is < 1 or > 86_400)
        {
            yield return $"{SectionName}:NoWriteFailAfter must be 1–86400 seconds (was {NoWriteFailAfter}).";
        }

        if (!double.IsFinite(SlowWriteMs) || SlowWriteMs < 1)
        {
            yield return $"{SectionName}:SlowWriteMs must be a positive number of milliseconds (was {SlowWriteMs}).";
        }

        if (!double.IsFinite(PublishInterval) || PublishInterval is < 0 or > 3_600)
        {
            yield return $"{SectionName}:PublishInterval must be 0 (off) to 3600 seconds (was {PublishInterval}).";
        }

        if (!Ioc.Contract.Names.IsSlug(Site))
        {
            yield return $"{SectionName}:Site must be a slug [a-z0-9-]{{1,64}} (was '{Site}').";
        }

        if (CollectorId is { } id && !Ioc.Contract.Names.IsDeviceId(id))
        {
            yield return $"{SectionName}:CollectorId must match [A-Za-z0-9_.-]{{1,64}} (was '{id}').";
        }
    }
}
