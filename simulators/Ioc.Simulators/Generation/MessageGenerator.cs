using Ioc.Contract;
using Ioc.Simulators.Determinism;
using Ioc.Simulators.Devices;
using Ioc.Simulators.Fleet;
using Ioc.Simulators.Scenarios;

namespace Ioc.Simulators.Generation;

/// <summary>
/// The pure heart of the simulator: fleet + scenarios + simulated time → the messages the devices send, in time
/// order, one simulated second per <see cref="Step()"/>. No broker, no wall clock: the same seed, fleet, scenarios and
/// start give byte-identical output, which is what the tests check.
/// </summary>
/// <remarks>
/// Each device reports on a fixed grid of absolute seconds (its interval and a seeded phase), so where a device's
/// messages fall does not depend on when a run started. At the first step every reachable device publishes its
/// retained <c>online</c> status; heartbeats re-publish it every <see cref="SimulationSettings.HeartbeatInterval"/>.
/// </remarks>
public sealed class MessageGenerator
{
    private readonly FleetDefinition _fleet;
    private readonly IReadOnlyList<DeviceModel> _models;
    private readonly ScenarioTimeline _timeline;
    private readonly Dictionary<string, int> _index;
    private readonly ScheduleGroup[] _telemetry;
    private readonly ScheduleGroup _heartbeat;
    private readonly int[] _phaseMs;
    private readonly string[] _telemetryTopics;
    private readonly string[] _statusTopics;
    private readonly string[] _eventTopics;
    private readonly PayloadWriter _writer = new();
    private readonly DeviceConditions _conditions = new();
    private readonly List<ModelEvent> _events = [];
    private readonly List<Scenario> _active = [];
    private bool _started;

