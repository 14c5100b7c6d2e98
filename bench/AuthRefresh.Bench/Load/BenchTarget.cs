using System.Net;

namespace AuthRefresh.Bench.Load;

/// <summary>
/// The servers under load and the accounts to use: a public client (no secret to hash, as an SPA
/// or a CLI), and users named <c>{UserPrefix}{n}</c> that share one password. With more than one
/// AuthServer node, the token requests go to each in turn, as a round-robin balancer sends them.
/// </summary>
public sealed class BenchTarget : IDisposable
{
    public const string DefaultClientId = "public-client";
    public const string Scope = "openid offline_access notes";

    public BenchTarget(Uri authServer, Uri resourceApi, BenchUsers users, string clientId = DefaultClientId, IReadOnlyList<Uri>? otherNodes = null)
    {
        AuthServer = authServer;
        ResourceApi = resourceApi;
        Users = users;
        // Note: the token requests' client (the GET scenarios have their own, HttpGetConnection):
        // keep-alive connections, as many as there are workers; no cookies, no redirects.
        Http = new HttpClient(new SocketsHttpHandler
        {
            UseCookies = false,
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
        Tokens = new TokenRequests(Http, [.. new[] { authServer }.Concat(otherNodes ?? []).Select(node => new Uri(node, "connect/token"))], clientId, users.Password);
    }

    public Uri AuthServer { get; }

    public Uri ResourceApi { get; }

    public BenchUsers Users { get; }

    public HttpClient Http { get; }

    public TokenRequests Tokens { get; }

    public string UserName(int index) => Users.Name(index % Users.Count);

    public void Dispose() => Http.Dispose();
}
