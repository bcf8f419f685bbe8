using Ioc.Contract.Model;

namespace Ioc.Simulators.Devices;

/// <summary>An event a device model raises on a state change it observes (UPS to battery, compressor fault…).</summary>
public sealed record ModelEvent(string Type, EventSeverity Severity, string Message, IReadOnlyList<KeyValuePair<string, string>> Attributes);
