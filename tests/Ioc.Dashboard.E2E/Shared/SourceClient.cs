using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Ioc.Dashboard.E2E.Shared;

/// <summary>
/// A plain HTTP client (own cookies, no automatic redirects) whose connections come from a chosen loopback address
/// (127.0.0.N: Linux routes all of 127/8 to the loopback device), so per-address limits can be tested apart from the browsers.
/// </summary>
public sealed partial class SourceClient : IDisposable
{
    private readonly HttpClient _http;

    public SourceClient(string baseUrl, string sourceAddress = "127.0.0.1")
    {
        Cookies = new CookieContainer();
        var source = IPAddress.Parse(sourceAddress);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            CookieContainer = Cookies,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl) };
    }

    public CookieContainer Cookies { get; }

    public Uri BaseAddress => _http.BaseAddress!;

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(path);

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => _http.SendAsync(request);

    public Task<HttpResponseMessage> PostFormAsync(string path, IDictionary<string, string> form) =>
        _http.PostAsync(path, new FormUrlEncodedContent(form));

    /// <summary>The antiforgery token of the first form on the page.</summary>
    public async Task<string> TokenFromAsync(string path)
    {
        var html = await _http.GetStringAsync(path);
        var input = TokenInput().Match(html);
        if (!input.Success)
        {
            throw new InvalidOperationException($"No antiforgery token on {path}.");
        }

        return WebUtility.HtmlDecode(ValueAttribute().Match(input.Value).Groups[1].Value);
    }

    /// <summary>A login post with the form's token; the response is the redirect (to the return URL or back to the login page).</summary>
    public async Task<HttpResponseMessage> LoginAsync(string user, string password, string returnUrl = "/overview")
    {
        var token = await TokenFromAsync("login");
        return await PostFormAsync("account/login", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["userName"] = user,
            ["password"] = password,
            ["returnUrl"] = returnUrl,
        });
    }

    public void Dispose() => _http.Dispose();

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*>")]
    private static partial Regex TokenInput();

    [GeneratedRegex("value=\"([^\"]*)\"")]
    private static partial Regex ValueAttribute();
}
