using System.Globalization;
using System.Security.Claims;
using Ioc.Alerting.Hosting;
using Ioc.Alerting.Rules;
using Ioc.Alerting.Service;
using Ioc.Contract;
using Ioc.Contract.Alerts;
using Ioc.Contract.Text;
using Ioc.Dashboard.Alerts;
using Ioc.Dashboard.Data;
using Ioc.Dashboard.Live;
using Ioc.Dashboard.Security;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using MudBlazor;

namespace Ioc.Dashboard.Components.Pages;

/// <summary>
/// Silences and maintenance windows: a form whose every field is checked here (dates in the user's culture and the
/// console's time zone, numbers, matchers picked from what exists) and again by the engine, with a live preview of what
/// it would match; and the list of active, scheduled and expired silences with their matchers in words.
/// </summary>
public partial class Silences
{
    internal const string KindSilence = "silence";
    internal const string KindMaintenance = "maintenance";
    internal const string RepeatNone = "none";
    internal const string RepeatDaily = "daily";
    internal const string RepeatWeekly = "weekly";
    private const int SuggestionCount = 8;
    private const string SelectStyle = "width: 100%; min-width: 0; padding: 8px; color: inherit; background: transparent; color-scheme: dark; border: 1px solid rgba(255,255,255,.3); border-radius: 4px;";

    private static readonly (string Key, double Hours)[] Shortcuts = [("1h", 1), ("4h", 4), ("8h", 8), ("1d", 24)];

    private static readonly DayOfWeek[] WeekDays =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    private IReadOnlyList<Silence> _silences = [];
    private IReadOnlyList<Alert> _openAlerts = [];
    private IReadOnlyList<FleetDevice> _fleet = [];
    private IReadOnlyList<AlertRule> _rules = [];
    private IReadOnlyList<string> _deviceTypes = [];
    private IReadOnlyList<string> _errors = [];
    private HashSet<string> _knownSites = new(StringComparer.Ordinal);
    private readonly HashSet<DayOfWeek> _days = [];
    private bool _canManage;
    private bool _includeEnded;
    private bool _busy;
    private bool _endFromDuration = true;
    private string _kind = KindSilence;
    private string _repeat = RepeatNone;
    private string? _startText;
    private string? _endText;
    private string? _durationText;
    private string? _windowStartText = "22:00";
    private string? _windowHoursText = "2";
    private string? _rule;
    private string? _site;
    private string? _district;
    private string? _deviceType;
    private string? _device;
    private string? _siteQuery;
    private string? _deviceQuery;
    private string? _reason;
    private SilencePreview? _preview;
    private ClaimsPrincipal _user = new();

    [Inject]
    public required AlertAccess Engine { get; set; }

    [Inject]
    public required Vocabulary Vocabulary { get; set; }

    [Inject]
    public required AlertAnnouncements Announcements { get; set; }

    [Inject]
    public required ActionGuard Guard { get; set; }

    [Inject]
    public required DashboardClock Clock { get; set; }

    [Inject]
    public required ISnackbar Snackbar { get; set; }

    [Inject]
    public required IStringLocalizer<Silences> L { get; set; }

    [Inject]
    public required ISiteDirectory Sites { get; set; }

    [Inject]
    public required IFleetDirectory Fleet { get; set; }

    [Inject]
    public required IServiceProvider Services { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState> AuthState { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "site")]
    public string? SiteQuery { get; set; }

    [SupplyParameterFromQuery(Name = "rule")]
    public string? RuleQuery { get; set; }

    /// <summary>The longest silences the engine accepts: its <c>Ioc:Alerting:Silences</c> section where this process has it.</summary>
    internal SilenceLimits Limits => Services.GetService<IOptions<AlertingOptions>>()?.Value.Silences.ToLimits() ?? SilenceLimits.Default;

    internal static string DatePattern(CultureInfo culture) =>
        culture.TwoLetterISOLanguageName == "vi" ? "dd/MM/yyyy HH:mm" : culture.DateTimeFormat.ShortDatePattern + " HH:mm";

    private string DateHint => DatePattern(CultureInfo.CurrentCulture);

    private string UntilEndedLabel => L["Shortcut_until", Limits.MaxDuration.TotalDays.ToString("0.##", CultureInfo.CurrentCulture)];

    private bool HasAnyMatcher => _rule is not null || _site is not null || _district is not null || _deviceType is not null || _device is not null;

