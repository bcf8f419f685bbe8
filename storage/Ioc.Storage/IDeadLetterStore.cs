namespace Ioc.Storage;

/// <summary>A refused message, kept for inspection: where it came from, why, and the start of its payload.</summary>
public sealed record DeadLetter(DateTimeOffset ReceivedAt, string Topic, string Reason, string Detail, byte[] PayloadHead, int PayloadSize)
{
    /// <summary>How much of a payload is kept.</summary>
    public const int MaxPayloadHead = 1024;

    public long Id { get; init; }

    public static DeadLetter Create(DateTimeOffset receivedAt, string topic, string reason, string detail, ReadOnlySpan<byte> payload) =>
        new(receivedAt, topic.Length > 512 ? topic[..512] : topic, reason, detail, payload[..Math.Min(payload.Length, MaxPayloadHead)].ToArray(), payload.Length);
}

public interface IDeadLetterStore
{
    Task InitializeAsync(CancellationToken cancellationToken);

    Task AddAsync(IReadOnlyList<DeadLetter> letters, CancellationToken cancellationToken);

    /// <summary>Newest first, optionally of one reason.</summary>
    Task<IReadOnlyList<DeadLetter>> ListAsync(int limit, string? reason, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<string, long>> CountByReasonAsync(CancellationToken cancellationToken);
}
