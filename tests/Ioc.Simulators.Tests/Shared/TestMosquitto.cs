using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MQTTnet;
using MQTTnet.Protocol;
using Ioc.IntegrationTests.Infrastructure;

namespace Ioc.Simulators.Tests.Shared;

/// <summary>
/// A real Mosquitto on a free 127.0.0.1 port in a temp directory: the production broker, so that behaviour such as
/// last wills is checked on it as well as on MQTTnet's embedded server.
/// </summary>
internal sealed class TestMosquitto : IAsyncDisposable
{
    private const string Executable = "/usr/sbin/mosquitto";
    private readonly Process _process;
    private readonly string _directory;

    private TestMosquitto(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public static async Task<TestMosquitto> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("ioc-sim-mosquitto-").FullName;
        var port = FreePort.Next();
        var config = Path.Combine(directory, "mosquitto.conf");
        await File.WriteAllTextAsync(config, $"listener {port} 127.0.0.1\nallow_anonymous true\nuser root\nlog_dest stderr\nmax_inflight_messages 0\n");
        var process = Process.Start(new ProcessStartInfo(Executable, ["-c", config]) { RedirectStandardError = true, UseShellExecute = false })
            ?? throw new InvalidOperationException("mosquitto did not start");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        var broker = new TestMosquitto(process, directory, port);
        await TestBroker.WaitUntilAsync(() => Task.FromResult(CanConnect(port)), TimeSpan.FromSeconds(10), $"mosquitto on port {port}");
        return broker;
    }

    /// <summary>Subscribes to <paramref name="filter"/> and collects what arrives (retained messages first).</summary>
    public async Task<(IMqttClient Client, ConcurrentQueue<(string Topic, string Payload)> Received)> SubscribeAsync(string filter)
    {
        var factory = new MqttClientFactory();
        var client = factory.CreateMqttClient();
        var received = new ConcurrentQueue<(string, string)>();
        client.ApplicationMessageReceivedAsync += e =>
        {
            received.Enqueue((e.ApplicationMessage.Topic, System.Text.Encoding.UTF8.GetString(e.ApplicationMessage.Payload.ToArray())));
            return Task.CompletedTask;
        };
        await client.ConnectAsync(factory.CreateClientOptionsBuilder().WithTcpServer("127.0.0.1", Port).WithClientId("observer-" + Guid.NewGuid().ToString("N")[..8]).Build());
        await client.SubscribeAsync(factory.CreateSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build());
        return (client, received);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private static bool CanConnect(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
