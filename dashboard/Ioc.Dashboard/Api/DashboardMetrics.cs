using System.Diagnostics.Metrics;
using Ioc.Contract.Model;
using Ioc.Dashboard.Live;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.Hosting;

namespace Ioc.Dashboard.Api;

/// <summary>
/// The dashboard's instruments (meter <c>Ioc.Dashboard</c>): open Blazor circuits (one per connected console tab) and the
/// devices the console sees, by state (online / offline / unknown), read from the live store when an exporter collects.
/// A hosted service only so that the host creates it at start (before any circuit); it runs nothing.
/// </summary>
public sealed class DashboardMetrics : IHostedService, IDisposable
{
    public const string MeterName = "Ioc.Dashboard";

    private readonly Meter _meter;
    private readonly UpDownCounter<long> _circuits;

    public DashboardMetrics(DeviceStateStore devices)
    {
        _meter = new Meter(MeterName);
        _circuits = _meter.CreateUpDownCounter<long>("ioc.dashboard.circuits", "{circuit}", "Open dashboard circuits (connected console tabs)");
        _meter.CreateObservableGauge("ioc.dashboard.devices", () => Observe(devices), "{device}", "Devices the console has heard from, by their last reported state");
    }

    public void CircuitOpened() => _circuits.Add(1);

    public void CircuitClosed() => _circuits.Add(-1);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _meter.Dispose();

    private static IEnumerable<Measurement<int>> Observe(DeviceStateStore devices)
    {
        int online = 0, offline = 0, unknown = 0;
        foreach (var device in devices.Snapshot())
        {
            switch (device.State)
            {
                case DeviceState.Online:
                    online++;
                    break;
                case DeviceState.Offline:
                    offline++;
                    break;
                default:
                    unknown++;
                    break;
            }
        }

        yield return new Measurement<int>(online, new KeyValuePair<string, object?>("state", "online"));
        yield return new Measurement<int>(offline, new KeyValuePair<string, object?>("state", "offline"));
        yield return new Measurement<int>(unknown, new KeyValuePair<string, object?>("state", "unknown"));
    }
}

/// <summary>Counts circuits as they open and close (one handler per circuit scope).</summary>
internal sealed class CircuitCounter(DashboardMetrics metrics) : CircuitHandler
{
    public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        metrics.CircuitOpened();
        return Task.CompletedTask;
    }

    public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        metrics.CircuitClosed();
        return Task.CompletedTask;
    }
}
