using System.Diagnostics;

namespace Ioc.IntegrationTests.Infrastructure;

/// <summary>Runs Debian's mosquitto_pub, the way an operator or a shell script would publish.</summary>
public static class MosquittoPub
{
    public const string Executable = "/usr/bin/mosquitto_pub";

    /// <summary>Publishes each line of <paramref name="lines"/> as one QoS 1 message to <paramref name="topic"/>.</summary>
    public static async Task PublishLinesAsync(int port, string topic, IEnumerable<string> lines)
    {
        var info = new ProcessStartInfo(Executable, $"-h 127.0.0.1 -p {port} -q 1 -i pub-{Guid.NewGuid():N} -t {topic} -l")
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("mosquitto_pub did not start");
        foreach (var line in lines)
        {
            await process.StandardInput.WriteLineAsync(line);
        }

        process.StandardInput.Close();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"mosquitto_pub exited {process.ExitCode}: {error}");
        }
    }

    public static Task PublishAsync(int port, string topic, string payload) => PublishLinesAsync(port, topic, [payload]);
}
