using Ioc.Storage.InfluxDb;

namespace Ioc.Storage.Tests;

public class InfluxQlTests
{
    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData("it's", @"'it\'s'")]
    [InlineData(@"back\slash", @"'back\\slash'")]
    [InlineData("' OR 1=1; DROP DATABASE ioc; --", @"'\' OR 1=1; DROP DATABASE ioc; --'")]
    [InlineData("line\nbreak", @"'line\nbreak'")]
    public void Literal_EscapesQuotesAndBackslashes(string value, string expected)
    {
        Assert.Equal(expected, InfluxQl.Literal(value));
    }

    [Theory]
    [InlineData("env-sensor", "\"env-sensor\"")]
    [InlineData("a\"b", "\"a\\\"b\"")]
    public void Identifier_IsDoubleQuotedAndEscaped(string name, string expected)
    {
        Assert.Equal(expected, InfluxQl.Identifier(name));
    }

    [Fact]
    public void Time_IsNanosecondsSinceEpoch()
    {
        Assert.Equal("1000000000", InfluxQl.Time(DateTimeOffset.UnixEpoch.AddSeconds(1)));
    }
}
