using System.Diagnostics;
using System.Text.RegularExpressions;
using Ioc.IntegrationTests.Infrastructure;

namespace Ioc.IntegrationTests.Deployment;

/// <summary>docker-compose.yml stays valid (checked by Debian's docker-compose, which needs no engine) and buildable.</summary>
public partial class DockerComposeTests
{
    private static readonly string Root = RepositoryRoot.Path;

    private static readonly Dictionary<string, string> Secrets = new()
    {
        ["MQTT_USERNAME"] = "ioc",
        ["MQTT_PASSWORD"] = "test-secret",
        ["INFLUXDB_ADMIN_USER"] = "admin",
        ["INFLUXDB_ADMIN_PASSWORD"] = "test-secret",
        ["INFLUXDB_TOKEN"] = "test-token",
        ["IOC_ADMIN_PASSWORD"] = "test-secret",
    };

    [Fact]
    public async Task Config_WithSecrets_IsValidAndHasEveryService()
    {
        var (code, output) = await ComposeConfigAsync(Secrets);

        Assert.True(code == 0, output);
        foreach (var service in new[] { "mosquitto:", "influxdb:", "collector:", "dashboard:", "simulators:" })
        {
            Assert.Contains(service, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Config_WithoutSecrets_IsRefused()
    {
        var (code, output) = await ComposeConfigAsync(new Dictionary<string, string>());

        Assert.NotEqual(0, code);
        Assert.Contains("set MQTT_USERNAME in .env", output, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryDockerfile_PublishesAProjectThatExists()
    {
        var compose = File.ReadAllText(Path.Combine(Root, "docker-compose.yml"));
        var dockerfiles = DockerfilePattern().Matches(compose).Select(m => m.Groups[1].Value).ToList();

        Assert.NotEmpty(dockerfiles);
        foreach (var dockerfile in dockerfiles)
        {
            var text = File.ReadAllText(Path.Combine(Root, dockerfile));
            var project = PublishPattern().Match(text).Groups[1].Value;
            Assert.True(Directory.Exists(Path.Combine(Root, project)), $"{dockerfile} publishes missing project {project}");
        }
    }

    private static async Task<(int Code, string Output)> ComposeConfigAsync(Dictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("docker-compose", "-f docker-compose.yml config")
        {
            WorkingDirectory = Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var key in Secrets.Keys)
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("docker-compose did not start; run the README's test command, which installs it");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    [GeneratedRegex(@"dockerfile:\s*(\S+)")]
    private static partial Regex DockerfilePattern();

    [GeneratedRegex(@"dotnet publish (\S+)")]
    private static partial Regex PublishPattern();
}
