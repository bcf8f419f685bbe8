namespace Ioc.Simulators.Publishing;

/// <summary>
/// Bounds the publish rate: tokens refill at <see cref="RatePerSecond"/> up to a burst of <see cref="Burst"/>
/// (200 ms worth by default: a scheduling stall shorter than that is caught up, so the average holds). Uses the injected
/// <see cref="TimeProvider"/> for both the clock and the waits.
/// </summary>
public sealed class TokenBucket
{
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private double _tokens;
    private long _last;

    public TokenBucket(double ratePerSecond, TimeProvider time, double? burst = null)
    {
        if (ratePerSecond <= 0 || double.IsNaN(ratePerSecond) || double.IsInfinity(ratePerSecond))
        {
            throw new ArgumentOutOfRangeException(nameof(ratePerSecond), ratePerSecond, "The rate must be a positive number of messages per second.");
        }

        RatePerSecond = ratePerSecond;
        Burst = Math.Max(1, burst ?? ratePerSecond / 5);
        _time = time;
        _tokens = 1;
        _last = time.GetTimestamp();
    }

    public double RatePerSecond { get; }

    public double Burst { get; }

    /// <summary>Takes one token if available now.</summary>
    public bool TryTake() => TryTake(out _);

    /// <summary>Waits until a token is available, then takes it.</summary>
    public async ValueTask TakeAsync(CancellationToken cancellationToken)
    {
        while (!TryTake(out var wait))
        {
            await Task.Delay(wait, _time, cancellationToken);
        }
    }

    private bool TryTake(out TimeSpan wait)
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            var elapsed = _time.GetElapsedTime(_last, now).TotalSeconds;
            _last = now;
            _tokens = Math.Min(Burst, _tokens + (elapsed * RatePerSecond));
            if (_tokens >= 1)
            {
                _tokens -= 1;
                wait = TimeSpan.Zero;
                return true;
            }

            wait = TimeSpan.FromSeconds(Math.Max((1 - _tokens) / RatePerSecond, 0.001));
            return false;
        }
    }
}
