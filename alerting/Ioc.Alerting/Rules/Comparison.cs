namespace Ioc.Alerting.Rules;

public enum ComparisonOperator
{
    GreaterThan,
    GreaterOrEqual,
    LessThan,
    LessOrEqual,
}

/// <summary>
/// A threshold with hysteresis: fires when <c>value op Trigger</c>; once firing, clears only when the value is back on
/// the other side of <see cref="Clear"/> (for <c>&gt;</c>: at or below it; for <c>&lt;</c>: at or above it).
/// </summary>
public sealed record Comparison(ComparisonOperator Operator, double Trigger, double Clear)
{
    public bool IsViolated(double value) => Operator switch
    {
        ComparisonOperator.GreaterThan => value > Trigger,
        ComparisonOperator.GreaterOrEqual => value >= Trigger,
        ComparisonOperator.LessThan => value < Trigger,
        ComparisonOperator.LessOrEqual => value <= Trigger,
        _ => false,
    };

    public bool IsCleared(double value) => Operator switch
    {
        ComparisonOperator.GreaterThan or ComparisonOperator.GreaterOrEqual => Clear == Trigger ? !IsViolated(value) : value <= Clear,
        _ => Clear == Trigger ? !IsViolated(value) : value >= Clear,
    };

    public static bool TryParseOperator(string? text, out ComparisonOperator op)
    {
        switch (text)
        {
            case ">": op = ComparisonOperator.GreaterThan; return true;
            case ">=": op = ComparisonOperator.GreaterOrEqual; return true;
            case "<": op = ComparisonOperator.LessThan; return true;
            case "<=": op = ComparisonOperator.LessOrEqual; return true;
            default: op = ComparisonOperator.GreaterThan; return false;
        }
    }

    public string Symbol => Operator switch
    {
        ComparisonOperator.GreaterThan => ">",
        ComparisonOperator.GreaterOrEqual => ">=",
        ComparisonOperator.LessThan => "<",
        _ => "<=",
    };
}
