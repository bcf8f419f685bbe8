using Ioc.Contract.Alerts;

namespace Ioc.Contract.Tests.Alerts;

public sealed class SilenceValidationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 8, 0, 0, TimeSpan.Zero);

    private static readonly SilenceCatalog Catalog = new()
    {
        Rules = new HashSet<string> { "device-offline" },
        IsSite = s => s is "dc-tinh" or "thanh-ha",
        Districts = new HashSet<string> { "thanh-ha" },
        DeviceTypes = new HashSet<string> { "ups" },
        Devices = new HashSet<string> { "DC-UPS-01" },
    };

    private static SilenceRequest Valid => new() { Site = "dc-tinh", StartsAt = Now, EndsAt = Now.AddHours(2), Reason = "thay UPS" };

    private static IReadOnlyList<SilenceProblemCode> Codes(SilenceRequest request) =>
        [.. SilenceValidation.Validate(request, Now, SilenceLimits.Default, Catalog).Select(p => p.Code)];

    [Fact]
    public void Validate_ValidRequest_HasNoProblem() => Assert.Empty(Codes(Valid));

    [Fact]
    public void Validate_EveryMatcherKnown_HasNoProblem() =>
        Assert.Empty(Codes(Valid with { RuleId = "device-offline", District = "thanh-ha", DeviceType = "ups", DeviceId = "DC-UPS-01" }));

    public static TheoryData<string, SilenceRequest, SilenceProblemCode> Bad => new()
    {
        { "no matcher", Valid with { Site = null }, SilenceProblemCode.NoMatcher },
        { "blank matchers", Valid with { Site = "  ", RuleId = "" }, SilenceProblemCode.NoMatcher },
        { "end before start", Valid with { EndsAt = Now.AddHours(-1) }, SilenceProblemCode.EndNotAfterStart },
        { "zero length", Valid with { EndsAt = Now }, SilenceProblemCode.EndNotAfterStart },
        { "end in the past", Valid with { StartsAt = Now.AddHours(-3), EndsAt = Now.AddHours(-1) }, SilenceProblemCode.EndInPast },
        { "31 days", Valid with { EndsAt = Now.AddDays(31) }, SilenceProblemCode.TooLong },
        { "unknown rule", Valid with { RuleId = "device-ofline" }, SilenceProblemCode.UnknownRule },
        { "unknown site", Valid with { Site = "dc-tihn" }, SilenceProblemCode.UnknownSite },
        { "site not a slug", Valid with { Site = "Thanh Hà" }, SilenceProblemCode.UnknownSite },
        { "unknown district", Valid with { District = "tu-ky" }, SilenceProblemCode.UnknownDistrict },
        { "unknown type", Valid with { DeviceType = "toaster" }, SilenceProblemCode.UnknownDeviceType },
        { "unknown device", Valid with { DeviceId = "DC-UPS-99" }, SilenceProblemCode.UnknownDevice },
        { "no reason", Valid with { Reason = "   " }, SilenceProblemCode.ReasonMissing },
        { "weekly without days", Valid with { Recurrence = new SilenceRecurrence { Frequency = SilenceFrequency.Weekly, LocalStart = new TimeOnly(22, 0), Duration = TimeSpan.FromHours(1), TimeZone = "Asia/Ho_Chi_Minh" } }, SilenceProblemCode.RecurrenceNoDays },
        { "window of 0", Valid with { Recurrence = new SilenceRecurrence { Frequency = SilenceFrequency.Daily, LocalStart = new TimeOnly(22, 0), Duration = TimeSpan.Zero, TimeZone = "Asia/Ho_Chi_Minh" } }, SilenceProblemCode.RecurrenceWindowInvalid },
        { "window over a day", Valid with { Recurrence = new SilenceRecurrence { Frequency = SilenceFrequency.Daily, LocalStart = new TimeOnly(22, 0), Duration = TimeSpan.FromHours(25), TimeZone = "Asia/Ho_Chi_Minh" } }, SilenceProblemCode.RecurrenceWindowInvalid },
        { "unknown zone", Valid with { Recurrence = new SilenceRecurrence { Frequency = SilenceFrequency.Daily, LocalStart = new TimeOnly(22, 0), Duration = TimeSpan.FromHours(1), TimeZone = "Mars/Olympus" } }, SilenceProblemCode.UnknownTimeZone },
        { "series over a year", Valid with { EndsAt = Now.AddDays(400), Recurrence = new SilenceRecurrence { Frequency = SilenceFrequency.Daily, LocalStart = new TimeOnly(22, 0), Duration = TimeSpan.FromHours(1), TimeZone = "Asia/Ho_Chi_Minh" } }, SilenceProblemCode.SeriesTooLong },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void Validate_BadRequest_NamesTheProblem(string what, SilenceRequest request, SilenceProblemCode expected)
    {
        Assert.True(Codes(request).Contains(expected), what);
    }

    [Fact]
    public void Validate_RecurringSeriesLongerThanOneOffMaximum_IsAllowed() =>
        Assert.Empty(Codes(Valid with { EndsAt = Now.AddDays(90), Recurrence = new SilenceRecurrence { Frequency = SilenceFrequency.Weekly, Days = SilenceDays.Sunday, LocalStart = new TimeOnly(1, 0), Duration = TimeSpan.FromHours(3), TimeZone = "Asia/Ho_Chi_Minh" } }));

    [Fact]
    public void Validate_ConfiguredMaximum_IsHonoured()
    {
        var limits = new SilenceLimits { MaxDuration = TimeSpan.FromDays(7) };

        var problems = SilenceValidation.Validate(Valid with { EndsAt = Now.AddDays(8) }, Now, limits, Catalog);

        Assert.Equal(SilenceProblemCode.TooLong, Assert.Single(problems).Code);
        Assert.Equal("a silence may last at most 7 days", problems[0].Describe(limits));
    }
}
