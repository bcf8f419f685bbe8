using Microsoft.Playwright;

namespace Ioc.IntegrationTests.Infrastructure;

/// <summary>
/// Headless Chromium (Debian's <c>/usr/bin/chromium</c>, which Playwright drives as its own build) for one dashboard
/// (the all-in-one's, <see cref="AllInOneHost.BaseUrl"/>, or a dashboard host process's):
/// each <see cref="LoginAsync"/> opens a fresh browser context, signs in through the login form and waits until the
/// page is interactive. Screenshots go under <see cref="Artifacts"/> (<c>IOC_E2E_ARTIFACTS</c> or <c>artifacts/e2e</c>).
/// </summary>
public sealed class DashboardBrowser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly string _baseUrl;
    private readonly string _password;

    private DashboardBrowser(IPlaywright playwright, IBrowser browser, string baseUrl, string password)
    {
        _playwright = playwright;
        _browser = browser;
        _baseUrl = baseUrl;
        _password = password;
    }

    public static string Artifacts => Environment.GetEnvironmentVariable("IOC_E2E_ARTIFACTS") is { Length: > 0 } dir ? dir : Path.Combine(RepositoryRoot.Path, "artifacts", "e2e");

    /// <param name="baseUrl">The dashboard, with a trailing slash.</param>
    /// <param name="password">Every user's password in the test.</param>
    public static async Task<DashboardBrowser> LaunchAsync(string baseUrl, string password)
    {
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = "/usr/bin/chromium",
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
            return new DashboardBrowser(playwright, browser, baseUrl, password);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>A new context (its own cookies) at the given size, signed in as <paramref name="user"/>, on <paramref name="path"/>.</summary>
    public async Task<IPage> LoginAsync(string user, string path, int width = 1920, int height = 1080, int timeoutMs = 20_000)
    {
        var context = await _browser.NewContextAsync(new() { BaseURL = _baseUrl, ViewportSize = new() { Width = width, Height = height }, Locale = "vi-VN" });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"login?returnUrl={Uri.EscapeDataString("/" + path)}");
        await page.FillAsync("[data-testid=login-user]", user);
        await page.FillAsync("[data-testid=login-password]", _password);
        await page.ClickAsync("[data-testid=login-submit]");
        await page.WaitForSelectorAsync("[data-interactive=yes]", new() { Timeout = timeoutMs });
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
