using System.Net;

namespace Ioc.IntegrationTests.Infrastructure;

/// <summary>
/// A loopback HTTP proxy in front of InfluxDB that answers <c>/write</c> with 500 while <see cref="Failing"/> is set
/// (as an overloaded or broken InfluxDB does) and forwards everything else, and everything once it is cleared.
/// </summary>
public sealed class FailingProxy : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly string _target;
    private readonly Task _loop;
    private int _refused;
    private volatile bool _failing;

    private FailingProxy(string target, int port)
    {
        _target = target.TrimEnd('/');
        Url = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Url + "/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Url { get; }

    /// <summary>While set, <c>/write</c> answers 500.</summary>
    public bool Failing
    {
        get => _failing;
        set => _failing = value;
    }

    public int Refused => Volatile.Read(ref _refused);

    public static FailingProxy Start(string target) => new(target, FreePort.Next());

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
        }

        _http.Dispose();
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
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

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        try
        {
            if (Failing && request.Url!.AbsolutePath == "/write")
            {
                Interlocked.Increment(ref _refused);
                response.StatusCode = 500;
                await response.OutputStream.WriteAsync("{\"error\":\"injected failure\"}"u8.ToArray());
                return;
            }

            using var forward = new HttpRequestMessage(new HttpMethod(request.HttpMethod), _target + request.Url!.PathAndQuery);
            if (request.HasEntityBody)
            {
                using var body = new MemoryStream();
                await request.InputStream.CopyToAsync(body);
                forward.Content = new ByteArrayContent(body.ToArray());
                foreach (var name in new[] { "Content-Type", "Content-Encoding" })
                {
                    if (request.Headers[name] is { } value)
                    {
                        forward.Content.Headers.TryAddWithoutValidation(name, value);
                    }
                }
            }

            if (request.Headers["Authorization"] is { } authorization)
            {
                forward.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            using var answer = await _http.SendAsync(forward);
            response.StatusCode = (int)answer.StatusCode;
            if (answer.Content.Headers.ContentType is { } type)
            {
                response.ContentType = type.ToString();
            }

            await answer.Content.CopyToAsync(response.OutputStream);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or HttpListenerException or TaskCanceledException)
        {
            response.StatusCode = 502;
        }
        finally
        {
            response.Close();
        }
    }
}
