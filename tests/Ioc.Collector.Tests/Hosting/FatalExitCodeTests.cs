using Ioc.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Ioc.Collector.Tests.Hosting;

/// <summary>
/// A host built with <see cref="ServiceDefaultsExtensions.AddIocServiceDefaults"/> (as the collector's Program is) stops
/// when a BackgroundService fails, and then the process must exit non-zero so a supervisor sees a crash, not a clean
/// stop. These tests read and restore the process-wide <see cref="Environment.ExitCode"/>; nothing else here touches it.
/// </summary>
public class FatalExitCodeTests
{
    [Fact]
    public async Task FailingBackgroundService_StopsTheHost_AndSetsExitCodeOne()
    {
        var before = Environment.ExitCode;
        try
        {
            Environment.ExitCode = 0;
            using var host = BuildHost<FailsAfterStarting>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

            await host.RunAsync(timeout.Token);

            Assert.False(timeout.IsCancellationRequested, "the host did not stop by itself after the service failed");
            Assert.Equal(1, Environment.ExitCode);
        }
        finally
        {
            Environment.ExitCode = before;
        }
    }

    [Fact]
    public async Task HostStoppedNormally_LeavesExitCodeZero()
    {
        var before = Environment.ExitCode;
        try
        {
            Environment.ExitCode = 0;
            using var host = BuildHost<RunsUntilStopped>();

            await host.StartAsync();
            await host.StopAsync();

            Assert.Equal(0, Environment.ExitCode);
        }
        finally
        {
            Environment.ExitCode = before;
        }
    }

    private static IHost BuildHost<TService>()
        where TService : class, IHostedService
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.AddIocServiceDefaults();
        builder.Services.AddHostedService<TService>();
        return builder.Build();
    }

    private sealed class FailsAfterStarting : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            // After the first await: the case where StopHost used to end in a clean exit code 0.
            await Task.Yield();
            throw new InvalidOperationException("fatal error planted by the test");
        }
    }

    private sealed class RunsUntilStopped : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.Delay(Timeout.Infinite, stoppingToken);
    }
}