    private SilencePreview Preview => _preview ??= ComputePreview();

    private IEnumerable<(Silence Silence, SilenceStatus Status)> Listed
    {
        get
        {
            var now = Clock.UtcNow;
            return _silences.Select(s => (s, s.StatusAt(now)))
                .OrderBy(x => x.Item2)
                .ThenBy(x => x.Item2 == SilenceStatus.Expired ? -x.s.EffectiveEnd.ToUnixTimeMilliseconds() : x.s.StartsAt.ToUnixTimeMilliseconds());
        }
    }

    protected override async Task OnInitializedAsync()
    {
        _user = (await AuthState).User;
        _canManage = Engine.Commands is not null && await Guard.CanAsync(_user, Policies.ManageSilences);
        _rules = Engine.Queries?.Rules ?? [];
        _site = Blank(SiteQuery);
        _rule = Blank(RuleQuery);
        var start = Clock.Now;
        _startText = Format(new DateTimeOffset(start.Year, start.Month, start.Day, start.Hour, start.Minute, 0, start.Offset));
        ApplyShortcut(2);
        Follow(Announcements.Subscribe(OnLiveChangeAsync));
        _fleet = await Fleet.ListAsync(CancellationToken.None);
        await LoadAsync();
    }

    protected override async Task OnLiveChangeAsync()
    {
        if (!IsDisposed)
        {
            await InvokeAsync(async () =>
            {
                await LoadAsync();
                StateHasChanged();
            });
        }
    }

