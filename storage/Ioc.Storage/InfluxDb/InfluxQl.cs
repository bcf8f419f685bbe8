using System.Text;

namespace Ioc.Storage.InfluxDb;

/// <summary>Quoting for InfluxQL, so that no name or value taken from input can change a query.</summary>
public static class InfluxQl
{
    /// <summary>A double-quoted identifier (measurement, tag key, database).</summary>
    public static string Identifier(string name) => Quote(name, '"');

    /// <summary>A single-quoted string literal (tag values).</summary>
    public static string Literal(string value) => Quote(value, '\'');

    private static string Quote(string text, char quote)
    {
        var builder = new StringBuilder(text.Length + 2).Append(quote);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\':
                    builder.Append(@"\\");
                    break;
                case '\n':
                    builder.Append(@"\n");
                    break;
                case '\r':
                    builder.Append(@"\r");
                    break;
                default:
                    if (c == quote)
                    {
                        builder.Append('\\');
                    }

                    builder.Append(c);
                    break;
            }
        }

        return builder.Append(quote).ToString();
    }

    /// <summary>A time as an integer of nanoseconds, which InfluxQL compares with <c>time</c> directly.</summary>
    public static string Time(DateTimeOffset time) => ((time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A duration literal in the largest unit that holds it exactly (<c>60s</c>, <c>1500ms</c>, <c>250u</c>, <c>100ns</c>).</summary>
    public static string Duration(TimeSpan span)
    {
        var ticks = span.Ticks;
        var text = ticks % TimeSpan.TicksPerSecond == 0 ? $"{ticks / TimeSpan.TicksPerSecond}s"
            : ticks % TimeSpan.TicksPerMillisecond == 0 ? $"{ticks / TimeSpan.TicksPerMillisecond}ms"
            : ticks % TimeSpan.TicksPerMicrosecond == 0 ? $"{ticks / TimeSpan.TicksPerMicrosecond}u"
            : $"{ticks * 100}ns";
        return text;
    }
}
