namespace Ioc.Dashboard.Reports;

/// <summary>Section <c>Ioc:Reports</c>: the monthly report's PDF printer and its e-mail schedule (docs/reports.md).</summary>
public sealed class ReportsOptions
{
    public const string SectionName = "Ioc:Reports";

    /// <summary>The province's name in the report's heading.</summary>
    public string ProvinceVi { get; set; } = "Hải Dương";

    public string ProvinceEn { get; set; } = "Hai Duong";

    /// <summary>
    /// Headless Chromium that prints the PDF. Empty: the first of <c>chromium</c>, <c>chromium-browser</c>,
    /// <c>google-chrome</c> on PATH, and PDF disabled (with a message) when there is none. A path that is set must exist.
    /// </summary>
    public string? ChromiumPath { get; set; }

    /// <summary>How long one PDF may take to print.</summary>
    public TimeSpan PdfTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Who receives the previous month's report by e-mail; none: no mail is sent.</summary>
    public List<string> Recipients { get; set; } = [];

    /// <summary>Day of the month (local time) the mail is sent on or after.</summary>
    public int SendDay { get; set; } = 1;

    /// <summary>Hour (local time, 0–23) on <see cref="SendDay"/> from which the mail is sent.</summary>
    public int SendHour { get; set; } = 7;

    /// <summary>Language of the mailed report.</summary>
    public string MailCulture { get; set; } = "vi-VN";

    /// <summary>How often the scheduler looks whether the month's mail is due.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(5);

    public IEnumerable<string> Validate()
    {
        if (!string.IsNullOrWhiteSpace(ChromiumPath) && !File.Exists(ChromiumPath))
        {
            yield return $"{SectionName}:ChromiumPath '{ChromiumPath}' does not exist: install Chromium (Debian: apt-get install chromium) or leave the key empty (PDF is then printed by chromium on PATH, or disabled).";
        }

        if (PdfTimeout <= TimeSpan.Zero)
        {
            yield return $"{SectionName}:PdfTimeout must be positive (was {PdfTimeout}).";
        }

        if (SendDay is < 1 or > 28)
        {
            yield return $"{SectionName}:SendDay must be 1–28 so that every month has it (was {SendDay}).";
        }

        if (SendHour is < 0 or > 23)
        {
            yield return $"{SectionName}:SendHour must be 0–23 (was {SendHour}).";
        }

        if (MailCulture is not ("vi-VN" or "en-US"))
        {
            yield return $"{SectionName}:MailCulture must be vi-VN or en-US (was '{MailCulture}').";
        }

        if (CheckInterval <= TimeSpan.Zero)
        {
            yield return $"{SectionName}:CheckInterval must be positive (was {CheckInterval}).";
        }

        foreach (var recipient in Recipients.Where(r => !System.Net.Mail.MailAddress.TryCreate(r, out _)))
        {
            yield return $"{SectionName}:Recipients has '{recipient}', which is not an e-mail address.";
        }
    }

    /// <summary>The Chromium to print with: the configured path, else the first known name on PATH; null when there is none.</summary>
    public string? ResolveChromium()
    {
        if (!string.IsNullOrWhiteSpace(ChromiumPath))
        {
            return File.Exists(ChromiumPath) ? ChromiumPath : null;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var name in (string[])["chromium", "chromium-browser", "google-chrome"])
        {
            foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = Path.Combine(dir, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }
}
