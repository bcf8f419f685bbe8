using System.Text.Json;
using Ioc.Collector.Configuration;
using Ioc.Collector.Diagnostics;
using Ioc.Collector.Mqtt;
using Ioc.Collector.Pipeline;
using Ioc.Collector.Spool;
using Ioc.Collector.Snmp;
using Ioc.Collector.Syslog;
using Ioc.Contract.Diagnostics;
using Ioc.Mqtt.Hosting;
using Ioc.Storage.Sqlite;
using Ioc.Storage;
using Ioc.ServiceDefaults;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Ioc.Collector;

public static class CollectorExtensions
{
    private static readonly JsonSerializerOptions HealthJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>
    /// Registers the collector: MQTT ingress → decode and validate → batch → store or spool → acknowledge,
    /// with the spool replayer, retention and a periodic stats line. Stages stop in reverse order, so the
    /// ingress stops first and everything received is stored before the process exits.
    /// </summary>
    public static IHostApplicationBuilder AddCollector(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        services.AddMqttConnection(configuration, CollectorOptions.MqttComponent);
        services.AddValidatedOptions<CollectorOptions>(configuration, CollectorOptions.SectionName, o => o.Validate());
        services.AddIocStorage(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<CollectorMetrics>();
        services.AddSingleton<IngestQueue>();
        services.AddSingleton<DeviceRateLimiter>();
        services.AddSingleton<BatchQueue>();
        services.AddSingleton<DiskSpool>();
        services.AddSingleton<StoreAvailability>();
        services.AddSingleton<PipelineDrain>();
        services.AddSingleton<CollectorStatus>();
        services.AddSingleton<MqttIngressService>();
        services.AddValidatedOptions<DeviceRegistryOptions>(configuration, DeviceRegistryOptions.SectionName, o => o.Validate());
        services.AddSingleton<DeviceAdmission>();

        // Before the pipeline: the registry's device ids are in memory before the first message is decoded.
        services.AddHostedService<DeviceRegistryRefresher>();
        services.AddHostedService<StorageWriterService>();
        // Before the batcher, so it stops after it: what was received here reaches the evaluator of a multi-collector deployment.
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<EvaluatorForwarder>(sp, EvaluatorForwarder.IsNeeded(configuration)));
        services.AddHostedService(sp => sp.GetRequiredService<EvaluatorForwarder>());
        services.AddHostedService<BatchingService>();
        services.AddHostedService(sp => sp.GetRequiredService<MqttIngressService>());
        // Syslog and SNMP from devices that do not speak MQTT (firewalls, switches, UPS, PDUs): after the MQTT ingress, so it stops first.
        services.AddSyslogIngress(configuration);
        services.AddSnmpBridge(configuration);
        services.AddHostedService<SpoolReplayService>();
        services.AddHostedService<StatsReporterService>();
        services.AddHostedService<CollectorGauges>();
        services.AddHostedService<CollectorHealthPublisher>();
        if (configuration.GetValue(HeapTrimService.SettingKey, true))
        {
            services.AddHostedService<HeapTrimService>();
        }
        if (configuration.GetValue(StorageOptions.SectionName + ":Provider", StorageProvider.Sqlite) == StorageProvider.Sqlite)
        {
            services.AddHostedService<SqliteRetentionService>();
            services.AddSingleton<IHeapTrimParticipant>(sp => sp.GetRequiredService<SqliteTelemetryStore>());
        }

        return builder;
    }

    /// <summary>
    /// <c>GET /healthz</c>: 200 when healthy or degraded (spooling, replaying, store slow, some connections down, a device
    /// flooding), 503 while starting (the first broker connection attempt under way) and when failing (no broker connection, nothing made durable for NoWriteFailAfter while messages wait,
    /// spool full or its disk failing, a decoder fault in the last minute); <c>reasons</c> says why. Left open for
    /// orchestrators; it shows counters, no data.
    /// </summary>
    public static IEndpointRouteBuilder MapCollectorEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", (CollectorStatus status) =>
        {
            var snapshot = status.Snapshot();
            return Results.Json(snapshot, HealthJson, statusCode: snapshot.Status is CollectorStatus.Unhealthy or CollectorStatus.Starting ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
        }).AllowAnonymous();
        return endpoints;
    }
}
