using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Ioc.Alerting.Tests.Shared;

/// <summary>A tiny SMTP server on a TcpListener (127.0.0.1): enough of RFC 5321 for System.Net.Mail, with scripted temporary failures.</summary>
public sealed partial class TestSmtpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _failuresLeft;

    public TestSmtpServer()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public ConcurrentQueue<ReceivedMail> Messages { get; } = new();

    /// <summary>Answer the next <paramref name="count"/> MAIL FROM commands with 451 (try again later).</summary>
    public void FailNext(int count) => _failuresLeft = count;

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Stopped under a pending accept.
        }
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 test.local ESMTP");
        string? from = null;
        var to = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            var command = line.Length >= 4 ? line[..4].ToUpperInvariant() : line.ToUpperInvariant();
            switch (command)
            {
                case "EHLO":
                case "HELO":
                    await writer.WriteLineAsync("250 test.local");
                    break;
                case "MAIL":
                    if (Interlocked.Decrement(ref _failuresLeft) >= 0)
                    {
                        await writer.WriteLineAsync("451 4.3.0 Mail server temporarily unavailable");
                        break;
                    }

                    from = line[(line.IndexOf(':') + 1)..].Trim(' ', '<', '>');
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "RCPT":
                    to.Add(line[(line.IndexOf(':') + 1)..].Trim(' ', '<', '>'));
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "DATA":
                    await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync() is { } dataLine && dataLine != ".")
                    {
                        data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                    }

                    Messages.Enqueue(Parse(from ?? string.Empty, [.. to], data.ToString()));
                    to.Clear();
                    await writer.WriteLineAsync("250 OK queued");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 Bye");
                    return;
                default:
                    await writer.WriteLineAsync("250 OK");
                    break;
            }
        }
    }

    private static ReceivedMail Parse(string from, string[] to, string raw)
    {
        var split = raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var headerText = Regex.Replace(raw[..split], "\r\n[ \t]+", " ");
        var headers = headerText.Split("\r\n").Select(h => h.Split(':', 2)).Where(p => p.Length == 2)
            .GroupBy(p => p[0].Trim(), StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First()[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var body = raw[(split + 4)..];
        if (headers.TryGetValue("Content-Transfer-Encoding", out var encoding) && encoding.Equals("base64", StringComparison.OrdinalIgnoreCase))
        {
            body = Encoding.UTF8.GetString(Convert.FromBase64String(body.Replace("\r\n", string.Empty)));
        }

        var subject = EncodedWord().Replace(headers.GetValueOrDefault("Subject") ?? string.Empty, m =>
            m.Groups[2].Value.Equals("B", StringComparison.OrdinalIgnoreCase)
                ? Encoding.UTF8.GetString(Convert.FromBase64String(m.Groups[3].Value))
                : m.Groups[3].Value.Replace('_', ' '));
        return new ReceivedMail(from, to, Regex.Replace(subject, @"\?=\s+=\?", string.Empty), body, headers);
    }

    [GeneratedRegex(@"=\?([^?]+)\?([BbQq])\?([^?]*)\?=\s*")]
    private static partial Regex EncodedWord();

    public sealed record ReceivedMail(string From, string[] To, string Subject, string Body, IReadOnlyDictionary<string, string> Headers);
}
