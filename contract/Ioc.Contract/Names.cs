namespace Ioc.Contract;

/// <summary>
/// Character rules for every name in the contract. Names and tag values may not hold backslashes or
/// control characters: line protocol cannot escape a trailing backslash, so refusing them at the door
/// is what keeps a payload from bending the points we write.
/// </summary>
public static class Names
{
    public const int MaxSegmentLength = 64;
    public const int MaxKeyLength = 128;

    /// <summary><c>[a-z0-9-]{1,64}</c>: sites and device types.</summary>
    public static bool IsSlug(ReadOnlySpan<char> value)
    {
        if (value.Length is 0 or > MaxSegmentLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>[A-Za-z0-9_.-]{1,64}</c>: device ids.</summary>
    public static bool IsDeviceId(ReadOnlySpan<char> value)
    {
        if (value.Length is 0 or > MaxSegmentLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Metric, tag and measurement names: a letter or underscore, then <c>[A-Za-z0-9_.:/-]</c>, at most 128; never <c>time</c>.</summary>
    public static bool IsKey(ReadOnlySpan<char> value)
    {
        if (value.Length is 0 or > MaxKeyLength || !(char.IsAsciiLetter(value[0]) || value[0] == '_'))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or ':' or '/'))
            {
                return false;
            }
        }

        return !value.SequenceEqual("time");
    }

    /// <summary>Tag values: 1 to <paramref name="maxLength"/> characters, no control characters, no backslash.</summary>
    public static bool IsTagValue(ReadOnlySpan<char> value, int maxLength)
    {
        if (value.Length == 0 || value.Length > maxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (char.IsControl(c) || c == '\\')
            {
                return false;
            }
        }

        return true;
    }
}
