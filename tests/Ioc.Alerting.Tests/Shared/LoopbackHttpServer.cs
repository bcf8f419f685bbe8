using System.Net;
using System.Net.Sockets;
using System.Text;
using Ioc.IntegrationTests.Infrastructure;

namespace Ioc.Alerting.Tests.Shared;

/// <summary>
/// A real HTTP endpoint on 127.0.0.1 (HttpListener) on a free port: accepts requests one at a time, reads each body and
/// hands it to <see cref="HandleAsync"/>, which answers. The fakes of outside services (webhooks, Telegram) build on it.
/// </summary>
public abstract class LoopbackHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    protected LoopbackHttpServer()
    {
        Port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The listener was closed under a pending GetContextAsync.
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Answers one request (and closes its response).</summary>
    protected abstract Task HandleAsync(HttpListenerContext context, string body);

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            await HandleAsync(context, await reader.ReadToEndAsync());
        }
    }
}
