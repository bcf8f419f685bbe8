using Ioc.Contract.Model;

namespace Ioc.Contract;

/// <summary>Either a decoded message or the reason it was refused.</summary>
public readonly struct DecodeResult
{
    private DecodeResult(DecodedMessage? message, Rejection? rejection)
    {
        Message = message;
        Rejection = rejection;
    }

    public DecodedMessage? Message { get; }

    public Rejection? Rejection { get; }

    public bool IsAccepted => Message is not null;

    public static DecodeResult Accept(DecodedMessage message) => new(message, null);

    public static DecodeResult Reject(RejectReason reason, string detail) => new(null, new Rejection(reason, detail));

    public static DecodeResult Reject(Rejection rejection) => new(null, rejection);
}

/// <summary>Thrown inside the decoder to unwind to the single place that turns it into a <see cref="DecodeResult"/>.</summary>
internal sealed class RejectException(RejectReason reason, string detail) : Exception(detail)
{
    public RejectReason Reason { get; } = reason;
}
