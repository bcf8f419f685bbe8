using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Ioc.Alerting.Tests.Shared;

/// <summary>A real HTTP endpoint on 127.0.0.1 (HttpListener) that answers with scripted status codes and records what it got.</summary>
public sealed class TestWebhookServer : LoopbackHttpServer
{
    private readonly ConcurrentQueue<int> _script = new();

    public string Url(string path) => $"http://127.0.0.1:{Port}/{path.TrimStart('/')}";

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    /// <summary>A JSON body for every answer (e.g. Zalo's <c>{"error": 0, …}</c>); none when null.</summary>
    public string? ResponseBody { get; set; }

    /// <summary>Status codes for the next requests, in order; after them every request gets 200.</summary>
    public void Answer(params int[] statuses)
    {
        foreach (var status in statuses)
        {
            _script.Enqueue(status);
        }
    }

    protected override async Task HandleAsync(HttpListenerContext context, string body)
    {
        var headers = context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k] ?? string.Empty, StringComparer.OrdinalIgnoreCase);
        var status = _script.TryDequeue(out var scripted) ? scripted : 200;
        Received.Enqueue(new ReceivedRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, headers, body, status));
        context.Response.StatusCode = status;
        if (ResponseBody is { } answer)
        {
            var bytes = Encoding.UTF8.GetBytes(answer);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
        }

        context.Response.Close();
    }

    public sealed record ReceivedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body, int AnsweredWith);
}
