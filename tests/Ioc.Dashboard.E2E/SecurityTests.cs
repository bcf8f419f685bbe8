using System.Net;
using System.Text.Json;
using Ioc.Dashboard.E2E.Shared;
using Ioc.Dashboard.Security;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Ioc.Dashboard.E2E;

/// <summary>What an attacker tried, over plain HTTP and in Chromium: headers, sessions after logout, /api answers, redirects, antiforgery.</summary>
[Collection(DashboardCollection.Name)]
public sealed class SecurityTests(DashboardServer server)
{
    public static TheoryData<string, string, int> Responses() => new()
    {
        { "GET", "login", 200 },
        { "GET", "_content/Ioc.Dashboard/dashboard.css", 200 },
        { "GET", "_framework/blazor.web.js", 200 },
        { "GET", "overview", 302 },
        { "GET", "api/uptime.csv", 401 },
        { "GET", "account/culture?culture=en-US&redirectUri=%2Falerts", 302 },
        { "GET", "no-such-file.js", 302 },
        { "POST", "account/login", 400 },
    };

    [Theory]
    [MemberData(nameof(Responses))]
    public async Task Response_PageStaticEndpointOrError_CarriesSecurityHeaders(string method, string path, int status)
    {
        // Arrange
        using var client = new SourceClient(server.BaseUrl);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["userName"] = "admin", ["password"] = "x" });
        }

        // Act
        using var response = await client.SendAsync(request);

        // Assert
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, Header(response, "Content-Security-Policy"));
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Equal(SecurityHeaders.PermissionsPolicy, Header(response, "Permissions-Policy"));
    }

    [Fact]
    public void Cookies_AuthAndAntiforgery_AreSecureWheneverTheRequestIsHttps()
    {
        // Act
        var auth = server.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme);
        var antiforgery = server.Services.GetRequiredService<IOptions<AntiforgeryOptions>>().Value;

        // Assert
        Assert.Equal(CookieSecurePolicy.SameAsRequest, auth.Cookie.SecurePolicy);
        Assert.Equal(CookieSecurePolicy.SameAsRequest, antiforgery.Cookie.SecurePolicy);
        Assert.True(auth.Cookie.HttpOnly);
        Assert.Equal(SameSiteMode.Strict, auth.Cookie.SameSite);
    }

    [Theory]
    [InlineData("api/uptime.csv")]
    [InlineData("api/no-such-endpoint")]
    public async Task Api_WithoutLogin_Answers401Json(string path)
    {
        // Arrange
        using var client = new SourceClient(server.BaseUrl);

        // Act
        using var response = await client.GetAsync(path);

        // Assert
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("unauthorized", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Api_ViewerWithoutExportPermission_Answers403Json()
    {
        // Arrange
        using var client = new SourceClient(server.BaseUrl);
        Assert.Equal(HttpStatusCode.Redirect, (await client.LoginAsync("boss", DashboardServer.UserPassword)).StatusCode);

        // Act
        using var response = await client.GetAsync("api/uptime.csv");

        // Assert
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("forbidden", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString());
    }

    /// <summary>Query-string text as an attacker would send it (already percent-encoded where it is).</summary>
    [Theory]
    [InlineData("/%09/evil.example")]
    [InlineData("/%0A/evil.example")]
    [InlineData("//evil.example")]
    [InlineData("%2F%2Fevil.example")]
    [InlineData("/%5Cevil.example")]
    [InlineData("%2F%5Cevil.example")]
    [InlineData("/%252F%252Fevil.example")]
    [InlineData("/%2F/evil.example")]
    [InlineData("/%255C/evil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("https%3A%2F%2Fevil.example%2F")]
    [InlineData("javascript:alert(1)")]
    [InlineData("/%0D%0ASet-Cookie:%20x=1")]
    [InlineData("/%00")]
    [InlineData("%20//evil.example")]
    [InlineData("")]
    public async Task Culture_HostileRedirectUri_RedirectsToRoot(string redirectUri)
    {
        // Arrange
        using var client = new SourceClient(server.BaseUrl);

        // Act
        using var response = await client.GetAsync($"account/culture?culture=vi-VN&redirectUri={redirectUri}");

        // Assert
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Culture_LocalRedirectUriWithQuery_IsKept()
    {
        // Arrange
        using var client = new SourceClient(server.BaseUrl);

        // Act
        using var response = await client.GetAsync("account/culture?culture=en-US&redirectUri=" + Uri.EscapeDataString("/login?returnUrl=%2Falerts"));

        // Assert
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/login?returnUrl=%2Falerts", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Logout_CookieCopiedBefore_NoLongerOpensAnything()
    {
        // Arrange
        await server.Services.GetRequiredService<UserStore>().CreateAsync("replay-admin", "Replay", Roles.Admin, DashboardServer.UserPassword, CancellationToken.None);
        using var browser = new SourceClient(server.BaseUrl);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.LoginAsync("replay-admin", DashboardServer.UserPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("admin/users")).StatusCode);
        var stolen = browser.Cookies.GetCookies(browser.BaseAddress)["ioc.auth"]!.Value;
        var token = await browser.TokenFromAsync("overview");

        // Act
        using var logout = await browser.PostFormAsync("account/logout", new Dictionary<string, string> { ["__RequestVerificationToken"] = token });
        using var attacker = new SourceClient(server.BaseUrl, "127.0.0.9");
        attacker.Cookies.Add(attacker.BaseAddress, new System.Net.Cookie("ioc.auth", stolen));
        using var page = await attacker.GetAsync("admin/users");
        using var api = await attacker.GetAsync("api/uptime.csv");

        // Assert
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login", page.Headers.Location!.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }

    [Fact]
    public async Task OpenPage_UserLoggedOutElsewhere_LeavesForTheLoginPage()
    {
        // Arrange: the same user in Chromium (a live circuit) and in another client.
        await server.Services.GetRequiredService<UserStore>().CreateAsync("circuit1", "Circuit", Roles.Viewer, DashboardServer.UserPassword, CancellationToken.None);
        await using var context = await server.NewContextAsync();
        var page = await DashboardServer.LoginAsync(context, "circuit1", DashboardServer.UserPassword, "overview");
        using var other = new SourceClient(server.BaseUrl, "127.0.0.10");
        Assert.Equal(HttpStatusCode.Redirect, (await other.LoginAsync("circuit1", DashboardServer.UserPassword)).StatusCode);
        var token = await other.TokenFromAsync("overview");

        // Act
        using var logout = await other.PostFormAsync("account/logout", new Dictionary<string, string> { ["__RequestVerificationToken"] = token });

        // Assert: the open page re-checks its session (every second here) and leaves.
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        await page.WaitForURLAsync("**/login**", new PageWaitForURLOptions { Timeout = 10_000 });
        await Expect(page.Locator("[data-testid=login-form]")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Login_PostWithoutAntiforgeryToken_IsRefused()
    {
        // Arrange
        using var client = new SourceClient(server.BaseUrl);
        await client.GetAsync("login");

        // Act
        using var response = await client.PostFormAsync("account/login", new Dictionary<string, string>
        {
            ["userName"] = "admin",
            ["password"] = DashboardServer.AdminPassword,
            ["returnUrl"] = "/",
        });

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(client.Cookies.GetCookies(client.BaseAddress)["ioc.auth"]);
    }

    [Fact]
    public async Task Logout_PostWithoutAntiforgeryToken_IsRefusedAndSessionLives()
    {
        // Arrange
        using var client = new SourceClient(server.BaseUrl);
        Assert.Equal(HttpStatusCode.Redirect, (await client.LoginAsync("eng1", DashboardServer.UserPassword)).StatusCode);

        // Act
        using var response = await client.PostFormAsync("account/logout", new Dictionary<string, string>());
        using var after = await client.GetAsync("uptime");

        // Assert
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task LoginAndLogout_InChromium_NoCspViolationAndLogoutEndsTheSession()
    {
        // Arrange
        await using var context = await server.NewContextAsync();
        var csp = await CspWatch.AttachAsync(context);
        var page = await DashboardServer.LoginAsync(context, "op1", DashboardServer.UserPassword, "alerts");
        await page.WaitForSelectorAsync("[data-testid=alert-row]");

        // Act
        await page.ClickAsync("[data-testid=logout]");
        // The logout post lands on /login; the circuit's own re-check may get there first with ?returnUrl=.
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/login");
        var back = await page.GotoAsync("alerts");

        // Assert
        Assert.NotNull(back);
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
        await Expect(page.Locator("[data-testid=login-form]")).ToBeVisibleAsync();
        Assert.Empty(csp.Violations);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(", ", values) : null;
}
