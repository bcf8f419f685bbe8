using System.Buffers;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Ioc.Mqtt;
using MQTTnet.Channel;

namespace Ioc.IntegrationTests.Mqtt;

/// <summary>The write-coalescing connection under MQTTnet, over a recording socket (the broker-level test is in <see cref="BrokerClientTests"/>).</summary>
public sealed class CoalescingChannelTests
{
    [Fact]
    public async Task Write_WhileASendIsUnderWay_LaterPacketsGoOutTogetherInOrder()
    {
        var socket = new RecordingChannel();
        var channel = new CoalescingChannel(socket);
        socket.Hold();

        // The first packet starts a send, which the socket holds; the next 999 are only copied meanwhile.
        for (var i = 0; i < 1000; i++)
        {
            await channel.WriteAsync(Packet(i), isEndOfPacket: true, CancellationToken.None);
        }

        socket.Release();
        await channel.WhenSentAsync();

        Assert.Equal(Enumerable.Range(0, 1000).SelectMany(i => Packet(i).ToArray()), socket.Bytes);
        Assert.InRange(socket.Writes, 1, 3);
        Assert.Equal(socket.Writes, channel.Flushes);
    }

    [Fact]
    public async Task Write_PacketInTwoParts_IsSentOnlyWhenComplete()
    {
        var socket = new RecordingChannel();
        var channel = new CoalescingChannel(socket);

        await channel.WriteAsync(new ReadOnlySequence<byte>([0x30, 0x03]), isEndOfPacket: false, CancellationToken.None);
        await channel.WhenSentAsync();
        Assert.Equal(0, socket.Writes);
        await channel.WriteAsync(new ReadOnlySequence<byte>([1, 2, 3]), isEndOfPacket: true, CancellationToken.None);
        await channel.WhenSentAsync();

        Assert.Equal(1, socket.Writes);
        Assert.Equal([0x30, 0x03, 1, 2, 3], socket.Bytes);
    }

    [Fact]
    public async Task Write_AfterTheSocketFailed_Fails()
    {
        var socket = new RecordingChannel { Failure = new IOException("connection reset") };
        var channel = new CoalescingChannel(socket);

        await channel.WriteAsync(Packet(1), isEndOfPacket: true, CancellationToken.None);
        await channel.WhenSentAsync();

        var error = await Assert.ThrowsAsync<IOException>(() => channel.WriteAsync(Packet(2), isEndOfPacket: true, CancellationToken.None));
        Assert.Equal("connection reset", error.Message);
    }

    [Fact]
    public async Task Disconnect_SendsWhatIsPendingFirst()
    {
        var socket = new RecordingChannel();
        var channel = new CoalescingChannel(socket);
        socket.Hold();
        await channel.WriteAsync(Packet(1), isEndOfPacket: true, CancellationToken.None);
        await channel.WriteAsync(Packet(2), isEndOfPacket: true, CancellationToken.None);

        var disconnect = channel.DisconnectAsync(CancellationToken.None);
        Assert.False(disconnect.IsCompleted);
        socket.Release();
        await disconnect;

        Assert.Equal([.. Packet(1).ToArray(), .. Packet(2).ToArray()], socket.Bytes);
        Assert.True(socket.Disconnected);
    }

    /// <summary>A PUBACK-sized packet: type, length, packet id.</summary>
    private static ReadOnlySequence<byte> Packet(int id) => new([0x40, 0x02, (byte)(id >> 8), (byte)id]);

    private sealed class RecordingChannel : IMqttChannel
    {
        private readonly List<byte> _bytes = [];
        private TaskCompletionSource _gate = Open();

        public Exception? Failure { get; init; }

        public int Writes { get; private set; }

        public bool Disconnected { get; private set; }

        public byte[] Bytes
        {
            get
            {
                lock (_bytes)
                {
                    return [.. _bytes];
                }
            }
        }

        public X509Certificate2 ClientCertificate => null!;

        public EndPoint RemoteEndPoint => new IPEndPoint(IPAddress.Loopback, 1883);

        public EndPoint LocalEndPoint => new IPEndPoint(IPAddress.Loopback, 50000);

        public bool IsSecureConnection => false;

        public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _gate.TrySetResult();

        public Task ConnectAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task DisconnectAsync(CancellationToken cancellationToken)
        {
            Disconnected = true;
            return Task.CompletedTask;
        }

        public Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(0);

        public async Task WriteAsync(ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken)
        {
            await _gate.Task;
            if (Failure is not null)
            {
                throw Failure;
            }

            lock (_bytes)
            {
                _bytes.AddRange(buffer.ToArray());
                Writes++;
            }
        }

        public void Dispose()
        {
        }

        private static TaskCompletionSource Open()
        {
            var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            open.SetResult();
            return open;
        }
    }
}
