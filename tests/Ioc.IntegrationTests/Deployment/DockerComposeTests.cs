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
        ["MQTT_COLLECTOR_PASSWORD"] = "test-secret",
        ["MQTT_ENGINE_PASSWORD"] = "test-secret",
        ["MQTT_DASHBOARD_PASSWORD"] = "test-secret",
        ["MQTT_SIMULATORS_PASSWORD"] = "test-secret",
        ["POSTGRES_PASSWORD"] = "test-secret",
        ["INFLUXDB_ADMIN_USER"] = "admin",
        ["INFLUXDB_ADMIN_PASSWORD"] = "test-secret",
        ["INFLUXDB_TOKEN"] = "test-token",
        ["IOC_ADMIN_PASSWORD"] = "test-secret",
        ["IOC_ALERT_COMMAND_TOKEN"] = "test-command-token-0123456789",
    };

    [Fact]
    public async Task Config_WithSecrets_IsValidAndHasEveryService()
    {
        var (code, output) = await ComposeConfigAsync(Secrets);

        Assert.True(code == 0, output);
        foreach (var service in new[] { "mosquitto:", "influxdb:", "postgres:", "collector-1:", "collector-2:", "dashboard:", "simulators:" })
        {
            Assert.Contains(service, output, StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// The production topology has no single process in disguise: no named volume is mounted by two services (each
    /// collector has its own spool, the dashboard shares nothing with them), and every server has a health check.
    /// </summary>
    [Fact]
    public async Task Config_SharesNoVolumeBetweenServices_AndChecksTheHealthOfEveryServer()
    {
        var (code, output) = await ComposeConfigAsync(Secrets);
        Assert.True(code == 0, output);

        var services = ServicesOf(output);
        var owners = services
            .SelectMany(service => service.Value.Volumes.Select(volume => (Volume: volume, Service: service.Key)))
            .GroupBy(v => v.Volume)
            .ToDictionary(g => g.Key, g => g.Select(v => v.Service).ToList());
        Assert.All(owners, pair => Assert.True(pair.Value.Count == 1, $"volume {pair.Key} is shared by {string.Join(", ", pair.Value)}"));
        Assert.Contains("collector-1-data", owners.Keys);
        Assert.Contains("collector-2-data", owners.Keys);
        foreach (var server in new[] { "mosquitto", "influxdb", "postgres", "collector-1", "collector-2", "dashboard" })
        {
            Assert.True(services[server].HasHealthCheck, $"{server} has no healthcheck");
        }
    }

    private static Dictionary<string, (List<string> Volumes, bool HasHealthCheck)> ServicesOf(string config)
    {
        // The normalized output of `docker-compose config`: services at two spaces, their keys at four, list items at four.
        var services = new Dictionary<string, (List<string> Volumes, bool HasHealthCheck)>();
        string? service = null;
        var inServices = false;
        var inVolumes = false;
        foreach (var line in config.Split('\n'))
        {
            if (line.Trim().Length == 0)
            {
                continue; // inside a multi-line string
            }

            if (!line.StartsWith(' '))
            {
                inServices = line.StartsWith("services:", StringComparison.Ordinal);
                service = null;
                continue;
            }

            if (!inServices)
            {
                continue;
            }

            if (ServiceLine().Match(line) is { Success: true } name)
            {
                service = name.Groups[1].Value;
                services[service] = ([], false);
                continue;
            }

            if (service is null)
            {
                continue;
            }

            if (line.StartsWith("    healthcheck:", StringComparison.Ordinal))
            {
                services[service] = (services[service].Volumes, true);
            }

            if (line.StartsWith("    volumes:", StringComparison.Ordinal))
            {
                inVolumes = true;
                continue;
            }

            if (inVolumes && NamedVolumeLine().Match(line) is { Success: true } volume)
            {
                services[service].Volumes.Add(volume.Groups[1].Value);
                continue;
            }

            inVolumes = inVolumes && line.StartsWith("    - ", StringComparison.Ordinal);
        }

        return services;
    }

    /// <summary>
    /// Devices that speak only syslog reach every collector: each listens on UDP and TCP and publishes that port on the
    /// host under a port of its own (two collectors on one host cannot share one).
    /// </summary>
    [Fact]
    public async Task Config_EveryCollector_PublishesItsSyslogListener()
    {
        var (code, output) = await ComposeConfigAsync(Secrets);
        Assert.True(code == 0, output);

        var published = new HashSet<string>(StringComparer.Ordinal);
        foreach (var collector in new[] { "collector-1", "collector-2" })
        {
            var lines = output.Split('\n').SkipWhile(l => l != $"  {collector}:").Skip(1).TakeWhile(l => l.StartsWith("   ", StringComparison.Ordinal) || l.Length == 0).ToList();
            var udp = lines.Single(l => l.Trim().StartsWith("Ioc__Syslog__Udp:", StringComparison.Ordinal)).Split(':').Last().Trim();
            var tcp = lines.Single(l => l.Trim().StartsWith("Ioc__Syslog__Tcp:", StringComparison.Ordinal)).Split(':').Last().Trim();
            var ports = PortEntries(lines);
            foreach (var (protocol, target) in new[] { ("udp", udp), ("tcp", tcp) })
            {
                var entry = ports.SingleOrDefault(p => p.Protocol == protocol && p.Target == target);
                Assert.True(entry != default, $"{collector} listens for syslog on {protocol} {target} but does not publish it");
                Assert.True(published.Add($"{protocol}/{entry.Published}"), $"{collector} publishes {protocol} {entry.Published}, which another collector publishes too");
            }
        }
    }

    /// <summary>The <c>ports:</c> entries of one service in the normalized output: protocol, published and target port.</summary>
    private static List<(string Protocol, string Published, string Target)> PortEntries(List<string> serviceLines)
    {
        var entries = new List<(string Protocol, string Published, string Target)>();
        var inPorts = false;
        var current = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in serviceLines.Append("    end:"))
        {
            if (line == "    ports:")
            {
                inPorts = true;
                continue;
            }

            if (!inPorts)
            {
                continue;
            }

            if (line.StartsWith("    - ", StringComparison.Ordinal) || !line.StartsWith("      ", StringComparison.Ordinal))
            {
                if (current.Count > 0)
                {
                    entries.Add((current.GetValueOrDefault("protocol", "tcp"), current.GetValueOrDefault("published", string.Empty), current.GetValueOrDefault("target", string.Empty)));
                    current.Clear();
                }

                if (!line.StartsWith("    - ", StringComparison.Ordinal))
                {
                    break;
                }
            }

            var pair = line.TrimStart(' ', '-').Split(':', 2);
            if (pair.Length == 2)
            {
                current[pair[0].Trim()] = pair[1].Trim().Trim('\'', '"');
            }
        }

        return entries;
    }

    [Fact]
    public async Task Config_WithoutSecrets_IsRefused()
    {
        var (code, output) = await ComposeConfigAsync(new Dictionary<string, string>());

        Assert.NotEqual(0, code);
        Assert.Matches("set [A-Z_]+ in .env", output);
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

    /// <summary>
    /// Every <c>Ioc__…</c> key the compose file sets names a real setting: an options class with that section, and a
    /// property (or nested property, or dictionary entry) for the rest of the path. A typo would be ignored at run time.
    /// </summary>
    [Fact]
    public void EveryIocKey_InTheComposeFile_ExistsInTheCode()
    {
        var compose = File.ReadAllText(Path.Combine(Root, "docker-compose.yml"));
        var keys = IocKeyPattern().Matches(compose).Select(m => m.Groups[1].Value.Replace("__", ":", StringComparison.Ordinal)).Distinct().ToList();
        var sections = OptionSections();

        Assert.True(keys.Count >= 10, $"expected the compose file to configure the services through Ioc__ keys, found {keys.Count}");
        var unknown = keys.Where(key => !Resolves(key, sections)).ToList();
        Assert.True(unknown.Count == 0, "keys in docker-compose.yml that no options class has: " + string.Join(", ", unknown));
    }

    /// <summary>Every component name given to AddMqttConnection: the <c>MqttComponent</c> constants.</summary>
    private static readonly Lazy<HashSet<string>> MqttComponents = new(() => OptionSections().Values.SelectMany(t => t).Select(t => t.Assembly)
        .Concat(AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name?.StartsWith("Ioc.", StringComparison.Ordinal) == true))
        .Distinct()
        .SelectMany(a => a.GetTypes())
        .Select(t => t.GetField("MqttComponent", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static))
        .Where(f => f is { IsLiteral: true })
        .Select(f => (string)f!.GetRawConstantValue()!)
        .ToHashSet(StringComparer.OrdinalIgnoreCase));

    private static Dictionary<string, List<Type>> OptionSections()
    {
        // Every Ioc assembly the hosts load (the all-in-one references them all, the collector host is built beside it).
        var assemblies = new[]
        {
            typeof(Ioc.AllInOne.AllInOneExtensions).Assembly,
            typeof(Ioc.Collector.CollectorExtensions).Assembly,
            typeof(Ioc.Alerting.Hosting.AlertingOptions).Assembly,
            typeof(Ioc.Dashboard.DashboardExtensions).Assembly,
            typeof(Ioc.Simulators.Hosting.SimulatorOptions).Assembly,
            typeof(Ioc.Storage.StorageOptions).Assembly,
            typeof(Ioc.Contract.ContractOptions).Assembly,
            typeof(Ioc.Mqtt.MqttConnectionOptions).Assembly,
        }.Concat(AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name?.StartsWith("Ioc.", StringComparison.Ordinal) == true)).Distinct();
        var sections = new Dictionary<string, List<Type>>(StringComparer.OrdinalIgnoreCase);
        foreach (var type in assemblies.SelectMany(a => a.GetTypes()))
        {
            if (type.GetField("SectionName", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static) is { IsLiteral: true } field
                && field.GetRawConstantValue() is string name)
            {
                (sections.TryGetValue(name, out var types) ? types : sections[name] = []).Add(type);
            }
        }

        return sections;
    }

    private static bool Resolves(string key, Dictionary<string, List<Type>> sections)
    {
        // Ioc:Mqtt:{Component}:{Key} overrides Ioc:Mqtt:{Key} for one component (MqttConnectionRegistration).
        var mqtt = Ioc.Mqtt.MqttConnectionOptions.SectionName + ":";
        if (key.StartsWith(mqtt, StringComparison.OrdinalIgnoreCase) && key[mqtt.Length..].Split(':') is [var component, var rest]
            && MqttComponents.Value.Contains(component))
        {
            return Resolves(typeof(Ioc.Mqtt.MqttConnectionOptions), rest);
        }

        var section = sections.Keys.Where(s => key.StartsWith(s + ":", StringComparison.OrdinalIgnoreCase)).OrderByDescending(s => s.Length).FirstOrDefault();
        return section is not null && sections[section].Any(type => Resolves(type, key[(section.Length + 1)..]));
    }

    private static bool Resolves(Type type, string path)
    {
        foreach (var segment in path.Split(':'))
        {
            if (type.IsGenericType && type.GetGenericArguments() is [var keyType, var valueType] && keyType == typeof(string))
            {
                type = valueType; // a dictionary entry: any name
                continue;
            }

            var property = type.GetProperty(segment, System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase);
            if (property is null || !property.CanWrite)
            {
                return false;
            }

            type = property.PropertyType;
        }

        return true;
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

    [GeneratedRegex(@"^  ([a-z0-9-]+):$")]
    private static partial Regex ServiceLine();

    /// <summary>A named volume (not a bind mount, which starts with / or .).</summary>
    [GeneratedRegex(@"^    - ([a-z0-9][a-z0-9_-]*):/")]
    private static partial Regex NamedVolumeLine();

    [GeneratedRegex(@"\b(Ioc__[A-Za-z0-9_]+)\s*:")]
    private static partial Regex IocKeyPattern();

    [GeneratedRegex(@"dotnet publish (\S+)")]
    private static partial Regex PublishPattern();
}
