using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using Ioc.Collector.Pipeline;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ioc.Collector.Syslog;

/// <summary>
/// The syslog listeners: UDP (RFC 5426, one message per datagram), TCP (RFC 6587, octet-counting and LF framing) and
/// TLS (RFC 5425, optionally with client certificates). Every message goes through <see cref="SyslogIngress"/> onto the
/// collector's ingest queue. A stream sender waits while the queue is full (TCP flow control holds it back: nothing is
/// lost); a datagram cannot wait, so a UDP message that finds the queue full is dropped and counted against its source
/// (/healthz <c>syslog.sources</c>, the health report's <c>syslog_dropped</c>).
/// </summary>
public sealed partial class SyslogListenerService(
    SyslogIngress ingress,
    IngestQueue ingest,
    IOptions<SyslogOptions> options,
    ILogger<SyslogListenerService> logger) : BackgroundService
{
    public const string UdpTransport = "udp";
    public const string TcpTransport = "tcp";
    public const string TlsTransport = "tls";
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);
    private readonly SyslogOptions _options = options.Value;
    private readonly List<Task> _connections = [];
    private Socket? _udp;
    private TcpListener? _tcp;
    private TcpListener? _tls;
    private X509Certificate2? _certificate;
    private int _open;

    /// <summary>The bound endpoints (the port chosen by the system when 0 was asked for).</summary>
    public IPEndPoint? UdpEndpoint => _udp?.LocalEndPoint as IPEndPoint;

    public IPEndPoint? TcpEndpoint => _tcp?.LocalEndpoint as IPEndPoint;

    public IPEndPoint? TlsEndpoint => _tls?.LocalEndpoint as IPEndPoint;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Bind before the host reports started: a port that is taken stops the service with the address in the message.
        if (!string.IsNullOrWhiteSpace(_options.Udp))
        {
            var endpoint = IPEndPoint.Parse(_options.Udp);
            _udp = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            if (_options.UdpReceiveBufferBytes > 0)
            {
                _udp.ReceiveBufferSize = _options.UdpReceiveBufferBytes;
            }

            _udp.Bind(endpoint);
            Announce(UdpTransport, UdpEndpoint!);
        }

        if (!string.IsNullOrWhiteSpace(_options.Tcp))
        {
            _tcp = new TcpListener(IPEndPoint.Parse(_options.Tcp));
            _tcp.Start(512);
            Announce(TcpTransport, TcpEndpoint!);
        }

        if (!string.IsNullOrWhiteSpace(_options.Tls))
        {
            _certificate = X509Certificate2.CreateFromPemFile(_options.TlsCertificate!, _options.TlsKey);
            _tls = new TcpListener(IPEndPoint.Parse(_options.Tls));
            _tls.Start(512);
            Announce(TlsTransport, TlsEndpoint!);
        }

        ingress.Metrics.SenderCount = ingress.Senders.Count;
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loops = new List<Task>();
        if (_udp is not null)
        {
            loops.Add(ReceiveUdpAsync(_udp, stoppingToken));
        }

        if (_tcp is not null)
        {
            loops.Add(AcceptAsync(_tcp, TcpTransport, stoppingToken));
        }

        if (_tls is not null)
        {
            loops.Add(AcceptAsync(_tls, TlsTransport, stoppingToken));
        }

        await Task.WhenAll(loops);
        Task[] open;
        lock (_connections)
        {
            open = [.. _connections];
        }

        // Each connection ends at its next read; what it had framed is on the queue before the collector drains.
        await Task.WhenAll(open);
        Log.Stopped(logger);
    }

    public override void Dispose()
    {
        _udp?.Dispose();
        _tcp?.Dispose();
        _tls?.Dispose();
        _certificate?.Dispose();
        base.Dispose();
    }

    private void Announce(string transport, IPEndPoint endpoint)
    {
        ingress.Metrics.Listeners.Add($"{transport} {endpoint}");
        Log.Listening(logger, transport, endpoint.ToString(), ingress.Senders.Count);
    }

    private async Task ReceiveUdpAsync(Socket socket, CancellationToken stoppingToken)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(65536);
        EndPoint any = new IPEndPoint(socket.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!stoppingToken.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (SocketException ex)
            {
                // ICMP port-unreachable echoes and the like: one datagram's trouble, not the listener's.
                Log.UdpError(logger, ex.SocketErrorCode.ToString());
                continue;
            }

            var remote = (IPEndPoint)received.RemoteEndPoint;
            var message = ingress.Prepare(UdpTransport, remote, null, buffer.AsSpan(0, received.ReceivedBytes), out var source);
            if (message is null)
            {
                continue;
            }

            if (ingest.Writer.TryWrite(message))
            {
                ingress.Metrics.Enqueued1(source);
            }
            else
            {
                ingress.Metrics.Dropped1(source);
            }
        }
    }

    private async Task AcceptAsync(TcpListener listener, string transport, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (SocketException ex)
            {
                Log.AcceptFailed(logger, transport, ex.SocketErrorCode.ToString());
                continue;
            }

            if (Interlocked.Increment(ref _open) > _options.MaxConnections)
            {
                Interlocked.Decrement(ref _open);
                ingress.Metrics.ConnectionRefused();
                Log.TooManyConnections(logger, transport, socket.RemoteEndPoint?.ToString() ?? "?", _options.MaxConnections);
                socket.Dispose();
                continue;
            }

            var task = ServeAsync(socket, transport, stoppingToken);
            lock (_connections)
            {
                _connections.RemoveAll(t => t.IsCompleted);
                _connections.Add(task);
            }
        }
    }

    private async Task ServeAsync(Socket socket, string transport, CancellationToken stoppingToken)
    {
        await Task.Yield();
        var remote = (IPEndPoint)socket.RemoteEndPoint!;
        ingress.Metrics.ConnectionOpened();
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            string? certificateKey = null;
            if (transport == TlsTransport)
            {
                var tls = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = tls;
                using var handshake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                handshake.CancelAfter(HandshakeTimeout);
                await tls.AuthenticateAsServerAsync(
                    new SslServerAuthenticationOptions
                    {
                        ServerCertificate = _certificate,
                        // Asked for, so a device can present one; whether one is required is the option's.
                        ClientCertificateRequired = true,
                        // A client certificate is trusted by its pinned fingerprint in Ioc:Syslog:Senders, not by a CA chain.
                        RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null || !_options.RequireClientCertificate,
                    },
                    handshake.Token);
                if (tls.RemoteCertificate is { } certificate)
                {
                    certificateKey = SyslogOptions.CertificateKey(certificate);
                }
            }

            await ReadFramesAsync(stream, transport, remote, certificateKey, stoppingToken);
        }
        catch (Exception ex) when (ex is IOException or SocketException or AuthenticationException or OperationCanceledException or ObjectDisposedException)
        {
            if (!stoppingToken.IsCancellationRequested)
            {
                Log.ConnectionEnded(logger, transport, remote.ToString(), ex.Message);
            }
        }
        finally
        {
            await stream.DisposeAsync();
            ingress.Metrics.ConnectionClosed();
            Interlocked.Decrement(ref _open);
        }
    }

    private async Task ReadFramesAsync(Stream stream, string transport, IPEndPoint remote, string? certificateKey, CancellationToken stoppingToken)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024));
        var framer = new SyslogFramer(_options.MaxMessageBytes);
        byte[]? scratch = null;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(stoppingToken);
                var buffer = result.Buffer;
                while (true)
                {
                    var status = framer.TryRead(ref buffer, result.IsCompleted, out var frame, out var error);
                    if (status == FrameStatus.NeedMore)
                    {
                        break;
                    }

                    if (status == FrameStatus.Error)
                    {
                        ingress.RefuseFrame(transport, remote, certificateKey, error);
                        continue;
                    }

                    ReadOnlySpan<byte> span;
                    if (frame.IsSingleSegment)
                    {
                        span = frame.FirstSpan;
                    }
                    else
                    {
                        if (scratch is null || scratch.Length < frame.Length)
                        {
                            scratch = new byte[Math.Max((int)frame.Length, 4096)];
                        }

                        frame.CopyTo(scratch);
                        span = scratch.AsSpan(0, (int)frame.Length);
                    }

                    var message = ingress.Prepare(transport, remote, certificateKey, span, out var source);
                    if (message is null)
                    {
                        continue;
                    }

                    if (!ingest.Writer.TryWrite(message))
                    {
                        // Full: wait, which stops reading this connection; the sender's TCP window closes and it waits too.
                        try
                        {
                            await ingest.Writer.WriteAsync(message, CancellationToken.None);
                        }
                        catch (ChannelClosedException)
                        {
                            ingress.Metrics.Dropped1(source);
                            return;
                        }
                    }

                    ingress.Metrics.Enqueued1(source);
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    if (!buffer.IsEmpty)
                    {
                        ingress.RefuseFrame(transport, remote, certificateKey, $"the connection closed inside an octet-counted frame ({buffer.Length} bytes of it received)");
                    }

                    return;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Syslog receiver listening on {Transport} {Endpoint}; {Senders} sender(s) mapped to devices")]
        public static partial void Listening(ILogger logger, string transport, string endpoint, int senders);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Syslog UDP receive error {Error}")]
        public static partial void UdpError(ILogger logger, string error);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Syslog {Transport} accept failed: {Error}")]
        public static partial void AcceptFailed(ILogger logger, string transport, string error);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Syslog {Transport} connection from {Remote} refused: already {Max} open (Ioc:Syslog:MaxConnections)")]
        public static partial void TooManyConnections(ILogger logger, string transport, string remote, int max);

        [LoggerMessage(Level = LogLevel.Debug, Message = "Syslog {Transport} connection from {Remote} ended: {Reason}")]
        public static partial void ConnectionEnded(ILogger logger, string transport, string remote, string reason);

        [LoggerMessage(Level = LogLevel.Information, Message = "Syslog receiver stopped")]
        public static partial void Stopped(ILogger logger);
    }
}
