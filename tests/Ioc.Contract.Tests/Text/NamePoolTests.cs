using System.Text;
using System.Text.Json;
using Ioc.Contract;
using Ioc.Contract.Text;

namespace Ioc.Contract.Tests.Text;

public class NamePoolTests
{
    [Fact]
    public void Get_SameNameTwice_ReturnsTheSameString()
    {
        var pool = new NamePool(10);

        var first = pool.Get("thanh-ha-xa-01".AsSpan());
        var second = pool.Get("ioc/v1/thanh-ha-xa-01/ups".AsSpan(7, 14));

        Assert.Equal("thanh-ha-xa-01", second);
        Assert.Same(first, second);
        Assert.Equal(1, pool.Count);
    }

    [Fact]
    public void Get_BeyondCapacity_ReturnsNewStringsWithoutKeepingThem()
    {
        var pool = new NamePool(2);
        pool.Get("a".AsSpan());
        pool.Get("b".AsSpan());

        var c1 = pool.Get("c".AsSpan());
        var c2 = pool.Get("c".AsSpan());

        Assert.Equal("c", c1);
        Assert.NotSame(c1, c2);
        Assert.Equal(2, pool.Count);
    }

    [Fact]
    public void Get_JsonToken_PoolsPlainAsciiAndDecodesEscapedOrNonAsciiAsUsual()
    {
        var pool = new NamePool(10);
        var json = Encoding.UTF8.GetBytes("""{"temp_c":1,"temp_c":2,"nhi\u1ec7t":3,"t\u0065mp_c":4}""");
        var reader = new Utf8JsonReader(json);
        var names = new List<string>();
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                names.Add(pool.Get(ref reader));
            }
        }

        Assert.Equal(["temp_c", "temp_c", "nhiệt", "temp_c"], names);
        Assert.Same(names[0], names[1]);
        Assert.Equal(1, pool.Count);
    }

    [Fact]
    public void Decode_TopicNames_ComeFromTheSharedPool()
    {
        var decoder = new MessageDecoder(new ContractOptions());
        var payload = Encoding.UTF8.GetBytes("""{"metrics":{"temp_c":24.5}}""");

        var first = decoder.Decode("ioc/v1/xa-an-son/env-sensor/ENV-000123/telemetry", payload, DateTimeOffset.UtcNow).Message!;
        var second = decoder.Decode("ioc/v1/xa-an-son/env-sensor/ENV-000123/telemetry", payload, DateTimeOffset.UtcNow).Message!;

        Assert.Same(first.Device.DeviceId, second.Device.DeviceId);
        Assert.Same(first.Device.Site, second.Device.Site);
        Assert.Same(first.Points[0].Fields[0].Key, second.Points[0].Fields[0].Key);
    }
}
