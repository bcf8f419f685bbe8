using System.Globalization;
using Bunit;
using Ioc.Dashboard.Security;
using Ioc.Dashboard.Tests.Shared;
using Ioc.Storage.Operational;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using DeviceCredentialsPage = Ioc.Dashboard.Components.Pages.DeviceCredentials;

namespace Ioc.Dashboard.Tests.Components;

public sealed class DeviceCredentialsPageTests : IAsyncLifetime
{
    private readonly DashboardTestContext _ctx = new();

    public DeviceCredentialsPageTests()
    {
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = new CultureInfo("en-US");
    }

    [Fact]
    public async Task Issue_AsAdmin_ShowsTheSecretOnceWhichVerifiesAndAudits()
    {
        // Arrange
        _ctx.SignInAs("admin", Roles.Admin);
        var page = _ctx.Render<DeviceCredentialsPage>();

        // Act
        page.Find("[data-testid=new-device-site]").Change("dc-tinh");
        page.Find("[data-testid=new-device-type]").Change("env-sensor");
        page.Find("[data-testid=new-device-id]").Change("ENV-PAGE");
        await page.Find("[data-testid=new-device-issue]").ClickAsync(new());

        // Assert
        var secret = page.WaitForElement("[data-testid=device-secret] code").TextContent;
        var store = _ctx.Services.GetRequiredService<IDeviceCredentialStore>();
        Assert.Equal(new DeviceIdentity("ENV-PAGE", "dc-tinh", "env-sensor"), await store.VerifyAsync("ENV-PAGE", secret, CancellationToken.None));
        Assert.Single(page.FindAll("[data-testid=device-credential-row]"), r => r.GetAttribute("data-device") == "ENV-PAGE");
        var audit = await _ctx.Services.GetRequiredService<IAuditStore>().ListAsync(10, "admin", CancellationToken.None);
        Assert.Contains(audit, e => e.Action == "device.credential.issue" && e.Target == "ENV-PAGE" && e.Allowed);

        // Revoked: the secret stops working and the row says so.
        await page.Find("[data-testid=device-revoke]").ClickAsync(new());
        Assert.Null(await store.VerifyAsync("ENV-PAGE", secret, CancellationToken.None));
        page.WaitForAssertion(() => Assert.Contains("Revoked", page.Find("[data-testid=device-credential-row]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=device-secret]"));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _ctx.DisposeAsync();
}
