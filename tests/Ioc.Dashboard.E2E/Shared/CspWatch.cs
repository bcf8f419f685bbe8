using Microsoft.Playwright;

namespace Ioc.Dashboard.E2E.Shared;

/// <summary>
/// Collects Content-Security-Policy violations in a browser context: the page's <c>securitypolicyviolation</c> events (an
/// init script, which CSP does not block) and console messages that mention the policy.
/// </summary>
public sealed class CspWatch
{
    private readonly List<string> _violations = [];
    private readonly Lock _gate = new();

    private CspWatch()
    {
    }

    public static async Task<CspWatch> AttachAsync(IBrowserContext context)
    {
        var watch = new CspWatch();
        await context.ExposeFunctionAsync("__iocCspViolation", (string text) => watch.Add("event: " + text));
        await context.AddInitScriptAsync(
            "document.addEventListener('securitypolicyviolation', e => window.__iocCspViolation(`${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`));");
        context.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                watch.Add("console: " + message.Text);
            }
        };
        return watch;
    }

    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_gate)
            {
                return [.. _violations];
            }
        }
    }

    private void Add(string text)
    {
        lock (_gate)
        {
            _violations.Add(text);
        }
    }
}
