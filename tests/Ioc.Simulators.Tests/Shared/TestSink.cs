using System.Collections.Concurrent;
using Ioc.Simulators.Generation;
using Ioc.Simulators.Publishing;

namespace Ioc.Simulators.Tests.Shared;

/// <summary>An in-memory sink that records what the runner sends and the fake clock's time at that moment.</summary>
internal sealed class TestSink(TimeProvider time) : IMessageSink
{
    private readonly ConcurrentQueue<(SimMessage Message, DateTimeOffset SentAt)> _sent = new();

    public IReadOnlyCollection<(SimMessage Message, DateTimeOffset SentAt)> Sent => _sent;

    public int Connections => 1;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task PublishAsync(SimMessage message, CancellationToken cancellationToken)
    {
        _sent.Enqueue((message, time.GetUtcNow()));
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