    public MessageGenerator(FleetDefinition fleet, SimulationSettings settings, ScenarioTimeline? scenarios = null)
    {
        var problems = settings.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(settings));
        }

        _fleet = fleet;
        Settings = settings;
        _timeline = scenarios ?? new ScenarioTimeline();
        _models = DeviceModelFactory.Create(fleet, settings.Seed);
        _index = new Dictionary<string, int>(fleet.Devices.Count, StringComparer.Ordinal);
        var count = fleet.Devices.Count;
        _phaseMs = new int[count];
        _telemetryTopics = new string[count];
        _statusTopics = new string[count];
        _eventTopics = new string[count];
        var intervals = new int[count];
        for (var i = 0; i < count; i++)
        {
            var device = fleet.Devices[i];
            _index[device.Id] = i;
            var model = _models[i];
            intervals[i] = Math.Max(1, (int)Math.Round(model.DefaultInterval.TotalSeconds * settings.IntervalScale));
            _phaseMs[i] = (int)(StableHash.Unit(StableHash.Combine(model.Key, 0x9A5EUL)) * intervals[i] * 1000);
            _telemetryTopics[i] = device.Address.Topic(MessageChannel.Telemetry);
            _statusTopics[i] = device.Address.Topic(MessageChannel.Status);
            _eventTopics[i] = device.Address.Topic(MessageChannel.Event);
        }

        _telemetry = intervals.Select((interval, i) => (interval, i)).GroupBy(x => x.interval)
            .Select(g => new ScheduleGroup(g.Key, g.Select(x => x.i), _phaseMs)).ToArray();
        var heartbeatSeconds = (int)Math.Max(1, settings.HeartbeatInterval.TotalSeconds);
        var heartbeatPhase = new int[count];
        for (var i = 0; i < count; i++)
        {
            heartbeatPhase[i] = (int)(StableHash.Unit(StableHash.Combine(_models[i].Key, 0x4EA7UL)) * heartbeatSeconds * 1000);
        }

        _heartbeat = new ScheduleGroup(heartbeatSeconds, Enumerable.Range(0, count), heartbeatPhase);
        Now = DateTimeOffset.FromUnixTimeSeconds(settings.Start.ToUnixTimeSeconds());
    }

    public SimulationSettings Settings { get; }

    public FleetDefinition Fleet => _fleet;

    public ScenarioTimeline Scenarios => _timeline;

    /// <summary>Start of the next step (simulated time).</summary>
    public DateTimeOffset Now { get; private set; }

    public int IndexOf(string deviceId) => _index.TryGetValue(deviceId, out var i) ? i : -1;

    /// <summary>Messages a device would send per simulated second on average (telemetry and heartbeats).</summary>
    public double NominalRate => _telemetry.Sum(g => g.Devices / (double)g.Interval) + (_fleet.Devices.Count / (double)_heartbeat.Interval);

    /// <summary>The messages of [Now, Now + 1 s), sorted by time; advances <see cref="Now"/>.</summary>
    public List<SimMessage> Step()
    {
        var output = new List<SimMessage>();
        Step(output);
        return output;
    }

    public void Step(List<SimMessage> output)
    {
        var stepStart = Now;
        var stepEnd = Now.AddSeconds(1);
        var second = stepStart.ToUnixTimeSeconds();
        var first = output.Count;
        _active.Clear();
        foreach (var scenario in _timeline.Scenarios)
        {
            if (scenario.Start < stepEnd && scenario.End > stepStart)
            {
                _active.Add(scenario);
            }
        }

        if (!_started)
        {
            _started = true;
            for (var i = 0; i < _models.Count; i++)
            {
                var at = stepStart.AddMilliseconds(_phaseMs[i] % 1000);
                if (!Conditions(i, at).Unreachable)
                {
                    output.Add(Status(i, at));
                }
            }
        }
        else
        {
            foreach (var (device, ms) in _heartbeat.Due(second))
            {
                var at = stepStart.AddMilliseconds(ms);
                if (!Conditions(device, at).Unreachable)
                {
                    output.Add(Status(device, at));
                }
            }
        }

        foreach (var group in _telemetry)
        {
            foreach (var (device, ms) in group.Due(second))
            {
                SampleDevice(device, stepStart.AddMilliseconds(ms), output);
            }
        }

        var fromScenarios = output.Count;
        var scenarioOutput = new ScenarioOutput(IndexOf, _writer, output);
        foreach (var scenario in _timeline.Scenarios)
        {
            if (scenario.Start < stepEnd && scenario.End + scenario.Tail > stepStart)
            {
                scenarioOutput.CurrentScenario = scenario.Name;
                scenario.Emit(stepStart, stepEnd, scenarioOutput);
            }
        }

        // A device cut off by another scenario cannot send its events or bad payloads either (wills and recovery statuses stay).
        for (var i = output.Count - 1; i >= fromScenarios; i--)
        {
            var message = output[i];
            if (message.Kind is SimMessageKind.Event or SimMessageKind.Malformed && Conditions(message.DeviceIndex, message.At).Unreachable)
            {
                output.RemoveAt(i);
            }
        }

        SortByTime(output, first);
        Now = stepEnd;
    }

    /// <summary>Every message from <see cref="Now"/> until <paramref name="end"/> (exclusive), lazily.</summary>
    public IEnumerable<SimMessage> Until(DateTimeOffset end)
    {
        var buffer = new List<SimMessage>();
        while (Now < end)
        {
            buffer.Clear();
            Step(buffer);
            foreach (var message in buffer)
            {
                yield return message;
            }
        }
    }

    private void SampleDevice(int device, DateTimeOffset at, List<SimMessage> output)
    {
        var conditions = Conditions(device, at);
        if (conditions.Unreachable)
        {
            return;
        }

        _events.Clear();
        var payload = _models[device].Sample(at, conditions, _writer, _events);
        output.Add(new SimMessage(at, _telemetryTopics[device], payload, false, SimMessageKind.Telemetry, device));
        foreach (var e in _events)
        {
            var eventPayload = _writer.Event(at, e.Type, e.Severity.ToString().ToLowerInvariant(), e.Message, e.Attributes);
            output.Add(new SimMessage(at, _eventTopics[device], eventPayload, false, SimMessageKind.Event, device));
        }
    }

    private DeviceConditions Conditions(int device, DateTimeOffset at)
    {
        _conditions.Reset();
        foreach (var scenario in _active)
        {
            if (scenario.IsActive(at))
            {
                scenario.Apply(_fleet.Devices[device], at, _conditions);
            }
        }

        return _conditions;
    }

    private SimMessage Status(int device, DateTimeOffset at) =>
        new(at, _statusTopics[device], PayloadWriter.Status(at, online: true), true, SimMessageKind.Status, device) { Online = true };

    private static void SortByTime(List<SimMessage> output, int first)
    {
        // Stable: messages at the same instant keep their order (telemetry before the event it raised).
        var slice = output.GetRange(first, output.Count - first);
        var sorted = slice.Select((m, i) => (m, i)).OrderBy(x => x.m.At).ThenBy(x => x.i).Select(x => x.m).ToList();
        for (var i = 0; i < sorted.Count; i++)
        {
            output[first + i] = sorted[i];
        }
    }

    /// <summary>Devices sharing an interval, bucketed by the second of the interval they report in.</summary>
    private sealed class ScheduleGroup
    {
        private readonly (int Device, int Ms)[][] _slots;

        public ScheduleGroup(int interval, IEnumerable<int> devices, int[] phaseMs)
        {
            Interval = interval;
            var slots = Enumerable.Range(0, interval).Select(_ => new List<(int, int)>()).ToArray();
            foreach (var device in devices)
            {
                slots[phaseMs[device] / 1000 % interval].Add((device, phaseMs[device] % 1000));
                Devices++;
            }

            _slots = slots.Select(s => s.OrderBy(x => x.Item2).ThenBy(x => x.Item1).ToArray()).ToArray();
        }

        public int Interval { get; }

        public int Devices { get; }

        public (int Device, int Ms)[] Due(long unixSecond) => _slots[(int)(unixSecond % Interval)];
    }
}
