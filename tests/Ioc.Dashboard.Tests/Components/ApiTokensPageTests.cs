using System.Globalization;
using Bunit;
using Ioc.Dashboard.Api;
using Ioc.Dashboard.Security;
using Ioc.Dashboard.Tests.Shared;
using Ioc.Storage.Operational;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using ApiTokensPage = Ioc.Dashboard.Components.Pages.ApiTokens;

namespace Ioc.Dashboard.Tests.Components;

public sealed class ApiTokensPageTests : IAsyncLifetime
{
    private readonly DashboardTestContext _ctx = new();

    public ApiTokensPageTests()
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("vi-VN");
        _ctx.Services.AddSingleton(sp => sp.GetRequiredService<IOperationalStore>().ApiTokens);
        _ctx.Services.AddSingleton<ApiTokenService>();
    }

    [Fact]
    public async Task Create_AsAdmin_ShowsTheTokenOnceWhichVerifiesWithItsRoleAndAudits()
    {
        // Arrange
        _ctx.SignInAs("admin", Roles.Admin);
        var page = _ctx.Render<ApiTokensPage>();

        // Act
        page.Find("[data-testid=api-token-name]").Change("Grafana Sở TT&TT");
        await page.Find("[data-testid=api-token-create]").ClickAsync(new());

        // Assert: shown once, in Vietnamese, and it is a working viewer token.
        var secret = page.WaitForElement("[data-testid=api-token-secret-value]").TextContent;
        Assert.Contains("chỉ hiển thị lúc này", page.Find("[data-testid=api-token-secret]").TextContent, StringComparison.Ordinal);
        var store = _ctx.Services.GetRequiredService<IApiTokenStore>();
        var token = await store.VerifyAsync(secret, CancellationToken.None);
        Assert.Equal(("Grafana Sở TT&TT", Roles.Viewer, "admin"), (token?.Name, token?.Role, token?.CreatedBy));
        var row = Assert.Single(page.FindAll("[data-testid=api-token-row]"));
        Assert.DoesNotContain(secret, page.Find("[data-testid=api-token-list]").TextContent, StringComparison.Ordinal);
        Assert.Contains(token!.Prefix, row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Xem (lãnh đạo)", row.TextContent, StringComparison.Ordinal);
        var audit = await _ctx.Services.GetRequiredService<IAuditStore>().ListAsync(10, "admin", CancellationToken.None);
        Assert.Contains(audit, e => e.Action == "api-token.create" && e.Target.Contains("Grafana", StringComparison.Ordinal) && e.Allowed);

        // Revoked: the token stops working, the row says so, the secret is gone from the page.
        await page.Find("[data-testid=api-token-revoke]").ClickAsync(new());
        Assert.Null(await store.VerifyAsync(secret, CancellationToken.None));
        page.WaitForAssertion(() => Assert.Contains("Đã thu hồi", page.Find("[data-testid=api-token-row]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=api-token-secret]"));
        audit = await _ctx.Services.GetRequiredService<IAuditStore>().ListAsync(10, "admin", CancellationToken.None);
        Assert.Contains(audit, e => e.Action == "api-token.revoke" && e.Allowed);
    }

    [Fact]
    public async Task Create_AsOperator_IsRefusedAndAudited()
    {
        // Arrange: a stale page of a user whose role was lowered to operator.
        _ctx.SignInAs("op1", Roles.Operator);
        var page = _ctx.Render<ApiTokensPage>();

        // Act
        page.Find("[data-testid=api-token-name]").Change("script");
        await page.Find("[data-testid=api-token-create]").ClickAsync(new());

        // Assert
        page.WaitForElement("[data-testid=api-token-error]");
        Assert.Empty(await _ctx.Services.GetRequiredService<IApiTokenStore>().ListAsync(CancellationToken.None));
        var audit = await _ctx.Services.GetRequiredService<IAuditStore>().ListAsync(10, "op1", CancellationToken.None);
        Assert.Contains(audit, e => e.Action == "api-token.create" && !e.Allowed);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _ctx.DisposeAsync();
}
