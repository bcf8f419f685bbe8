using System.Text;
using BenchmarkDotNet.Attributes;
using Ioc.Contract;
using Ioc.Contract.Model;
using Ioc.Storage.LineProtocol;

namespace Ioc.Bench;

/// <summary>Micro-benchmarks of the per-message hot path: decode (JSON, line protocol) and encode (PointData).</summary>
[MemoryDiagnoser]
public class EncodeBenchmarks
{
    private readonly MessageDecoder _decoder = new(new ContractOptions());
    private readonly byte[] _json = Encoding.UTF8.GetBytes($$$"""{"ts":{{{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}},"metrics":{"temp_c":41.5,"humidity_pct":55.2,"door_open":false,"fw":"7.2"},"tags":{"rack":"R03"}}""");
    private readonly byte[] _lineProtocol = Encoding.UTF8.GetBytes($"cpu,cpu=cpu-total,host=srv01 usage_idle=92.5,usage_user=4.1,usage_system=2.2 {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000}");
    private Point _point = null!;

    [GlobalSetup]
    public void Setup() => _point = _decoder.Decode("ioc/v1/dc-tinh/env-sensor/ENV-01/telemetry", _json, DateTimeOffset.UtcNow).Message!.Points[0];

    [Benchmark]
    public DecodeResult DecodeJson() => _decoder.Decode("ioc/v1/dc-tinh/env-sensor/ENV-01/telemetry", _json, DateTimeOffset.UtcNow);

    [Benchmark]
    public DecodeResult DecodeLineProtocol() => _decoder.Decode("ioc/v1/dc-tinh/server/SRV-01/telemetry", _lineProtocol, DateTimeOffset.UtcNow);

    [Benchmark]
    public int EncodePointData()
    {
        var builder = new StringBuilder(256);
        LineProtocolEncoder.Append(builder, _point);
        return builder.Length;
    }
}
