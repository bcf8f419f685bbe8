using System.Globalization;

namespace Ioc.Simulators.Scenarios;

/// <summary>
/// A scenario request: name, offset from the simulation's start (or from now, when started from code), parameters.
/// Text form (CLI and configuration): <c>name[@offset][,key=value]…</c>, e.g.
/// <c>crac-failure@10m,row=B,duration=30m</c>. Durations: <c>90s</c>, <c>15m</c>, <c>2h</c>, or <c>hh:mm:ss</c>.
/// </summary>
public sealed record ScenarioSpec(string Name, TimeSpan Offset, IReadOnlyDictionary<string, string> Parameters)
{
    public static ScenarioSpec Parse(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var head = parts[0];
        var offset = TimeSpan.Zero;
        var at = head.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            offset = Durations.Parse(head[(at + 1)..], "offset");
            head = head[..at];
        }

        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in parts.Skip(1))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new FormatException($"Scenario '{text}': parameter '{part}' must be key=value.");
            }

            parameters[part[..eq].Trim()] = part[(eq + 1)..].Trim();
        }

        return new ScenarioSpec(head.Trim().ToLowerInvariant(), offset, parameters);
    }

    public override string ToString()
    {
        var text = Offset == TimeSpan.Zero ? Name : $"{Name}@{Durations.Format(Offset)}";
        return Parameters.Count == 0 ? text : text + "," + string.Join(",", Parameters.Select(p => $"{p.Key}={p.Value}"));
    }
}

/// <summary>Short duration syntax: <c>500ms</c>, <c>90s</c>, <c>15m</c>, <c>2h</c>, <c>1d</c>, or a TimeSpan (<c>00:15:00</c>).</summary>
public static class Durations
{
    public static TimeSpan Parse(string text, string what)
    {
        text = text.Trim();
        if (TryParse(text, out var value))
        {
            return value;
        }

        throw new FormatException($"{what} '{text}' is not a duration (examples: 90s, 15m, 2h, 00:15:00).");
    }

    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        text = text.Trim();
        if (text.Length == 0)
        {
            return false;
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero;
        }

        var (number, unit) = text.EndsWith("ms", StringComparison.OrdinalIgnoreCase)
            ? (text[..^2], "ms")
            : char.IsLetter(text[^1]) ? (text[..^1], text[^1..].ToLowerInvariant()) : (text, "s");
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || amount < 0 || double.IsInfinity(amount))
        {
            return false;
        }

        TimeSpan? parsed = unit switch
        {
            "ms" => TimeSpan.FromMilliseconds(amount),
            "s" => TimeSpan.FromSeconds(amount),
            "m" => TimeSpan.FromMinutes(amount),
            "h" => TimeSpan.FromHours(amount),
            "d" => TimeSpan.FromDays(amount),
            _ => null,
        };
        value = parsed ?? default;
        return parsed is not null;
    }

    public static string Format(TimeSpan value) =>
        value.TotalSeconds % 3600 == 0 && value >= TimeSpan.FromHours(1) ? $"{value.TotalHours:0}h"
        : value.TotalSeconds % 60 == 0 ? $"{value.TotalMinutes:0}m"
        : $"{value.TotalSeconds:0.###}s";
}
