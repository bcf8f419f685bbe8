namespace Ioc.IntegrationTests.Infrastructure;

/// <summary>Contract payloads for tests: each carries its own timestamp so that replays are idempotent.</summary>
public static class Telemetry
{
    public static readonly DateTimeOffset Base = DateTimeOffset.UtcNow.AddMinutes(-30);

    /// <summary>Message i of a stream: a unique millisecond each, spread over a few devices.</summary>
    public static (string Topic, string Payload) EnvSensor(int i, string site = "dc-tinh", int devices = 10) =>
        ($"ioc/v1/{site}/env-sensor/ENV-{i % devices:D3}/telemetry",
         "{\"ts\":" + (Base.ToUnixTimeMilliseconds() + i) + ",\"metrics\":{\"temp_c\":" + (20 + (i % 10)) + ".5,\"seq\":" + i + "},\"tags\":{\"rack\":\"R" + (i % 4) + "\"}}");
}
