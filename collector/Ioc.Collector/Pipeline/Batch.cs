using Ioc.Contract.Model;
using Ioc.Storage;

namespace Ioc.Collector.Pipeline;

/// <summary>
/// What one write carries: the points of the accepted messages (with the range each message owns, so a refused
/// batch can be retried message by message), the dead letters, and every acknowledgement owed once it is durable.
/// </summary>
public sealed class Batch
{
    public List<Point> Points { get; } = [];

    /// <summary>Per accepted message: its topic, first point index and point count.</summary>
    public List<(InboundMessage Message, int Start, int Count)> Accepted { get; } = [];

    public List<DeadLetter> DeadLetters { get; } = [];

    public List<InboundMessage> Messages { get; } = [];

    public DateTimeOffset OpenedAt { get; set; }

    public int MessageCount => Messages.Count;

    public void AddAccepted(InboundMessage message, IReadOnlyList<Point> points)
    {
        Accepted.Add((message, Points.Count, points.Count));
        Points.AddRange(points);
        Messages.Add(message);
    }

    public void AddRejected(InboundMessage message, DeadLetter letter)
    {
        DeadLetters.Add(letter);
        Messages.Add(message);
    }
}
