using System.Diagnostics;

namespace Ioc.IntegrationTests.Infrastructure;

/// <summary>POSIX signals to a server under test (<c>/bin/kill -SIG pid</c>): TERM for an orderly stop, STOP/CONT to freeze and thaw.</summary>
public static class Signals
{
    public static async Task SendAsync(int processId, string signal)
    {
        var info = new ProcessStartInfo("/bin/kill", $"-{signal} {processId}") { RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("kill did not start");
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {processId} exited {process.ExitCode}: {error}");
        }
    }
}
