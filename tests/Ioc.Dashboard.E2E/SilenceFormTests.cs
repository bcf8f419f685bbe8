using System.Globalization;
using Ioc.Dashboard.E2E.Shared;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Ioc.Dashboard.E2E;

/// <summary>
/// The silence form in Chromium, in Vietnamese, as operators met it: impossible dates, negative and non-numeric
/// durations, an end before the start and no matcher are refused with a Vietnamese message and create nothing; a valid
/// planned window is created and listed as scheduled.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class SilenceFormTests(DashboardServer server)
{
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh");

    private static ILocator Field(IPage page, string testId) =>
        page.Locator($"[data-testid={testId}]").Locator("xpath=self::input | .//input | .//textarea").First;

    private static string Local(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, Zone).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);

    private async Task SubmitAndExpectRefusedAsync(IPage page, string message)
    {
        var before = server.Alerts.AllSilences().Count;
        await page.ClickAsync("[data-testid=silence-submit]");
        await Expect(page.Locator("[data-testid=silence-error]", new PageLocatorOptions { HasText = message })).ToBeVisibleAsync();
        Assert.Equal(before, server.Alerts.AllSilences().Count);
    }

    [Fact]
    public async Task SilenceForm_BadInputs_RefusedInVietnamese_ValidPlannedWindowCreatedAndListed()
    {
        // Arrange
        await using var context = await server.NewContextAsync();
        var page = await DashboardServer.LoginAsync(context, "op1", DashboardServer.UserPassword, "silences");
        var created = server.Alerts.AllSilences().Count;
        var start = DateTimeOffset.UtcNow.AddHours(1);
        await page.Locator("[data-testid=silence-matcher-district]").SelectOptionAsync("thanh-ha");
        await Field(page, "silence-reason").FillAsync("Cắt điện theo lịch của điện lực");

        // Act / Assert: a date that does not exist.
        await Field(page, "silence-start").FillAsync("31/02/2026");
        await SubmitAndExpectRefusedAsync(page, "“31/02/2026” không phải ngày giờ hợp lệ");

        // A negative number of hours, then words instead of a number.
        await Field(page, "silence-start").FillAsync(Local(start));
        await Field(page, "silence-duration").FillAsync("-5");
        await SubmitAndExpectRefusedAsync(page, "Thời lượng phải lớn hơn 0 giờ.");
        await Field(page, "silence-duration").FillAsync("ngày mai");
        await SubmitAndExpectRefusedAsync(page, "“ngày mai” không phải là số giờ hợp lệ.");

        // An end before the start.
        await Field(page, "silence-end").FillAsync(Local(start.AddHours(-2)));
        await SubmitAndExpectRefusedAsync(page, "Thời điểm kết thúc phải sau thời điểm bắt đầu.");

        // No matcher at all: refused, never a silence of everything.
        await Field(page, "silence-duration").FillAsync("2");
        await page.Locator("[data-testid=silence-matcher-district]").SelectOptionAsync(string.Empty);
        await SubmitAndExpectRefusedAsync(page, "không được tạm im lặng toàn bộ");
        Assert.Equal(created, server.Alerts.AllSilences().Count);

        // A valid planned window: tomorrow 22:00 local, 4 h, on Thanh Hà.
        var tomorrow = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Zone).Date.AddDays(1).AddHours(22);
        await page.Locator("[data-testid=silence-matcher-district]").SelectOptionAsync("thanh-ha");
        await Expect(page.Locator("[data-testid=silence-preview]")).Not.ToHaveAttributeAsync("data-devices", "0");
        await Field(page, "silence-start").FillAsync(tomorrow.ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture));
        await page.ClickAsync("[data-testid=silence-duration-4h]");
        await Expect(Field(page, "silence-end")).ToHaveValueAsync(tomorrow.AddHours(4).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture));
        await Field(page, "silence-reason").FillAsync("Bảo trì đường truyền Thanh Hà");
        await page.ClickAsync("[data-testid=silence-submit]");

        var row = page.Locator("[data-testid=silence-row]", new PageLocatorOptions { HasText = "Bảo trì đường truyền Thanh Hà" });
        await Expect(row).ToBeVisibleAsync();
        await Expect(row).ToHaveAttributeAsync("data-status", "scheduled");
        await Expect(row.Locator("[data-testid=silence-matchers]")).ToContainTextAsync("Huyện/thị: Thanh Hà");
        await Expect(page.Locator("[data-testid=silence-error]")).ToHaveCountAsync(0);
        var silence = Assert.Single(server.Alerts.AllSilences().Skip(created));
        Assert.Equal(new DateTimeOffset(tomorrow, TimeSpan.FromHours(7)), silence.StartsAt);
        Assert.Equal(TimeSpan.FromHours(4), silence.EndsAt - silence.StartsAt);
        Assert.Equal("thanh-ha", silence.District);
    }
}
