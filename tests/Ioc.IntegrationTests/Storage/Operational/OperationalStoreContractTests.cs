using Ioc.Contract.Alerts;
using Ioc.Contract.Text;
using Ioc.IntegrationTests.Infrastructure;
using Ioc.Storage;
using Ioc.Storage.Operational;

namespace Ioc.IntegrationTests.Storage.Operational;

/// <summary>
/// What every operational store must do, run against each adapter (SQLite on a temp file, PostgreSQL on a real server).
/// Tests share one database per class, so each uses names of its own.
/// </summary>
public abstract class OperationalStoreContractTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);
    private readonly List<IOperationalStore> _stores = [];

    protected IOperationalStore Store { get; private set; } = null!;

    /// <summary>A new store instance (own connections) on the class's database.</summary>
    protected abstract Task<IOperationalStore> OpenStoreAsync();

    /// <summary>The column names of a reporting view, and its rows as column → text.</summary>
    protected abstract Task<(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyDictionary<string, string?>> Rows)> ReadViewAsync(string view, string where);

    public async Task InitializeAsync()
    {
        Store = await NewStoreAsync();
        await Store.MigrateAsync(CancellationToken.None);
    }

    public virtual async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            if (store is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }

    protected async Task<IOperationalStore> NewStoreAsync()
    {
        var store = await OpenStoreAsync();
        _stores.Add(store);
        return store;
    }

    protected static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    protected static Alert NewAlert(string ruleId, string subject, DateTimeOffset at, string district = "thanh-ha", string site = "dc-tinh") => new()
    {
        Id = 0,
        RuleId = ruleId,
        RuleName = "Too hot",
        Kind = "threshold",
        SubjectKey = $"device:{site}/sensor/{subject}",
        Subject = subject,
        Severity = AlertSeverity.Major,
        State = AlertState.Firing,
        Site = site,
        District = district,
        DeviceType = "sensor",
        DeviceId = subject,
        Summary = "temp_c 41.5 > 40",
        Value = 41.5,
        Labels = new Dictionary<string, string> { ["room"] = "a" },
        FiredAt = at,
        LastFiredAt = at,
        UpdatedAt = at,
    };

    [Fact]
    public async Task Alerts_InsertFindUpdate_RoundTripWithAudit()
    {
        var rule = Unique("hot");
        var inserted = await Store.Alerts.InsertAsync(NewAlert(rule, "DC-1", T0), "engine", "fired", "first", CancellationToken.None);

        var open = await Store.Alerts.FindOpenAsync(rule, inserted.SubjectKey, CancellationToken.None);
        Assert.NotNull(open);
        Assert.Equal(inserted with { UpdatedAt = open.UpdatedAt }, open with { Labels = inserted.Labels });
        Assert.Equal("a", open.Labels["room"]);
        Assert.Equal(T0, open.FiredAt);

        var updated = await Store.Alerts.UpdateAsync(inserted.Id, T0.AddMinutes(2), a => new AlertMutation(
            a with { State = AlertState.Acknowledged, AcknowledgedAt = T0.AddMinutes(2), AcknowledgedBy = "op1" }, [("op1", "acknowledged", null)]), CancellationToken.None);
        var unchanged = await Store.Alerts.UpdateAsync(inserted.Id, T0.AddMinutes(3), _ => null, CancellationToken.None);

        Assert.Equal(AlertState.Acknowledged, updated!.State);
        Assert.Null(unchanged);
        var stored = await Store.Alerts.GetAsync(inserted.Id, CancellationToken.None);
        Assert.Equal(("op1", T0.AddMinutes(2), T0.AddMinutes(2)), (stored!.AcknowledgedBy, stored.AcknowledgedAt!.Value, stored.UpdatedAt));
        var audit = await Store.Alerts.AuditAsync(inserted.Id, CancellationToken.None);
        Assert.Equal(["fired", "acknowledged"], audit.Select(a => a.Action));
        Assert.Equal(["engine", "op1"], audit.Select(a => a.Actor));
        Assert.Contains(await Store.Alerts.ListAsync(new AlertFilter { RuleId = rule, State = AlertState.Acknowledged }, openOnly: true, CancellationToken.None), a => a.Id == inserted.Id);
        Assert.Empty(await Store.Alerts.ListAsync(new AlertFilter { RuleId = rule, MinSeverity = AlertSeverity.Critical }, openOnly: false, CancellationToken.None));
    }

    [Fact]
    public async Task Alerts_ConcurrentUpdatesFromTwoStores_NoneIsLost()
    {
        var other = await NewStoreAsync();
        var alert = await Store.Alerts.InsertAsync(NewAlert(Unique("race"), "DC-2", T0), "engine", "fired", null, CancellationToken.None);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => (i % 2 == 0 ? Store : other).Alerts.UpdateAsync(alert.Id, T0.AddSeconds(i), a =>
            new AlertMutation(a with { RepeatCount = a.RepeatCount + 1 }, [("engine", "repeated", null)]), CancellationToken.None))));

        Assert.Equal(20, (await Store.Alerts.GetAsync(alert.Id, CancellationToken.None))!.RepeatCount);
        Assert.Equal(21, (await Store.Alerts.AuditAsync(alert.Id, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Alerts_LinkChildren_GroupsOpenAlertsOfTheDistrictUnderTheParent()
    {
        var child = Unique("down");
        var district = Unique("district");
        var a = await Store.Alerts.InsertAsync(NewAlert(child, "SW-1", T0, district), "engine", "fired", null, CancellationToken.None);
        var b = await Store.Alerts.InsertAsync(NewAlert(child, "SW-2", T0, district), "engine", "fired", null, CancellationToken.None);
        await Store.Alerts.InsertAsync(NewAlert(child, "SW-3", T0, "elsewhere"), "engine", "fired", null, CancellationToken.None);
        var parent = await Store.Alerts.InsertAsync(NewAlert(Unique("cut"), district, T0, district), "engine", "fired", null, CancellationToken.None);

        var linked = await Store.Alerts.LinkChildrenAsync(parent.Id, child, "district", district, T0.AddSeconds(5), CancellationToken.None);

        Assert.Equal([a.Id, b.Id], linked);
        Assert.Equal([a.Id, b.Id], (await Store.Alerts.ChildrenAsync(parent.Id, CancellationToken.None)).Select(c => c.Id));
        Assert.Equal("grouped", (await Store.Alerts.AuditAsync(a.Id, CancellationToken.None)).Last().Action);
        Assert.DoesNotContain(await Store.Alerts.ListAsync(new AlertFilter { RuleId = child, TopLevelOnly = true }, openOnly: true, CancellationToken.None), x => x.Id == a.Id);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.Alerts.LinkChildrenAsync(parent.Id, child, "1; DROP TABLE alerts", district, T0, CancellationToken.None));
    }

    [Fact]
    public async Task Alerts_ListFiredWindow_KeepsOnlyAlertsFiredInIt()
    {
        var rule = Unique("month");
        await Store.Alerts.InsertAsync(NewAlert(rule, "before", T0.AddMilliseconds(-1)), "engine", "fired", null, CancellationToken.None);
        var first = await Store.Alerts.InsertAsync(NewAlert(rule, "first", T0), "engine", "fired", null, CancellationToken.None);
        var last = await Store.Alerts.InsertAsync(NewAlert(rule, "last", T0.AddDays(30).AddMilliseconds(-1)), "engine", "fired", null, CancellationToken.None);
        await Store.Alerts.InsertAsync(NewAlert(rule, "after", T0.AddDays(30)), "engine", "fired", null, CancellationToken.None);

        var inWindow = await Store.Alerts.ListAsync(new AlertFilter { RuleId = rule, FiredFrom = T0, FiredBefore = T0.AddDays(30) }, openOnly: false, CancellationToken.None);

        Assert.Equal([first.Id, last.Id], inWindow.Select(a => a.Id).Order());
    }

    [Fact]
    public async Task Alerts_CommentsAndSilences_AreKept()
    {
        var alert = await Store.Alerts.InsertAsync(NewAlert(Unique("c"), "DC-3", T0), "engine", "fired", null, CancellationToken.None);
        var comment = await Store.Alerts.AddCommentAsync(alert.Id, "op1", "on my way", T0.AddMinutes(1), CancellationToken.None);
        Assert.Equal([comment], await Store.Alerts.CommentsAsync(alert.Id, CancellationToken.None));
        Assert.Equal("commented", (await Store.Alerts.AuditAsync(alert.Id, CancellationToken.None)).Last().Action);

        var site = Unique("site");
        var silence = await Store.Alerts.InsertSilenceAsync(new Silence { Kind = SilenceKind.Maintenance, Site = site, StartsAt = T0, EndsAt = T0.AddHours(2), Reason = "UPS swap", CreatedBy = "boss", CreatedAt = T0 }, CancellationToken.None);
        Assert.Contains(await Store.Alerts.ListSilencesAsync(T0.AddMinutes(1), includeExpired: false, CancellationToken.None), s => s == silence);

        var ended = await Store.Alerts.EndSilenceAsync(silence.Id, "boss", T0.AddMinutes(30), CancellationToken.None);
        Assert.Equal(("boss", T0.AddMinutes(30)), (ended!.EndedBy, ended.EndedAt!.Value));
        Assert.DoesNotContain(await Store.Alerts.ListSilencesAsync(T0.AddMinutes(31), includeExpired: false, CancellationToken.None), s => s.Id == silence.Id);
        Assert.Contains(await Store.Alerts.ListSilencesAsync(T0.AddMinutes(31), includeExpired: true, CancellationToken.None), s => s.Id == silence.Id && s.Kind == SilenceKind.Maintenance);
    }

    [Fact]
    public async Task Silences_RecurringWindowWithEveryMatcher_RoundTrips()
    {
        // Arrange: a weekly maintenance window (Tue and Sat, 22:30 local for 2.5 h in Asia/Ho_Chi_Minh) on every matcher.
        var site = Unique("site");
        var recurrence = new SilenceRecurrence
        {
            Frequency = SilenceFrequency.Weekly,
            Days = SilenceDays.Tuesday | SilenceDays.Saturday,
            LocalStart = new TimeOnly(22, 30),
            Duration = TimeSpan.FromMinutes(150),
            TimeZone = "Asia/Ho_Chi_Minh",
        };
        var weekly = new Silence
        {
            Kind = SilenceKind.Maintenance, RuleId = "dc-inlet-warm", Site = site, District = "thanh-ha", DeviceType = "ups", DeviceId = "DC-UPS-01",
            StartsAt = T0, EndsAt = T0.AddDays(90), Reason = "Bảo trì UPS định kỳ", CreatedBy = "lan", CreatedAt = T0, Recurrence = recurrence,
        };
        var daily = weekly with { Site = site, RuleId = null, District = null, DeviceType = null, DeviceId = null, Recurrence = recurrence with { Frequency = SilenceFrequency.Daily, Days = SilenceDays.None, LocalStart = new TimeOnly(0, 0), Duration = TimeSpan.FromHours(24) } };
        var once = weekly with { Recurrence = null, EndsAt = T0.AddHours(4) };

        // Act
        var stored = new[]
        {
            await Store.Alerts.InsertSilenceAsync(weekly, CancellationToken.None),
            await Store.Alerts.InsertSilenceAsync(daily, CancellationToken.None),
            await Store.Alerts.InsertSilenceAsync(once, CancellationToken.None),
        };
        var listed = (await Store.Alerts.ListSilencesAsync(T0.AddMinutes(1), includeExpired: false, CancellationToken.None)).Where(s => s.Site == site).OrderBy(s => s.Id).ToList();
        var fromAnother = (await (await NewStoreAsync()).Alerts.ListSilencesAsync(T0.AddMinutes(1), includeExpired: true, CancellationToken.None)).Where(s => s.Site == site).OrderBy(s => s.Id).ToList();

        // Assert: every column comes back as written, a one-off window has no recurrence.
        Assert.Equal(stored, listed);
        Assert.Equal(stored, fromAnother);
        Assert.Equal(recurrence, listed[0].Recurrence);
        Assert.Equal(TimeSpan.FromHours(24), listed[1].Recurrence!.Duration);
        Assert.Equal(SilenceFrequency.Daily, listed[1].Recurrence!.Frequency);
        Assert.Null(listed[2].Recurrence);
        Assert.Equal(("dc-inlet-warm", "thanh-ha", "ups", "DC-UPS-01"), (listed[0].RuleId, listed[0].District, listed[0].DeviceType, listed[0].DeviceId));
    }

    [Fact]
    public async Task Alerts_StatisticsAndPurge_CountResponseTimes()
    {
        // A window of its own, far from the other tests' alerts.
        var from = T0.AddYears(5);
        var site = Unique("stat");
        var a = await Store.Alerts.InsertAsync(NewAlert(Unique("s"), "A", from, site: site), "engine", "fired", null, CancellationToken.None);
        var b = await Store.Alerts.InsertAsync(NewAlert(Unique("s"), "B", from, site: site), "engine", "fired", null, CancellationToken.None);
        await Store.Alerts.UpdateAsync(a.Id, from.AddMinutes(4), x => new AlertMutation(x with { State = AlertState.Acknowledged, AcknowledgedAt = from.AddMinutes(4), AcknowledgedBy = "op" }, []), CancellationToken.None);
        await Store.Alerts.UpdateAsync(a.Id, from.AddMinutes(10), x => new AlertMutation(x with { State = AlertState.Resolved, ResolvedAt = from.AddMinutes(10), ResolvedBy = "op" }, [("op", "resolved", null)]), CancellationToken.None);
        await Store.Alerts.UpdateAsync(b.Id, from.AddMinutes(2), x => new AlertMutation(x with { State = AlertState.Acknowledged, AcknowledgedAt = from.AddMinutes(2), AcknowledgedBy = "op" }, []), CancellationToken.None);

        var stats = await Store.Alerts.StatisticsAsync(from, from.AddDays(1), CancellationToken.None);

        Assert.Equal(new ResponseTimes("all", 2, 2, 1, TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(10)), stats.Overall);
        Assert.Equal([new ResponseTimes("major", 2, 2, 1, TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(10))], stats.BySeverity);
        Assert.Equal(site, Assert.Single(stats.BySite).Group);

        await Store.Notifications.EnqueueAsync(a.Id, "fired", "webhook", "ops", NotificationStatus.Pending, from, from, null, CancellationToken.None);
        await Store.Alerts.AddCommentAsync(a.Id, "op", "done", from.AddMinutes(11), CancellationToken.None);
        Assert.Equal(1, await Store.Alerts.PurgeResolvedAsync(from.AddMinutes(11), CancellationToken.None));
        Assert.Null(await Store.Alerts.GetAsync(a.Id, CancellationToken.None));
        Assert.Empty(await Store.Alerts.AuditAsync(a.Id, CancellationToken.None));
        Assert.NotNull(await Store.Alerts.GetAsync(b.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Notifications_QueueAttemptsAndSuppression()
    {
        var alert = await Store.Alerts.InsertAsync(NewAlert(Unique("n"), "N-1", T0), "engine", "fired", null, CancellationToken.None);
        var due = T0.AddYears(-20);
        var first = await Store.Notifications.EnqueueAsync(alert.Id, "fired", "webhook", "ops", NotificationStatus.Pending, due, due, null, CancellationToken.None);
        var second = await Store.Notifications.EnqueueAsync(alert.Id, "fired", "email", "boss@x", NotificationStatus.Pending, due, due.AddMinutes(1), "note", CancellationToken.None);

        Assert.Equal(due, await Store.Notifications.NextDueAsync(CancellationToken.None));
        Assert.Equal([first.Id], (await Store.Notifications.DueAsync(due.AddSeconds(30), 10, CancellationToken.None)).Select(n => n.Id));

        await Store.Notifications.RecordAttemptAsync(first, new DeliveryAttempt(0, first.Id, 1, due.AddSeconds(1), false, TimeSpan.FromMilliseconds(120), "HTTP 503"), NotificationStatus.Pending, due.AddMinutes(5), CancellationToken.None);
        await Store.Notifications.RecordAttemptAsync(first, new DeliveryAttempt(0, first.Id, 2, due.AddMinutes(5), true, TimeSpan.FromMilliseconds(80), "HTTP 200"), NotificationStatus.Delivered, due.AddMinutes(5), CancellationToken.None);
        await Store.Notifications.SuppressAsync(second, "silenced", CancellationToken.None);

        var records = await Store.Notifications.ForAlertAsync(alert.Id, CancellationToken.None);
        Assert.Equal([(NotificationStatus.Delivered, 2, (string?)null), (NotificationStatus.Suppressed, 0, "silenced")], records.Select(r => (r.Status, r.Attempts, r.LastError)));
        var attempts = await Store.Notifications.AttemptsAsync(first.Id, CancellationToken.None);
        Assert.Equal([(1, false, 120.0, "HTTP 503"), (2, true, 80.0, "HTTP 200")], attempts.Select(a => (a.Attempt, a.Success, a.Duration.TotalMilliseconds, a.Detail)));
    }

    [Fact]
    public async Task Devices_Upsert_ReplacesAndLoads()
    {
        var site = Unique("site");
        await Store.Devices.UpsertAsync([new DeviceHealth(site, "sensor", "S1", "thanh-ha", HealthState.Online, T0, T0), new DeviceHealth(site, "sensor", "S2", null, HealthState.Silent, null, T0)], CancellationToken.None);
        await Store.Devices.UpsertAsync([new DeviceHealth(site, "sensor", "S1", "thanh-ha", HealthState.Offline, T0.AddMinutes(1), T0.AddMinutes(2))], CancellationToken.None);

        var mine = (await Store.Devices.LoadAsync(CancellationToken.None)).Where(d => d.Site == site).OrderBy(d => d.DeviceId).ToList();

        Assert.Equal([
            new DeviceHealth(site, "sensor", "S1", "thanh-ha", HealthState.Offline, T0.AddMinutes(1), T0.AddMinutes(2)),
            new DeviceHealth(site, "sensor", "S2", null, HealthState.Silent, T0, T0)], mine);
    }

    [Fact]
    public async Task Users_CreateLockoutStamp()
    {
        var name = Unique("user");
        var user = await Store.Users.CreateAsync(name, "Op One", "operator", "hash1", "stamp1", T0, CancellationToken.None);
        await Assert.ThrowsAsync<ArgumentException>(() => Store.Users.CreateAsync(name.ToUpperInvariant(), "x", "viewer", "h", "s", T0, CancellationToken.None));

        Assert.Equal(new UserCredentials(user, "hash1"), await Store.Users.FindCredentialsAsync(name.ToUpperInvariant(), CancellationToken.None));
        await Store.Users.RecordFailedLoginAsync(user.Id, 0, T0.AddMinutes(15), CancellationToken.None);
        Assert.True((await Store.Users.FindAsync(name, CancellationToken.None))!.IsLockedOut(T0.AddMinutes(1)));
        Assert.True(await Store.Users.UnlockAsync(name, "stamp2", CancellationToken.None));
        Assert.False((await Store.Users.FindAsync(name, CancellationToken.None))!.IsLockedOut(T0.AddMinutes(1)));
        Assert.Equal("stamp2", await Store.Users.GetSecurityStampAsync(name, CancellationToken.None));
        Assert.True(await Store.Users.SetSecurityStampAsync(name, "stamp2b", CancellationToken.None));
        Assert.Equal("stamp2b", await Store.Users.GetSecurityStampAsync(name, CancellationToken.None));
        Assert.False((await Store.Users.FindAsync(name, CancellationToken.None))!.IsLockedOut(T0.AddMinutes(1)));
        Assert.False(await Store.Users.SetSecurityStampAsync(Unique("nobody"), "s", CancellationToken.None));

        await Store.Users.RecordLoginAsync(user.Id, T0.AddHours(1), "hash2", CancellationToken.None);
        Assert.True(await Store.Users.SetRoleAsync(name, "admin", "stamp3", CancellationToken.None));
        var credentials = await Store.Users.FindCredentialsAsync(name, CancellationToken.None);
        Assert.Equal(("hash2", "admin", T0.AddHours(1)), (credentials!.PasswordHash, credentials.User.Role, credentials.User.LastLoginAt!.Value));

        Assert.True(await Store.Users.SetDisabledAsync(name, true, "stamp4", CancellationToken.None));
        Assert.Null(await Store.Users.GetSecurityStampAsync(name, CancellationToken.None));
        Assert.True(await Store.Users.SetPasswordHashAsync(name, "hash3", "stamp5", CancellationToken.None));
        Assert.False(await Store.Users.SetRoleAsync(Unique("nobody"), "admin", "s", CancellationToken.None));
        Assert.Contains(await Store.Users.ListAsync(CancellationToken.None), u => u.UserName == name && u.Disabled);
        Assert.True(await Store.Users.CountAsync(CancellationToken.None) >= 1);
    }

    [Fact]
    public async Task Audit_WritesNewestFirstPerUser()
    {
        var name = Unique("auditor");
        await Store.Audit.WriteAsync(T0, name, "ack", "alert#1", "ok", true, CancellationToken.None);
        await Store.Audit.WriteAsync(T0.AddSeconds(1), name, "delete-user", "bob", new string('x', 2000), false, CancellationToken.None);

        var entries = await Store.Audit.ListAsync(10, name, CancellationToken.None);

        Assert.Equal([("delete-user", false, 1024), ("ack", true, 2)], entries.Select(e => (e.Action, e.Allowed, e.Detail.Length)));
        Assert.Equal(T0.AddSeconds(1), entries[0].At);
        Assert.Contains(await Store.Audit.ListAsync(10, null, CancellationToken.None), e => e.UserName == name);
    }

    [Fact]
    public async Task DeadLetters_AddListCount()
    {
        var reason = Unique("bad_json");
        await Store.DeadLetters.InitializeAsync(CancellationToken.None);
        await Store.DeadLetters.AddAsync([DeadLetter.Create(T0, "ioc/v1/a", reason, "d1", "{"u8), DeadLetter.Create(T0.AddSeconds(1), "ioc/v1/b", reason, "d2", new byte[2000])], CancellationToken.None);

        var letters = await Store.DeadLetters.ListAsync(10, reason, CancellationToken.None);

        Assert.Equal([("ioc/v1/b", 1024, 2000), ("ioc/v1/a", 1, 1)], letters.Select(l => (l.Topic, l.PayloadHead.Length, l.PayloadSize)));
        Assert.Equal(2, (await Store.DeadLetters.CountByReasonAsync(CancellationToken.None))[reason]);
    }

    [Fact]
    public async Task Leases_AcquireContendRenewRelease()
    {
        var name = Unique("evaluator");
        Assert.Null(await Store.Leases.GetAsync(name, CancellationToken.None));
        Assert.True(await Store.Leases.TryAcquireAsync(name, "collector-a", "http://a:8080", TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.False(await Store.Leases.TryAcquireAsync(name, "collector-b", "http://b:8080", TimeSpan.FromMinutes(1), CancellationToken.None));
        var first = await Store.Leases.GetAsync(name, CancellationToken.None);
        Assert.Equal(("collector-a", "http://a:8080"), (first!.Holder, first.Endpoint));

        Assert.True(await Store.Leases.TryAcquireAsync(name, "collector-a", "http://a:8080", TimeSpan.FromMinutes(5), CancellationToken.None));
        Assert.True((await Store.Leases.GetAsync(name, CancellationToken.None))!.ExpiresAt > first.ExpiresAt.AddMinutes(3));

        await Store.Leases.ReleaseAsync(name, "collector-b", CancellationToken.None);
        Assert.Equal("collector-a", (await Store.Leases.GetAsync(name, CancellationToken.None))!.Holder);
        await Store.Leases.ReleaseAsync(name, "collector-a", CancellationToken.None);
        Assert.Null(await Store.Leases.GetAsync(name, CancellationToken.None));
        Assert.True(await Store.Leases.TryAcquireAsync(name, "collector-b", null, TimeSpan.FromMinutes(1), CancellationToken.None));
    }

    [Fact]
    public async Task Leases_Expired_CanBeTakenByAnother()
    {
        var name = Unique("expiring");
        Assert.True(await Store.Leases.TryAcquireAsync(name, "a", null, TimeSpan.FromMilliseconds(300), CancellationToken.None));
        Assert.False(await Store.Leases.TryAcquireAsync(name, "b", null, TimeSpan.FromMinutes(1), CancellationToken.None));

        // The database's clock decides; poll until it says the lease is over.
        await Wait.UntilAsync(async () => await Store.Leases.TryAcquireAsync(name, "b", null, TimeSpan.FromMinutes(1), CancellationToken.None), TimeSpan.FromSeconds(10), "b takes the expired lease");

        Assert.Equal("b", (await Store.Leases.GetAsync(name, CancellationToken.None))!.Holder);
        Assert.False(await Store.Leases.TryAcquireAsync(name, "a", null, TimeSpan.FromMinutes(1), CancellationToken.None));
    }

    [Fact]
    public async Task Leases_HoldersRacing_ExactlyOneWins()
    {
        var name = Unique("race");
        var stores = new[] { Store, await NewStoreAsync(), await NewStoreAsync() };

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() => stores[i % stores.Length].Leases.TryAcquireAsync(name, $"holder-{i}", null, TimeSpan.FromMinutes(1), CancellationToken.None))));

        var winner = Assert.Single(results.Select((won, i) => (won, i)), r => r.won);
        Assert.Equal($"holder-{winner.i}", (await Store.Leases.GetAsync(name, CancellationToken.None))!.Holder);
    }

    [Fact]
    public async Task Migrate_TwiceAndConcurrently_IsIdempotent()
    {
        var stores = new List<IOperationalStore>();
        for (var i = 0; i < 4; i++)
        {
            stores.Add(await NewStoreAsync());
        }

        await Task.WhenAll(stores.Select(s => Task.Run(() => s.MigrateAsync(CancellationToken.None))));
        await Store.MigrateAsync(CancellationToken.None);
        var again = await NewStoreAsync();
        await again.MigrateAsync(CancellationToken.None);

        var alert = await again.Alerts.InsertAsync(NewAlert(Unique("m"), "M-1", T0), "engine", "fired", null, CancellationToken.None);
        Assert.NotNull(await stores[0].Alerts.GetAsync(alert.Id, CancellationToken.None));
    }

    [Fact]
    public async Task Views_HaveTheDocumentedColumnsAndWords()
    {
        var rule = Unique("view");
        var alert = await Store.Alerts.InsertAsync(NewAlert(rule, "V-1", T0), "engine", "fired", null, CancellationToken.None);
        await Store.Alerts.UpdateAsync(alert.Id, T0.AddMinutes(1), a => new AlertMutation(a with { State = AlertState.Acknowledged, AcknowledgedAt = T0.AddMinutes(1), AcknowledgedBy = "op1", Assignee = "op1" }, []), CancellationToken.None);
        var site = Unique("vsite");
        await Store.Devices.UpsertAsync([new DeviceHealth(site, "ups", "U1", "tu-ky", HealthState.Offline, T0, T0.AddMinutes(1))], CancellationToken.None);

        var (alertColumns, alertRows) = await ReadViewAsync("ioc_alerts", $"rule_id = '{rule}'");
        var (deviceColumns, deviceRows) = await ReadViewAsync("ioc_devices", $"site = '{site}'");

        Assert.Subset(alertColumns.ToHashSet(), new HashSet<string> { "id", "rule_id", "subject", "site", "district", "device_id", "severity", "state", "fired_at", "acknowledged_at", "acknowledged_by", "resolved_at", "resolved_by", "assignee" });
        Assert.Equal(["site", "device_type", "device_id", "district", "health", "last_seen", "since"], deviceColumns);
        var row = Assert.Single(alertRows);
        Assert.Equal(("major", "acknowledged", "op1", "op1", null), (row["severity"], row["state"], row["acknowledged_by"], row["assignee"], row["resolved_at"]));
        Assert.StartsWith("2026-01-02", row["fired_at"]);
        Assert.Equal("offline", Assert.Single(deviceRows)["health"]);
    }

    [Fact]
    public async Task DeviceCredentials_IssueVerifyRotateRevoke_FollowTheLifecycle()
    {
        var id = Unique("ENV");
        var device = new DeviceIdentity(id, "dc-tinh", "env-sensor");
        var credentials = Store.DeviceCredentials;

        var secret = await credentials.IssueAsync(device, T0, CancellationToken.None);
        Assert.Equal(device, await credentials.VerifyAsync(id, secret, CancellationToken.None));
        Assert.Null(await credentials.VerifyAsync(id, secret + "x", CancellationToken.None));
        Assert.Null(await credentials.VerifyAsync(Unique("ENV"), secret, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => credentials.IssueAsync(device, T0, CancellationToken.None));

        var rotated = await credentials.RotateAsync(id, T0.AddHours(1), CancellationToken.None);
        Assert.NotNull(rotated);
        Assert.NotEqual(secret, rotated);
        Assert.Null(await credentials.VerifyAsync(id, secret, CancellationToken.None));
        Assert.Equal(device, await credentials.VerifyAsync(id, rotated, CancellationToken.None));

        Assert.True(await credentials.RevokeAsync(id, T0.AddHours(2), CancellationToken.None));
        Assert.False(await credentials.RevokeAsync(id, T0.AddHours(3), CancellationToken.None));
        Assert.Null(await credentials.VerifyAsync(id, rotated, CancellationToken.None));
        Assert.Null(await credentials.RotateAsync(id, T0.AddHours(3), CancellationToken.None));
        var listed = Assert.Single(await credentials.ListAsync(CancellationToken.None), c => c.DeviceId == id);
        Assert.Equal((T0, T0.AddHours(1), T0.AddHours(2), false), (listed.CreatedAt, listed.RotatedAt, listed.RevokedAt, listed.IsActive));
        Assert.DoesNotContain(await credentials.ListActiveHashesAsync(CancellationToken.None), c => c.Credential.DeviceId == id);

        // Issued again after revocation: a new secret, the device live again.
        var again = await credentials.IssueAsync(device, T0.AddHours(4), CancellationToken.None);
        Assert.Equal(device, await credentials.VerifyAsync(id, again, CancellationToken.None));
        var hash = Assert.Single(await credentials.ListActiveHashesAsync(CancellationToken.None), c => c.Credential.DeviceId == id);
        Assert.StartsWith("$7$", hash.PasswordHash, StringComparison.Ordinal);
        Assert.DoesNotContain(again, hash.PasswordHash, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("+")]
    [InlineData("a:b")]
    public async Task DeviceCredentials_IdThatIsNotOneTopicLevel_IsRefused(string id)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.DeviceCredentials.IssueAsync(new DeviceIdentity(id, "dc-tinh", "env-sensor"), T0, CancellationToken.None));
    }

    [Fact]
    public async Task Alerts_Texts_RoundTripInBothLanguagesAndFollowUpdates()
    {
        var rule = Unique("texts");
        var texts = new AlertTexts(
            new LocalizedText("DC-1 (Thanh Hà · An Sơn): nhiệt độ 41,5 °C", "DC-1 (Thanh Ha · An Son): temperature 41.5 °C"),
            new LocalizedText("Quá nóng", "Too hot"));
        var inserted = await Store.Alerts.InsertAsync(NewAlert(rule, "DC-1", T0) with { Texts = texts }, "engine", "fired", null, CancellationToken.None);

        var read = await Store.Alerts.GetAsync(inserted.Id, CancellationToken.None);
        Assert.Equal(texts, read!.Texts);

        var changed = texts with { Summary = new LocalizedText("nguội rồi", "cooled down") };
        await Store.Alerts.UpdateAsync(inserted.Id, T0.AddMinutes(1), a => new AlertMutation(a with { Texts = changed }, []), CancellationToken.None);
        Assert.Equal(changed, (await Store.Alerts.GetAsync(inserted.Id, CancellationToken.None))!.Texts);

        // Alerts written without texts (before they existed) read back without them.
        var plain = await Store.Alerts.InsertAsync(NewAlert(Unique("plain"), "DC-2", T0), "engine", "fired", null, CancellationToken.None);
        Assert.Null((await Store.Alerts.GetAsync(plain.Id, CancellationToken.None))!.Texts);
    }

    [Fact]
    public async Task Sites_UpsertListDelete_KeepNamesWithDiacritics()
    {
        var commune = Unique("thanh-ha");
        var district = Unique("tu-ky");
        var written = await Store.Sites.UpsertAsync(
            [
                new SiteRecord(commune, "An Sơn", "An Son", "thanh-ha", SiteKinds.Commune),
                new SiteRecord(district, "Tứ Kỳ", "Tu Ky", district, SiteKinds.District),
            ],
            T0,
            CancellationToken.None);
        Assert.Equal(2, written);

        // A second import replaces the names; another store instance (own connections) sees them.
        await Store.Sites.UpsertAsync([new SiteRecord(commune, "Xã An Sơn", "An Son Commune", "thanh-ha", SiteKinds.Commune)], T0.AddHours(1), CancellationToken.None);
        var other = await NewStoreAsync();
        var sites = await other.Sites.ListAsync(CancellationToken.None);
        Assert.Equal(new SiteRecord(commune, "Xã An Sơn", "An Son Commune", "thanh-ha", SiteKinds.Commune), Assert.Single(sites, s => s.Slug == commune));
        Assert.Equal(new SiteRecord(district, "Tứ Kỳ", "Tu Ky", district, SiteKinds.District), Assert.Single(sites, s => s.Slug == district));

        Assert.True(await other.Sites.DeleteAsync(commune, CancellationToken.None));
        Assert.False(await other.Sites.DeleteAsync(commune, CancellationToken.None));
        Assert.DoesNotContain(await Store.Sites.ListAsync(CancellationToken.None), s => s.Slug == commune);
    }

    [Theory]
    [InlineData("Thanh Hà", "Thanh Hà", "Thanh Ha", "district")]
    [InlineData("thanh-ha", "", "Thanh Ha", "district")]
    [InlineData("thanh-ha", "Thanh Hà", "Thanh Ha", "village")]
    public async Task Sites_InvalidRecord_IsRefusedAndNothingIsWritten(string slug, string nameVi, string nameEn, string kind)
    {
        var good = Unique("good");
        await Assert.ThrowsAsync<ArgumentException>(() => Store.Sites.UpsertAsync(
            [new SiteRecord(good, "Tốt", "Good", null, SiteKinds.Other), new SiteRecord(slug, nameVi, nameEn, null, kind)], T0, CancellationToken.None));
        Assert.DoesNotContain(await Store.Sites.ListAsync(CancellationToken.None), s => s.Slug == good);
    }

    [Fact]
    public async Task Sites_ImportVerb_ReadsASitesFileAndListsIt()
    {
        var slug = Unique("tu-ky");
        var file = Path.Combine(Path.GetTempPath(), $"{slug}.json");
        await File.WriteAllTextAsync(file, $$"""[{"slug": "{{slug}}", "nameVi": "Ngọc Sơn", "nameEn": "Ngoc Son", "district": "tu-ky", "kind": "commune"}]""");
        using var output = new StringWriter();
        using var error = new StringWriter();
        try
        {
            Assert.Equal(0, await SiteProvisioning.RunAsync(["sites", "import", file], Store.Sites, TimeProvider.System, output, error, CancellationToken.None));
            Assert.Equal(0, await SiteProvisioning.RunAsync(["sites", "list"], Store.Sites, TimeProvider.System, output, error, CancellationToken.None));
        }
        finally
        {
            File.Delete(file);
        }

        Assert.Contains($"Imported 1 site(s) from {file}.", output.ToString());
        Assert.Contains($"{slug}\ttu-ky\tcommune\tNgọc Sơn\tNgoc Son", output.ToString());
        Assert.Equal(1, await SiteProvisioning.RunAsync(["sites", "import", file], Store.Sites, TimeProvider.System, output, error, CancellationToken.None));
    }
}
