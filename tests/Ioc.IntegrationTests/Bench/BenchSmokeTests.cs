using System.Diagnostics;
using Ioc.IntegrationTests.Infrastructure;

namespace Ioc.IntegrationTests.Bench;

/// <summary>The bench's smoke mode on every CI run, so that the bench cannot rot between the times someone measures.</summary>
public class BenchSmokeTests
{
    [Fact]
    public async Task Smoke_RunsEveryNpmFreeBenchPath_AndExitsZero()
    {
        var assembly = HostProcess.HostAssembly("bench/Ioc.Bench");
        Assert.True(File.Exists(assembly), $"{assembly} missing: build the solution first");
        var info = new ProcessStartInfo("dotnet", [assembly, "smoke"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot.Path,
        };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bench smoke did not finish in 3 minutes:\n{await output}\n{await error}");
        }

        var text = await output;
        Assert.True(process.ExitCode == 0, $"bench smoke exited {process.ExitCode}:\n{text}\n{await error}");
        Assert.Contains("CPU-µs per stored message", text, StringComparison.Ordinal);
        Assert.Contains("smoke: ok", text, StringComparison.Ordinal);
    }
}
