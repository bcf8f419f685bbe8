using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ioc.Alerting.Tests.Shared;

/// <summary>
/// A local stand-in for the Telegram Bot API on 127.0.0.1 (HttpListener): records every <c>sendMessage</c> and answers as
/// Telegram does, <c>{"ok": true, "result": {message}}</c>, or with a scripted failure: flood control (429 with
/// <c>parameters.retry_after</c>) or a blocked bot (403). Never the internet.
/// </summary>
public sealed class TestTelegramApi : LoopbackHttpServer
{
    private readonly ConcurrentQueue<Func<HttpListenerResponse, Task>> _script = new();
    private int _messageId;

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public ConcurrentQueue<SentMessage> Received { get; } = new();

    /// <summary>The next request gets 429 "Too Many Requests: retry after N".</summary>
    public void FloodControl(int retryAfterSeconds) => _script.Enqueue(response => ErrorAsync(
        response,
        429,
        $"Too Many Requests: retry after {retryAfterSeconds}",
        new JsonObject { ["retry_after"] = retryAfterSeconds }));

    /// <summary>The next request gets 403 "Forbidden: bot was blocked by the user".</summary>
    public void BlockedByUser() => _script.Enqueue(response => ErrorAsync(response, 403, "Forbidden: bot was blocked by the user", null));

    protected override async Task HandleAsync(HttpListenerContext context, string body)
    {
        var path = context.Request.Url!.AbsolutePath;
        var slash = path.LastIndexOf('/');
        var method = path[(slash + 1)..];
        var token = path.StartsWith("/bot", StringComparison.Ordinal) ? path[4..slash] : string.Empty;
        if (method != "sendMessage")
        {
            await ErrorAsync(context.Response, 404, "Not Found: method not found", null);
            return;
        }

        var json = JsonNode.Parse(body)!;
        var chat = json["chat_id"]!.ToString();
        var sent = new SentMessage(token, chat, json["text"]!.GetValue<string>(), json["parse_mode"]?.GetValue<string>(), json["link_preview_options"]?["is_disabled"]?.GetValue<bool>() ?? false, context.Request.ContentType ?? string.Empty);
        if (_script.TryDequeue(out var scripted))
        {
            Received.Enqueue(sent with { Answered = false });
            await scripted(context.Response);
            return;
        }

        Received.Enqueue(sent);
        var id = Interlocked.Increment(ref _messageId);
        var result = new JsonObject
        {
            ["message_id"] = id,
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["chat"] = new JsonObject { ["id"] = long.TryParse(chat, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : -100, ["type"] = "private" },
            ["text"] = sent.Text,
        };
        await WriteAsync(context.Response, 200, new JsonObject { ["ok"] = true, ["result"] = result });
    }

    private static Task ErrorAsync(HttpListenerResponse response, int code, string description, JsonObject? parameters)
    {
        var answer = new JsonObject { ["ok"] = false, ["error_code"] = code, ["description"] = description };
        if (parameters is not null)
        {
            answer["parameters"] = parameters;
        }

        return WriteAsync(response, code, answer);
    }

    private static async Task WriteAsync(HttpListenerResponse response, int status, JsonObject answer)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(answer);
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }

    public sealed record SentMessage(string Token, string ChatId, string Text, string? ParseMode, bool LinkPreviewDisabled, string ContentType)
    {
        /// <summary>False when the fake answered with a scripted failure.</summary>
        public bool Answered { get; init; } = true;
    }
}
