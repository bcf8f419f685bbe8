using System.Globalization;
using Ioc.Simulators.Fleet;

namespace Ioc.Simulators.Scenarios;

/// <summary>Reads a scenario's parameters with defaults, checks them against the fleet, and tracks unknown keys.</summary>
public sealed class ScenarioArguments
{
    private readonly ScenarioSpec _spec;
    private readonly HashSet<string> _used = new(StringComparer.OrdinalIgnoreCase);

    public ScenarioArguments(ScenarioSpec spec, FleetDefinition fleet, DateTimeOffset origin, int seed)
    {
        _spec = spec;
        Fleet = fleet;
        Start = origin + spec.Offset;
        Seed = seed;
    }

    public FleetDefinition Fleet { get; }

    public DateTimeOffset Start { get; }

    public int Seed { get; }

    public string Name => _spec.Name;

    public TimeSpan Duration(TimeSpan fallback)
    {
        var value = Get("duration") is { } text ? Durations.Parse(text, $"{Name}: duration") : fallback;
        return value > TimeSpan.Zero ? value : throw Fail("duration must be positive");
    }

    public TimeSpan Period(string key, TimeSpan fallback)
    {
        var value = Get(key) is { } text ? Durations.Parse(text, $"{Name}: {key}") : fallback;
        return value >= TimeSpan.FromMilliseconds(100) ? value : throw Fail($"{key} must be at least 100ms");
    }

    public double Number(string key, double fallback, double min, double max)
    {
        if (Get(key) is not { } text)
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw Fail($"{key} must be a number between {min} and {max} (was '{text}')");
    }

    public string Text(string key, string fallback) => Get(key) ?? fallback;

    /// <summary>The device named by <paramref name="key"/>, else the first preferred id present, else the first device matching.</summary>
    public Device Device(string key, string type, IEnumerable<string> preferred, Func<Device, bool>? fallback = null)
    {
        if (Get(key) is { } id)
        {
            var named = Fleet.FindDevice(id) ?? throw Fail($"{key} '{id}' is not a device of the fleet");
            return named.Type == type ? named : throw Fail($"{key} '{id}' is a {named.Type}, not a {type}");
        }

        foreach (var candidate in preferred)
        {
            if (Fleet.FindDevice(candidate) is { } found && found.Type == type)
            {
                return found;
            }
        }

        return Fleet.Devices.FirstOrDefault(d => d.Type == type && (fallback?.Invoke(d) ?? true))
            ?? Fleet.Devices.FirstOrDefault(d => d.Type == type)
            ?? throw Fail($"the fleet has no {type}");
    }

    /// <summary>Throws when a parameter was given that the scenario does not read (a typo would otherwise pass silently).</summary>
    public void EnsureAllUsed()
    {
        var unknown = _spec.Parameters.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw Fail($"unknown parameter(s): {string.Join(", ", unknown)}");
        }
    }

    public ArgumentException Fail(string message) => new($"Scenario '{Name}': {message}.");

    private string? Get(string key)
    {
        _used.Add(key);
        return _spec.Parameters.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;
    }
}
