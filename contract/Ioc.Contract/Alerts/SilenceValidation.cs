namespace Ioc.Contract.Alerts;

/// <summary>What can be wrong with a silence request; the dashboard words each in the user's language.</summary>
public enum SilenceProblemCode
{
    NoMatcher,
    UnknownRule,
    UnknownSite,
    UnknownDistrict,
    UnknownDeviceType,
    UnknownDevice,
    EndNotAfterStart,
    EndInPast,
    TooLong,
    SeriesTooLong,
    ReasonMissing,
    ReasonTooLong,
    RecurrenceNoDays,
    RecurrenceWindowInvalid,
    UnknownTimeZone,
}

/// <summary>One thing wrong with a silence request; <see cref="Value"/> is the offending name when there is one.</summary>
public sealed record SilenceProblem(SilenceProblemCode Code, string? Value = null)
{
    /// <summary>The problem in English, for logs and for callers without a localized wording.</summary>
    public string Describe(SilenceLimits limits) => Code switch
    {
        SilenceProblemCode.NoMatcher => "a silence must name at least one of rule, site, district, device type or device",
        SilenceProblemCode.UnknownRule => $"there is no rule '{Value}'",
        SilenceProblemCode.UnknownSite => $"there is no site '{Value}'",
        SilenceProblemCode.UnknownDistrict => $"there is no district '{Value}'",
        SilenceProblemCode.UnknownDeviceType => $"there is no device type '{Value}'",
        SilenceProblemCode.UnknownDevice => $"there is no device '{Value}'",
        SilenceProblemCode.EndNotAfterStart => "a silence must end after it starts",
        SilenceProblemCode.EndInPast => "a silence must end in the future",
        SilenceProblemCode.TooLong => $"a silence may last at most {limits.MaxDuration.TotalDays:0.##} days",
        SilenceProblemCode.SeriesTooLong => $"a recurring maintenance window may repeat for at most {limits.MaxRecurringSpan.TotalDays:0.##} days",
        SilenceProblemCode.ReasonMissing => "a silence needs a reason",
        SilenceProblemCode.ReasonTooLong => $"a reason may have at most {SilenceValidation.MaxReasonLength} characters",
        SilenceProblemCode.RecurrenceNoDays => "a weekly window must open on at least one day",
        SilenceProblemCode.RecurrenceWindowInvalid => "a recurring window must last more than 0 and at most 24 hours",
        SilenceProblemCode.UnknownTimeZone => $"there is no time zone '{Value}'",
        _ => Code.ToString(),
    };
}

/// <summary>How long silences may be: <see cref="MaxDuration"/> for one window, <see cref="MaxRecurringSpan"/> for a recurring series.</summary>
public sealed record SilenceLimits
{
    public static SilenceLimits Default { get; } = new();

    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromDays(30);

    public TimeSpan MaxRecurringSpan { get; init; } = TimeSpan.FromDays(366);
}

/// <summary>
/// The names a silence may match. A null set is not checked (the caller cannot know it); a non-null set must contain the
/// request's value.
/// </summary>
public sealed record SilenceCatalog
{
    public IReadOnlySet<string>? Rules { get; init; }

    /// <summary>Is this site known? (Sites are open-ended: a predicate lets the caller apply prefix rules.)</summary>
    public Func<string, bool>? IsSite { get; init; }

    public IReadOnlySet<string>? Districts { get; init; }

    public IReadOnlySet<string>? DeviceTypes { get; init; }

    public IReadOnlySet<string>? Devices { get; init; }
}

/// <summary>
/// The one check of a silence request, run by the dashboard before sending it and by the engine before storing it:
/// nothing invalid is ever created.
/// </summary>
public static class SilenceValidation
{
    public const int MaxReasonLength = 1000;

    public static IReadOnlyList<SilenceProblem> Validate(SilenceRequest request, DateTimeOffset now, SilenceLimits limits, SilenceCatalog? catalog = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(limits);
        var problems = new List<SilenceProblem>();
        var rule = Blank(request.RuleId);
        var site = Blank(request.Site);
        var district = Blank(request.District);
        var type = Blank(request.DeviceType);
        var device = Blank(request.DeviceId);
        if (rule is null && site is null && district is null && type is null && device is null)
        {
            problems.Add(new SilenceProblem(SilenceProblemCode.NoMatcher));
        }

        if (rule is not null && catalog?.Rules is { } rules && !rules.Contains(rule))
        {
            problems.Add(new SilenceProblem(SilenceProblemCode.UnknownRule, rule));
        }

        if (site is not null && (!Names.IsSlug(site) || catalog?.IsSite is { } isSite && !isSite(site)))
        {
            problems.Add(new SilenceProblem(SilenceProblemCode.UnknownSite, site));
        }

        if (district is not null && (!Names.IsSlug(district) || catalog?.Districts is { } districts && !districts.Contains(district)))
        {
            problems.Add(new SilenceProblem(SilenceProblemCode.UnknownDistrict, district));
        }

        if (type is not null && (!Names.IsSlug(type) || catalog?.DeviceTypes is { } types && !types.Contains(type)))
        {
            problems.Add(new SilenceProblem(SilenceProblemCode.UnknownDeviceType, type));
        }

        if (device is not null && (!Names.IsDeviceId(device) || catalog?.Devices is { } devices && !devices.Contains(device)))
        {
            problems.Add(new SilenceProblem(SilenceProblemCode.UnknownDevice, device));
        }

        if (request.EndsAt <= request.StartsAt)
        {
            problems.Add(new SilenceProblem(SilenceProblemCode.EndNotAfterStart));
        }
        else if (request.EndsAt <= now)
        {
            problems.Add(new SilenceProblem(SilenceProblemCode.EndInPast));
        }
        else if (request.Recurrence is null && request.EndsAt - request.StartsAt > limits.MaxDuration)
        {
            problems.Add(new SilenceProblem(SilenceProblemCode.TooLong));
        }
        else if (request.Recurrence is not null && request.EndsAt - request.StartsAt > limits.MaxRecurringSpan)
        {
            problems.Add(new SilenceProblem(SilenceProblemCode.SeriesTooLong));
        }

        if (request.Recurrence is { } recurrence)
        {
            if (recurrence.Frequency == SilenceFrequency.Weekly && (recurrence.Days & SilenceDays.All) == SilenceDays.None)
            {
                problems.Add(new SilenceProblem(SilenceProblemCode.RecurrenceNoDays));
            }

            if (recurrence.Duration <= TimeSpan.Zero || recurrence.Duration > SilenceRecurrence.MaxWindow)
            {
                problems.Add(new SilenceProblem(SilenceProblemCode.RecurrenceWindowInvalid));
            }

            if (!SilenceRecurrence.TryZone(recurrence.TimeZone, out _))
            {
                problems.Add(new SilenceProblem(SilenceProblemCode.UnknownTimeZone, recurrence.TimeZone));
            }
        }

        var reason = request.Reason?.Trim() ?? string.Empty;
        if (reason.Length == 0)
        {
            problems.Add(new SilenceProblem(SilenceProblemCode.ReasonMissing));
        }
        else if (reason.Length > MaxReasonLength)
        {
            problems.Add(new SilenceProblem(SilenceProblemCode.ReasonTooLong));
        }

        return problems;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
