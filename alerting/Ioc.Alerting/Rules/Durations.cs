using System.Globalization;

namespace Ioc.Alerting.Rules;

/// <summary>Parses durations as people write them in rule files: <c>90s</c>, <c>5m</c>, <c>1h30m</c>, <c>2d</c>, <c>500ms</c>.</summary>
public static class Durations
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var span = text.AsSpan().Trim();
        var total = 0.0;
        while (!span.IsEmpty)
        {
            var digits = 0;
            while (digits < span.Length && (char.IsAsciiDigit(span[digits]) || span[digits] == '.'))
            {
                digits++;
            }

            if (digits == 0 || !double.TryParse(span[..digits], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            span = span[digits..];
            double unitMs;
            if (span.StartsWith("ms"))
            {
                unitMs = 1;
                span = span[2..];
            }
            else if (!span.IsEmpty)
            {
                unitMs = span[0] switch { 's' => 1000, 'm' => 60_000, 'h' => 3_600_000, 'd' => 86_400_000, _ => -1 };
                if (unitMs < 0)
                {
                    return false;
                }

                span = span[1..];
            }
            else
            {
                return false;
            }

            total += number * unitMs;
        }

        duration = TimeSpan.FromMilliseconds(total);
        return true;
    }

    public static string Format(TimeSpan duration)
    {
        if (duration.TotalMilliseconds < 1000)
        {
            return $"{duration.TotalMilliseconds:0}ms";
        }

        if (duration.TotalSeconds < 120 || duration.TotalSeconds % 60 != 0)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{duration.TotalSeconds:0.###}s");
        }

        return duration.TotalMinutes < 120 || duration.TotalMinutes % 60 != 0
            ? string.Create(CultureInfo.InvariantCulture, $"{duration.TotalMinutes:0}m")
            : string.Create(CultureInfo.InvariantCulture, $"{duration.TotalHours:0}h");
    }
}
