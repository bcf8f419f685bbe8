using System.Collections.Concurrent;
using System.Text;
using Ioc.Mqtt;
using MQTTnet;
using MQTTnet.Protocol;

namespace Ioc.IntegrationTests.Infrastructure;

/// <summary>
/// Publishes at QoS 1 the way a well-behaved device does across a broker outage: through <see cref="BrokerClient"/>
/// (reconnects by itself), each message sent again until the broker answers it with a PUBACK. Records which sequence
/// numbers were acknowledged, and which of those the broker answered "no matching subscribers" (accepted, then dropped).
/// </summary>
public sealed class DevicePublisher : IAsyncDisposable
{
    private readonly BrokerClient _client;
    private readonly ConcurrentDictionary<int, DateTime> _acknowledged = new();
    private readonly ConcurrentDictionary<int, byte> _unmatched = new();
    private int _retries;

    private DevicePublisher(BrokerClient client) => _client = client;

    /// <summary>Sequence numbers whose PUBACK carried a success code (below 0x80), including "no matching subscribers".</summary>
    public IReadOnlyCollection<int> Acknowledged => (IReadOnlyCollection<int>)_acknowledged.Keys;

    /// <summary>How many messages the broker acknowledged after <paramref name="since"/> (UTC).</summary>
    public int AcknowledgedSince(DateTime since) => _acknowledged.Values.Count(at => at > since);

    /// <summary>Acknowledged with 0x10 "no matching subscribers": the broker accepted the message and dropped it.</summary>
    public int Unmatched => _unmatched.Count;

    /// <summary>Publishes sent again after a failure (connection lost before the PUBACK).</summary>
    public int Retries => Volatile.Read(ref _retries);

    public static async Task<DevicePublisher> ConnectAsync(int port)
    {
        var options = new MqttConnectionOptions
        {
            Host = "127.0.0.1",
            Port = port,
            ConnectTimeout = TimeSpan.FromSeconds(30),
            ReconnectMinDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(500),
        };
        var client = new BrokerClient(options, new BrokerClientSettings { ClientId = "device-" + Guid.NewGuid().ToString("N")[..12] });
        await client.ConnectAsync(CancellationToken.None);
        return new DevicePublisher(client);
    }

    /// <summary>Publishes messages <paramref name="from"/>…<paramref name="from"/>+<paramref name="count"/>-1, <paramref name="window"/> awaiting PUBACK at a time, each until acknowledged.</summary>
    public async Task PublishManyAsync(int from, int count, Func<int, (string Topic, string Payload)> make, int window = 200, CancellationToken cancellationToken = default)
    {
        using var slots = new SemaphoreSlim(window);
        var pending = new List<Task>(count);
        for (var i = from; i < from + count; i++)
        {
            await slots.WaitAsync(cancellationToken);
            var seq = i;
            pending.Add(Task.Run(
                async () =>
                {
                    try
                    {
                        await PublishUntilAcknowledgedAsync(seq, make(seq), cancellationToken);
                    }
                    finally
                    {
                        slots.Release();
                    }
                },
                cancellationToken));
        }

        await Task.WhenAll(pending);
    }

    public async ValueTask DisposeAsync() => await _client.DisposeAsync();

    private async Task PublishUntilAcknowledgedAsync(int seq, (string Topic, string Payload) message, CancellationToken cancellationToken)
    {
        var payload = Encoding.UTF8.GetBytes(message.Payload);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                var result = await _client.PublishAsync(message.Topic, payload, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken: cancellationToken);
                if ((int)result.ReasonCode < 0x80)
                {
                    _acknowledged.TryAdd(seq, DateTime.UtcNow);
                    if (result.ReasonCode == MqttClientPublishReasonCode.NoMatchingSubscribers)
                    {
                        _unmatched.TryAdd(seq, 0);
                    }

                    return;
                }

                throw new InvalidOperationException($"the broker refused message {seq}: {result.ReasonCode}");
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                if (ex is InvalidOperationException { Message: var text } && text.StartsWith("the broker refused", StringComparison.Ordinal))
                {
                    throw;
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"message {seq} not acknowledged within 60 s: {ex.Message}", ex);
                }

                Interlocked.Increment(ref _retries);
                await Task.Delay(20, cancellationToken);
            }
        }
    }
}
