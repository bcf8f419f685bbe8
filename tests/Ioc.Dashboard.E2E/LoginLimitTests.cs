using System.Net;
using System.Text.RegularExpressions;
using Ioc.Dashboard.E2E.Shared;
using Ioc.Dashboard.Security;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Ioc.Dashboard.E2E;

/// <summary>
/// Password guessing against the shipped limits (10 login posts a minute per address, 5 failures per address and account):
/// each test speaks from its own loopback address so the per-address limits do not mix.
/// </summary>
[Collection(StrictDashboardCollection.Name)]
public sealed partial class LoginLimitTests(StrictDashboardServer server)
{
    [Fact]
    public async Task Login_EleventhPostInAMinuteFromOneAddress_Is429WithMessage()
    {
        // Arrange
        using var client = new SourceClient(server.BaseUrl, "127.0.0.21");
        using var elsewhere = new SourceClient(server.BaseUrl, "127.0.0.22");
        var token = await client.TokenFromAsync("login");
        var statuses = new List<HttpStatusCode>();

        // Act: a spray over many names, as the attacker did.
        for (var i = 0; i < 10; i++)
        {
            using var attempt = await client.PostFormAsync("account/login", Form(token, $"spray-{i}", "Password123!"));
            statuses.Add(attempt.StatusCode);
        }

        using var eleventh = await client.PostFormAsync("account/login", Form(token, "admin", "Password123!"));
        var body = await eleventh.Content.ReadAsStringAsync();
        using var other = await elsewhere.LoginAsync("op1", DashboardServer.UserPassword);

        // Assert
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Redirect, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, eleventh.StatusCode);
        Assert.True(eleventh.Headers.RetryAfter?.Delta > TimeSpan.Zero, "429 says when to try again");
        Assert.Contains("Đăng nhập quá nhiều lần từ địa chỉ này", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, other.StatusCode);
        Assert.Equal("/overview", other.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Login_LockedRealNameAndUnknownName_AnswerIdentically_RealUserElsewhereStillLogsIn()
    {
        // Arrange
        await server.Services.GetRequiredService<UserStore>().CreateAsync("enum1", "Enum One", Roles.Viewer, DashboardServer.UserPassword, CancellationToken.None);
        using var guesserOfReal = new SourceClient(server.BaseUrl, "127.0.0.31");
        using var guesserOfGhost = new SourceClient(server.BaseUrl, "127.0.0.32");
        using var realUser = new SourceClient(server.BaseUrl, "127.0.0.33");
        var real = new List<string>();
        var ghost = new List<string>();

        // Act: five wrong passwords each, then a sixth try (the right password for the real name).
        for (var i = 0; i < 6; i++)
        {
            var password = i < 5 ? "wrong-password-" + i : DashboardServer.UserPassword;
            real.Add(await AnswerAsync(guesserOfReal, "enum1", password));
            ghost.Add(await AnswerAsync(guesserOfGhost, "enum-ghost", password));
        }

        using var meanwhile = await realUser.LoginAsync("enum1", DashboardServer.UserPassword);
        var audit = await server.Services.GetRequiredService<AuditLog>().ListAsync(50, "enum1", CancellationToken.None);

        // Assert: the same answer every time, for both names, down to the page text; the right password from the locked address is refused.
        Assert.Equal(ghost, real);
        Assert.All(real, a => Assert.Equal("302 /login?error=invalid&returnUrl=%2Foverview | Sai tên đăng nhập hoặc mật khẩu.", a));
        Assert.Equal(HttpStatusCode.Redirect, meanwhile.StatusCode);
        Assert.Equal("/overview", meanwhile.Headers.Location?.OriginalString);
        Assert.Contains(audit, e => e.Detail.StartsWith("LockedOutForSource from 127.0.0.31", StringComparison.Ordinal) && !e.Allowed);
    }

    /// <summary>Status, where it sends the browser, and the message the page then shows.</summary>
    private static async Task<string> AnswerAsync(SourceClient client, string user, string password)
    {
        using var response = await client.LoginAsync(user, password);
        var location = response.Headers.Location?.OriginalString ?? string.Empty;
        var page = location.Length > 0 ? await (await client.GetAsync(location.TrimStart('/'))).Content.ReadAsStringAsync() : string.Empty;
        var error = ErrorParagraph().Match(page).Groups[1].Value;
        return $"{(int)response.StatusCode} {location} | {WebUtility.HtmlDecode(error)}";
    }

    private static Dictionary<string, string> Form(string token, string user, string password) => new()
    {
        ["__RequestVerificationToken"] = token,
        ["userName"] = user,
        ["password"] = password,
        ["returnUrl"] = "/overview",
    };

    [GeneratedRegex("data-testid=\"login-error\"[^>]*>([^<]*)<")]
    private static partial Regex ErrorParagraph();
}
