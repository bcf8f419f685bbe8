using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ioc.Dashboard.Reports;

/// <summary>The PDF cannot be printed (no Chromium, or it failed); the message says why and what to do.</summary>
public sealed class ReportPdfUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Prints the report's HTML document to an A4 PDF with headless Chromium (<c>--print-to-pdf</c>, no browser header or
/// footer: the document's own page-margin boxes carry the title and the page numbers). The document is written to a
/// private temporary directory, which Chromium also uses as its profile, and both are deleted after.
/// </summary>
public sealed partial class ReportPdfPrinter(IOptions<ReportsOptions> options, ILogger<ReportPdfPrinter> logger)
{
    /// <summary>The Chromium that will print, or null when PDF is disabled.</summary>
    public string? Chromium => options.Value.ResolveChromium();

    // One Chromium at a time: each print is a browser process (hundreds of MB, a core for seconds); concurrent downloads
    // and API calls queue here instead of starving the dashboard's host.
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public async Task<byte[]> PrintAsync(string html, CancellationToken cancellationToken)
    {
        await _oneAtATime.WaitAsync(cancellationToken);
        try
        {
            return await PrintOneAsync(html, cancellationToken);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private async Task<byte[]> PrintOneAsync(string html, CancellationToken cancellationToken)
    {
        var chromium = Chromium ?? throw new ReportPdfUnavailableException(
            "PDF needs Chromium and none was found (Ioc:Reports:ChromiumPath, or chromium on PATH): install it (Debian: apt-get install chromium fonts-dejavu-core) — see docs/reports.md.");
        var dir = Directory.CreateTempSubdirectory("ioc-report-");
        try
        {
            var input = Path.Combine(dir.FullName, "report.html");
            var output = Path.Combine(dir.FullName, "report.pdf");
            await File.WriteAllTextAsync(input, html, System.Text.Encoding.UTF8, cancellationToken);
            var start = new ProcessStartInfo(chromium)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (var arg in (string[])[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-extensions", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--no-default-browser-check",
                "--mute-audio", "--no-pdf-header-footer", "--run-all-compositor-stages-before-draw",
                $"--user-data-dir={Path.Combine(dir.FullName, "profile")}", $"--print-to-pdf={output}", new Uri(input).AbsoluteUri])
            {
                start.ArgumentList.Add(arg);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.PdfTimeout);
            var watch = Stopwatch.StartNew();
            using var process = Process.Start(start) ?? throw new ReportPdfUnavailableException($"Chromium ({chromium}) did not start.");
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                if (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }

                throw new ReportPdfUnavailableException($"Chromium ({chromium}) did not print the report within {options.Value.PdfTimeout} (Ioc:Reports:PdfTimeout).");
            }

            var errors = await stderr;
            await stdout;
            if (process.ExitCode != 0 || !File.Exists(output) || new FileInfo(output).Length == 0)
            {
                var tail = errors.Length > 600 ? errors[^600..] : errors;
                throw new ReportPdfUnavailableException($"Chromium ({chromium}) exited with {process.ExitCode} without a PDF: {tail.Trim()}");
            }

            var pdf = await File.ReadAllBytesAsync(output, cancellationToken);
            Log.Printed(logger, pdf.Length, watch.ElapsedMilliseconds);
            return pdf;
        }
        finally
        {
            try
            {
                dir.Delete(recursive: true);
            }
            catch (IOException ex)
            {
                Log.CleanupFailed(logger, dir.FullName, ex.Message);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Monthly report PDF printed: {Bytes} bytes in {ElapsedMs} ms")]
        public static partial void Printed(ILogger logger, int bytes, long elapsedMs);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete the report's temporary directory {Directory}: {Error}")]
        public static partial void CleanupFailed(ILogger logger, string directory, string error);
    }
}
