using System.Net;
using System.Net.Sockets;
using System.Text;
using Ioc.Contract;
using Ioc.Simulators.Fleet;
using Ioc.Simulators.Generation;
using Ioc.Simulators.Publishing;
using Microsoft.Extensions.Logging;

namespace Ioc.Simulators.Syslog;

/// <summary>
/// Sends the events of the configured device types (firewalls) as FortiGate-style syslog, each device from its own
/// loopback address over its own connection (TCP with RFC 6587 octet-counting, or UDP); everything else goes to the
/// MQTT sink it wraps. A device whose syslog cannot be sent (no receiver, an address that cannot be bound) falls back to
/// MQTT for that message, with one warning: a demo never loses its events.
/// </summary>
public sealed partial class SyslogEventSink : IMessageSink
{
    private readonly IMessageSink _inner;
    private readonly ISimulatedSyslogTargetSource _target;
    private readonly ILogger _logger;
    private readonly HashSet<string> _types;
    private readonly Dictionary<string, Device> _devices;
    private readonly IReadOnlyDictionary<string, IPAddress> _addresses;
    private readonly Dictionary<string, Sender> _senders = new(StringComparer.Ordinal);
    private int _warned;
    private long _sent;

    public SyslogEventSink(IMessageSink inner, FleetDefinition fleet, SimulatedSyslogOptions options, ISimulatedSyslogTargetSource target, ILogger logger)
    {
        _inner = inner;
        _target = target;
        _logger = logger;
        _types = options.DeviceTypes.ToHashSet(StringComparer.Ordinal);
        _devices = fleet.Devices.ToDictionary(d => d.Id, StringComparer.Ordinal);
        _addresses = SimulatedSyslogAddresses.For(fleet, options.DeviceTypes);
    }

    /// <summary>Events sent as syslog so far.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    public int Connections => _inner.Connections;

    public Task StartAsync(CancellationToken cancellationToken) => _inner.StartAsync(cancellationToken);

    public async Task PublishAsync(SimMessage message, CancellationToken cancellationToken)
    {
        if (message.Kind != SimMessageKind.Event
            || !Topics.TryParse(message.Topic, out var address, out _, out _)
            || !_types.Contains(address.DeviceType)
            || !_devices.TryGetValue(address.DeviceId, out var device)
            || !_addresses.TryGetValue(device.Id, out var local)
            || _target.Target is not { } target)
        {
            await _inner.PublishAsync(message, cancellationToken);
            return;
        }

        var line = Encoding.UTF8.GetBytes(FortiGateSyslog.Format(device, message.At, message.Payload));
        Sender sender;
        lock (_senders)
        {
            if (!_senders.TryGetValue(device.Id, out sender!))
            {
                sender = new Sender(local, target);
                _senders[device.Id] = sender;
            }
        }

        try
        {
            await sender.SendAsync(line, cancellationToken);
            Interlocked.Increment(ref _sent);
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException)
        {
            if (Interlocked.Exchange(ref _warned, 1) == 0)
            {
                LogFallback(_logger, device.Id, local.ToString(), target.ToString(), ex.Message);
            }

            await _inner.PublishAsync(message, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Sender[] senders;
        lock (_senders)
        {
            senders = [.. _senders.Values];
            _senders.Clear();
        }

        foreach (var sender in senders)
        {
            sender.Dispose();
        }

        await _inner.DisposeAsync();
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Simulated {Device} could not send syslog from {Local} to {Target} ({Reason}); its events go over MQTT while this lasts")]
    private static partial void LogFallback(ILogger logger, string device, string local, string target, string reason);

    /// <summary>One device's connection: its own source address, frames written one at a time, reconnected once on failure.</summary>
    private sealed class Sender(IPAddress local, SimulatedSyslogTarget target) : IDisposable
    {
        private readonly SemaphoreSlim _lock = new(1, 1);
        private Socket? _socket;

        public async Task SendAsync(byte[] line, CancellationToken cancellationToken)
        {
            await _lock.WaitAsync(cancellationToken);
            try
            {
                for (var attempt = 0; ; attempt++)
                {
                    try
                    {
                        _socket ??= await ConnectAsync(cancellationToken);
                        if (target.Transport == "udp")
                        {
                            await _socket.SendToAsync(line, SocketFlags.None, target.Endpoint, cancellationToken);
                            return;
                        }

                        var header = Encoding.ASCII.GetBytes($"{line.Length} ");
                        await _socket.SendAsync(header.Concat(line).ToArray(), SocketFlags.None, cancellationToken);
                        return;
                    }
                    catch (SocketException) when (attempt == 0)
                    {
                        _socket?.Dispose();
                        _socket = null;
                    }
                }
            }
            finally
            {
                _lock.Release();
            }
        }

        public void Dispose()
        {
            _socket?.Dispose();
            _lock.Dispose();
        }

        private async Task<Socket> ConnectAsync(CancellationToken cancellationToken)
        {
            var udp = target.Transport == "udp";
            var socket = new Socket(AddressFamily.InterNetwork, udp ? SocketType.Dgram : SocketType.Stream, udp ? ProtocolType.Udp : ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(local, 0));
                if (!udp)
                {
                    socket.NoDelay = true;
                    await socket.ConnectAsync(target.Endpoint, cancellationToken);
                }

                return socket;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
    }
}
