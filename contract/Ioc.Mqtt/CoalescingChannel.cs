using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Adapter;
using MQTTnet.Channel;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Diagnostics.PacketInspection;
using MQTTnet.Formatter;
using MQTTnet.Implementations;

namespace Ioc.Mqtt;

/// <summary>
/// A connection whose outgoing packets are gathered and sent in as few socket writes as they arrive, instead of one
/// write per packet. MQTTnet 5 writes every packet on its own (<c>MqttChannelAdapter.SendPacketAsync</c> takes its lock,
/// encodes, and awaits the socket write), so a consumer that acknowledges a stored batch of N messages makes N socket
/// writes of a 4-byte PUBACK each. Here a write only copies the packet into a buffer and returns; one flush at a time,
/// on the thread pool, sends everything gathered so far in one write, and by the time it runs the rest of the batch's
/// acknowledgements are usually there too. Order is kept (one buffer, appended under a lock). A write waits only when
/// <see cref="MaxPending"/> bytes are not yet sent (backpressure on a slow socket). A failed send fails every later
/// write, as the socket would; the packets it held were never acknowledged by the broker, which delivers them again.
/// </summary>
internal sealed class CoalescingChannel(IMqttChannel inner) : IMqttChannel
{
    /// <summary>Unsent bytes beyond which a write waits for the flush.</summary>
    internal const int MaxPending = 256 * 1024;

    private readonly Lock _lock = new();
    private ArrayBufferWriter<byte> _pending = new(4096);
    private ArrayBufferWriter<byte> _sending = new(4096);
    private Task _flush = Task.CompletedTask;
    private bool _flushing;
    private Exception? _failure;

    /// <summary>Socket writes made (for tests and figures).</summary>
    public long Flushes { get; private set; }

    public X509Certificate2 ClientCertificate => inner.ClientCertificate;

    public EndPoint RemoteEndPoint => inner.RemoteEndPoint;

    public EndPoint LocalEndPoint => inner.LocalEndPoint;

    public bool IsSecureConnection => inner.IsSecureConnection;

    public Task ConnectAsync(CancellationToken cancellationToken) => inner.ConnectAsync(cancellationToken);

    public async Task DisconnectAsync(CancellationToken cancellationToken)
    {
        // The DISCONNECT packet (and any acknowledgement before it) goes out before the socket closes.
        await WhenSentAsync();
        await inner.DisconnectAsync(cancellationToken);
    }

    public Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);

    public Task WriteAsync(ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_failure is { } failure)
            {
                return Task.FromException(failure);
            }

            foreach (var segment in buffer)
            {
                _pending.Write(segment.Span);
            }

            if (!isEndOfPacket)
            {
                // The rest of the packet follows at once (MQTTnet writes a publish's header, then its payload).
                return Task.CompletedTask;
            }

            if (!_flushing)
            {
                _flushing = true;
                _flush = Task.Run(FlushAsync, CancellationToken.None);
            }

            return _pending.WrittenCount < MaxPending ? Task.CompletedTask : _flush;
        }
    }

    /// <summary>Completes once everything written so far has been handed to the socket (or the socket failed).</summary>
    public async Task WhenSentAsync()
    {
        while (true)
        {
            Task flush;
            lock (_lock)
            {
                if (!_flushing)
                {
                    return;
                }

                flush = _flush;
            }

            await flush;
        }
    }

    public void Dispose() => inner.Dispose();

    private async Task FlushAsync()
    {
        while (true)
        {
            ArrayBufferWriter<byte> sending;
            lock (_lock)
            {
                if (_pending.WrittenCount == 0)
                {
                    _flushing = false;
                    return;
                }

                sending = _pending;
                _pending = _sending;
                _sending = sending;
            }

            try
            {
                await inner.WriteAsync(new ReadOnlySequence<byte>(sending.WrittenMemory), true, CancellationToken.None);
                Flushes++;
            }
            catch (Exception ex)
            {
                lock (_lock)
                {
                    _failure = ex;
                    _pending.ResetWrittenCount();
                    _flushing = false;
                }

                return;
            }
            finally
            {
                sending.ResetWrittenCount();
            }
        }
    }
}

/// <summary>MQTTnet's client adapter with the connection wrapped in a <see cref="CoalescingChannel"/>; otherwise as MQTTnet builds it.</summary>
internal sealed class CoalescingAdapterFactory : IMqttClientAdapterFactory
{
    public static CoalescingAdapterFactory Instance { get; } = new();

    public IMqttChannelAdapter CreateClientAdapter(MqttClientOptions options, MqttPacketInspector packetInspector, IMqttNetLogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ChannelOptions is MqttClientTcpOptions tcp)
        {
            // MQTTnet closes client sockets with linger (on, 0 s): a reset that throws away what the kernel has not sent yet
            // and what the broker has not read yet. With one write per packet little is left there at close; with coalesced
            // writes the last flush (a stored batch's acknowledgements, then DISCONNECT) is, and the broker delivered those
            // messages again (BrokerClientTests.CoalesceWrites_…). Close gracefully instead: the kernel sends the rest.
            tcp.LingerState = new LingerOption(false, 0);
        }

        IMqttChannel channel = options.ChannelOptions switch
        {
            MqttClientTcpOptions => new MqttTcpChannel(options),
            MqttClientWebSocketOptions webSocket => new MqttWebSocketChannel(webSocket),
            _ => throw new NotSupportedException($"MQTT channel options {options.ChannelOptions?.GetType().Name} are not supported"),
        };
        var formatter = new MqttPacketFormatterAdapter(options.ProtocolVersion, new MqttBufferWriter(options.WriterBufferSize, options.WriterBufferSizeMax));
        return new MqttChannelAdapter(new CoalescingChannel(channel), formatter, logger)
        {
            AllowPacketFragmentation = options.AllowPacketFragmentation,
            PacketInspector = packetInspector,
        };
    }
}