    private async Task LoadAsync()
    {
        if (Engine.Queries is { } queries)
        {
            _silences = await queries.ListSilencesAsync(_includeEnded, CancellationToken.None);
            _openAlerts = await queries.ListOpenAsync(new AlertFilter { Limit = 5000 }, CancellationToken.None);
        }

        _deviceTypes = [.. DeviceTypes.All.Concat(_fleet.Select(d => d.Address.DeviceType)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        _knownSites = new HashSet<string>(
            _fleet.Select(d => d.Address.Site)
                .Concat(Sites.Sites.Select(s => s.Slug))
                .Concat(Province.Districts.Select(d => d.Slug))
                .Concat(_openAlerts.Select(a => a.Site).OfType<string>()),
            StringComparer.Ordinal);
        _preview = null;
    }

    // ---- form fields ----

    private void OnStartChanged(string? text)
    {
        _startText = text;
        // Keep the length the user chose: a new start moves the end when the end came from a duration.
        if (_endFromDuration)
        {
            SyncEndFromDuration();
        }
        else
        {
            SyncDurationFromEnd();
        }
    }

    private void OnEndChanged(string? text)
    {
        _endText = text;
        _endFromDuration = false;
        SyncDurationFromEnd();
    }

    private void OnDurationChanged(string? text)
    {
        _durationText = text;
        _endFromDuration = true;
        SyncEndFromDuration();
    }

    private void ApplyShortcut(double hours)
    {
        _durationText = hours.ToString("0.##", CultureInfo.CurrentCulture);
        _endFromDuration = true;
        SyncEndFromDuration();
    }

    private void UntilEnded() => ApplyShortcut(Limits.MaxDuration.TotalHours);

    private void SyncEndFromDuration()
    {
        if (TryParseDate(_startText, out var start) && TryParseHours(_durationText, out var hours) && hours > 0 && hours <= TimeSpan.MaxValue.TotalHours / 2)
        {
            _endText = Format(start.AddHours(hours));
        }
    }

    private void SyncDurationFromEnd()
    {
        if (TryParseDate(_startText, out var start) && TryParseDate(_endText, out var end))
        {
            _durationText = (end - start).TotalHours.ToString("0.##", CultureInfo.CurrentCulture);
        }
    }

    private void SetMatcher(ref string? field, object? value)
    {
        field = Blank(value as string);
        _preview = null;
    }

    private void SelectSite(string? site)
    {
        _site = site;
        _siteQuery = null;
        _preview = null;
    }

    private void SelectDevice(FleetDevice? device)
    {
        _device = device?.Address.DeviceId;
        _deviceQuery = null;
        _preview = null;
    }

    private void ToggleDay(DayOfWeek day, bool on)
    {
        if (on)
        {
            _days.Add(day);
        }
        else
        {
            _days.Remove(day);
        }
    }

    private IEnumerable<string> SiteSuggestions() => string.IsNullOrWhiteSpace(_siteQuery)
        ? []
        : _knownSites.Where(s => TextFold.Matches(_siteQuery, s, SiteName(s))).Order(StringComparer.Ordinal).Take(SuggestionCount);

    private IEnumerable<FleetDevice> DeviceSuggestions() => string.IsNullOrWhiteSpace(_deviceQuery)
        ? []
        : _fleet.Where(d => TextFold.Matches(_deviceQuery, d.Address.DeviceId, d.Address.DeviceType, SiteName(d.Address.Site)))
            .OrderBy(d => d.Address.DeviceId, StringComparer.Ordinal).Take(SuggestionCount);

    // ---- preview ----

    internal sealed record SilencePreview(IReadOnlyList<Alert> Alerts, IReadOnlyList<FleetDevice> Devices);

    private SilencePreview ComputePreview()
    {
        if (!HasAnyMatcher)
        {
            return new SilencePreview([], []);
        }

        var probe = new Silence { RuleId = _rule, Site = _site, District = _district, DeviceType = _deviceType, DeviceId = _device, StartsAt = DateTimeOffset.MinValue, EndsAt = DateTimeOffset.MaxValue, Reason = string.Empty, CreatedBy = string.Empty };
        var alerts = _openAlerts.Where(probe.Matches).ToList();
        var rule = _rule is null ? null : _rules.FirstOrDefault(r => r.Id == _rule);
        var devices = _fleet.Where(d =>
                (_site is null || d.Address.Site == _site)
                && (_district is null || d.DistrictSlug == _district)
                && (_deviceType is null || d.Address.DeviceType == _deviceType)
                && (_device is null || d.Address.DeviceId == _device)
                && (rule is null || rule.Scope.MatchesDevice(d.Address, d.DistrictSlug)))
            .ToList();
        return new SilencePreview(alerts, devices);
    }

    // ---- submit ----

    private async Task CreateAsync()
    {
        _errors = [];
        if (Engine.Commands is not { } commands)
        {
            return;
        }

        var (request, errors) = BuildRequest();
        if (request is null || errors.Count > 0)
        {
            _errors = errors;
            return;
        }

        if (!await Guard.AuthorizeAsync(_user, Policies.ManageSilences, "silence.create", MatcherWords(request), request.Reason, CancellationToken.None))
        {
            Snackbar.Add(L["Forbidden"], Severity.Error);
            return;
        }

        _busy = true;
        try
        {
            var created = await commands.CreateSilenceAsync(request, _user.Identity!.Name!, CancellationToken.None);
            Snackbar.Add(L["Created", created.Id], Severity.Success);
            _reason = null;
        }
        catch (AlertCommandException ex)
        {
            _errors = [L["EngineRefused", ex.Message]];
        }
        catch (AlertEngineUnavailableException)
        {
            _errors = [L["EngineUnavailable"]];
        }
        finally
        {
            _busy = false;
        }

        await LoadAsync();
    }

    /// <summary>The request the form describes, or every problem with it in the user's language (then no request).</summary>
    internal (SilenceRequest? Request, IReadOnlyList<string> Errors) BuildRequest()
    {
        var errors = new List<string>();
        var culture = CultureInfo.CurrentCulture;
        DateTimeOffset start = default, end = default;
        var startOk = TryParseDate(_startText, out start);
        if (!startOk)
        {
            errors.Add(L["InvalidDate", L["Start"], _startText ?? string.Empty, DatePattern(culture)]);
        }

        var endOk = true;
        if (_endFromDuration)
        {
            if (!TryParseHours(_durationText, out var hours))
            {
                errors.Add(L["NotANumber", _durationText ?? string.Empty]);
                endOk = false;
            }
            else if (hours <= 0)
            {
                errors.Add(L["DurationNotPositive"]);
                endOk = false;
            }
            else if (hours > Limits.MaxDuration.TotalHours && _repeat == RepeatNone)
            {
                errors.Add(Message(new SilenceProblem(SilenceProblemCode.TooLong)));
                endOk = false;
            }
            else if (startOk)
            {
                end = start.AddHours(Math.Min(hours, TimeSpan.FromDays(3660).TotalHours));
            }
        }
        else if (!TryParseDate(_endText, out end))
        {
            errors.Add(L["InvalidDate", L["End"], _endText ?? string.Empty, DatePattern(culture)]);
            endOk = false;
        }

        SilenceRecurrence? recurrence = null;
        if (_repeat != RepeatNone)
        {
            var windowStartOk = TimeOnly.TryParseExact(_windowStartText?.Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var windowStart);
            if (!windowStartOk)
            {
                errors.Add(L["InvalidTime", _windowStartText ?? string.Empty]);
            }

            var windowHoursOk = TryParseHours(_windowHoursText, out var windowHours);
            if (!windowHoursOk)
            {
                errors.Add(L["NotANumber", _windowHoursText ?? string.Empty]);
            }

            if (windowStartOk && windowHoursOk)
            {
                recurrence = new SilenceRecurrence
                {
                    Frequency = _repeat == RepeatWeekly ? SilenceFrequency.Weekly : SilenceFrequency.Daily,
                    Days = _repeat == RepeatWeekly ? _days.Aggregate(SilenceDays.None, (all, d) => all | SilenceRecurrence.DayOf(d)) : SilenceDays.None,
                    LocalStart = windowStart,
                    Duration = windowHours is > 0 and <= 48 ? TimeSpan.FromHours(windowHours) : TimeSpan.Zero,
                    TimeZone = Clock.Zone.Id,
                };
            }
        }

        if (!startOk || !endOk || errors.Count > 0)
        {
            // Matchers and reason are still worth telling about in the same round.
            errors.AddRange(SilenceValidation.Validate(Draft(Clock.UtcNow, Clock.UtcNow.AddHours(1), null), Clock.UtcNow, Limits, Catalog())
                .Where(p => p.Code is not (SilenceProblemCode.EndNotAfterStart or SilenceProblemCode.EndInPast or SilenceProblemCode.TooLong))
                .Select(Message));
            return (null, errors);
        }

        var request = Draft(start, end, recurrence);
        var problems = SilenceValidation.Validate(request, Clock.UtcNow, Limits, Catalog());
        return problems.Count > 0 ? (null, [.. problems.Select(Message)]) : (request, []);
    }

    private SilenceRequest Draft(DateTimeOffset start, DateTimeOffset end, SilenceRecurrence? recurrence) => new()
    {
        Kind = _kind == KindMaintenance || recurrence is not null ? SilenceKind.Maintenance : SilenceKind.Silence,
        RuleId = _rule,
        Site = _site,
        District = _district,
        DeviceType = _deviceType,
        DeviceId = _device,
        StartsAt = start,
        EndsAt = end,
        Recurrence = recurrence,
        Reason = _reason?.Trim() ?? string.Empty,
    };

    private SilenceCatalog Catalog() => new()
    {
        Rules = Engine.Queries is null ? null : new HashSet<string>(_rules.Select(r => r.Id), StringComparer.Ordinal),
        IsSite = _knownSites.Contains,
        Districts = new HashSet<string>(Province.Districts.Select(d => d.Slug), StringComparer.Ordinal),
        DeviceTypes = new HashSet<string>(_deviceTypes, StringComparer.Ordinal),
        Devices = new HashSet<string>(_fleet.Select(d => d.Address.DeviceId).Concat(_openAlerts.Select(a => a.DeviceId).OfType<string>()), StringComparer.Ordinal),
    };

    private string Message(SilenceProblem problem) => problem.Code switch
    {
        SilenceProblemCode.TooLong => L["Problem_TooLong", Limits.MaxDuration.TotalDays.ToString("0.##", CultureInfo.CurrentCulture)],
        SilenceProblemCode.SeriesTooLong => L["Problem_SeriesTooLong", Limits.MaxRecurringSpan.TotalDays.ToString("0.##", CultureInfo.CurrentCulture)],
        SilenceProblemCode.ReasonTooLong => L["Problem_ReasonTooLong", SilenceValidation.MaxReasonLength],
        _ => L["Problem_" + problem.Code, problem.Value ?? string.Empty],
    };

    private async Task EndAsync(long id)
    {
        if (Engine.Commands is not { } commands)
        {
            return;
        }

        if (!await Guard.AuthorizeAsync(_user, Policies.ManageSilences, "silence.end", id.ToString(CultureInfo.InvariantCulture), string.Empty, CancellationToken.None))
        {
            Snackbar.Add(L["Forbidden"], Severity.Error);
            return;
        }

        try
        {
            await commands.EndSilenceAsync(id, _user.Identity!.Name!, CancellationToken.None);
        }
        catch (Exception ex) when (ex is AlertCommandException or AlertNotFoundException or AlertEngineUnavailableException)
        {
            Snackbar.Add(L["EndFailed", ex.Message], Severity.Warning);
        }

        await LoadAsync();
    }

    // ---- words ----

    private string SiteName(string? site) => Sites.DisplayName(site, CultureInfo.CurrentUICulture);

    internal string MatcherWords(Silence silence) => Words(silence.RuleId, silence.Site, silence.District, silence.DeviceType, silence.DeviceId);

    private string MatcherWords(SilenceRequest request) => Words(request.RuleId, request.Site, request.District, request.DeviceType, request.DeviceId);

    private string Words(string? rule, string? site, string? district, string? type, string? device)
    {
        var culture = CultureInfo.CurrentUICulture;
        var parts = new List<string>();
        if (rule is not null)
        {
            parts.Add($"{L["Rule"]}: {_rules.FirstOrDefault(r => r.Id == rule)?.Name.For(culture) ?? rule}");
        }

        if (district is not null)
        {
            parts.Add($"{L["District"]}: {Province.Districts.FirstOrDefault(d => d.Slug == district)?.Name(culture) ?? district}");
        }

        if (site is not null)
        {
            parts.Add($"{L["Site"]}: {SiteName(site)}");
        }

        if (type is not null)
        {
            parts.Add($"{L["DeviceType"]}: {Vocabulary.DeviceType(type)}");
        }

        if (device is not null)
        {
            parts.Add($"{L["Device"]}: {device}");
        }

        return string.Join(" · ", parts);
    }

    private string RecurrenceWords(SilenceRecurrence recurrence)
    {
        var hours = recurrence.Duration.TotalHours.ToString("0.##", CultureInfo.CurrentCulture);
        var at = recurrence.LocalStart.ToString("HH:mm", CultureInfo.InvariantCulture);
        if (recurrence.Frequency == SilenceFrequency.Daily)
        {
            return L["Recurs_Daily", at, hours, recurrence.TimeZone];
        }

        var days = string.Join(", ", WeekDays.Where(d => (recurrence.Days & SilenceRecurrence.DayOf(d)) != 0)
            .Select(DayName));
        return L["Recurs_Weekly", days, at, hours, recurrence.TimeZone];
    }

    /// <summary>"T3", "CN" in Vietnamese (the shortest names are the usual ones there), "Tue", "Sun" in English.</summary>
    private static string DayName(DayOfWeek day) => CultureInfo.CurrentCulture.TwoLetterISOLanguageName == "vi"
        ? CultureInfo.CurrentCulture.DateTimeFormat.GetShortestDayName(day)
        : CultureInfo.CurrentCulture.DateTimeFormat.GetAbbreviatedDayName(day);

    private static Color StatusColor(SilenceStatus status) => status switch
    {
        SilenceStatus.Active => Color.Warning,
        SilenceStatus.Scheduled => Color.Info,
        _ => Color.Default,
    };

    // ---- parsing in the user's culture and the console's zone ----

    private string Format(DateTimeOffset instant) => Clock.ToLocal(instant).ToString(DatePattern(CultureInfo.CurrentCulture), CultureInfo.CurrentCulture);

    /// <summary>Reads a date and time typed in the user's pattern as wall-clock time in the console's zone; false for "31/02/2026" and anything else that is not a real date.</summary>
    internal bool TryParseDate(string? text, out DateTimeOffset instant)
    {
        instant = default;
        var culture = CultureInfo.CurrentCulture;
        var pattern = DatePattern(culture);
        var datePattern = pattern[..pattern.LastIndexOf(' ')];
        if (string.IsNullOrWhiteSpace(text)
            || !DateTime.TryParseExact(text.Trim(), [pattern, datePattern], culture, DateTimeStyles.AllowInnerWhite, out var wall))
        {
            return false;
        }

        if (Clock.Zone.IsInvalidTime(wall))
        {
            return false;
        }

        instant = new DateTimeOffset(wall, Clock.Zone.GetUtcOffset(wall));
        return true;
    }

    /// <summary>A number of hours in the user's culture ("1,5" in Vietnamese, "1.5" in English); false for text that is not a number.</summary>
    internal static bool TryParseHours(string? text, out double hours)
    {
        hours = 0;
        return !string.IsNullOrWhiteSpace(text)
            && double.TryParse(text.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.CurrentCulture, out hours)
            && double.IsFinite(hours);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
