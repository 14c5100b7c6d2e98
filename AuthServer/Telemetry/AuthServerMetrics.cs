using System.Diagnostics;
using System.Diagnostics.Metrics;
using AuthServer.Clients;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AuthServer.Telemetry;

/// <summary>
/// The meter <c>AuthRefresh.AuthServer</c>: what an operator counts and alerts on (the table in
/// docs/OBSERVABILITY.md). Attribute values come from fixed lists, never from the request as
/// sent, so that a client sending made-up grant types or client ids cannot grow the series, and
/// no instrument carries a username, a secret or a token.
/// </summary>
public sealed class AuthServerMetrics
{
    public const string MeterName = "AuthRefresh.AuthServer";

    /// <summary>The <c>client_id</c> of a client this node does not know (or no client at all).</summary>
    public const string UnknownClient = "unknown";

    private static readonly HashSet<string> GrantTypesServed = [GrantTypes.Password, GrantTypes.RefreshToken, GrantTypes.ClientCredentials];

    private readonly ClientCache _clients;
    private readonly Counter<long> _issued;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _reuse;
    private readonly Counter<long> _loginFailed;
    private readonly Histogram<double> _duration;
    private readonly Histogram<int> _commitGrants;

    public AuthServerMetrics(IMeterFactory meters, ClientCache clients)
    {
        _clients = clients;
        var meter = meters.Create(MeterName);
        _issued = meter.CreateCounter<long>("authrefresh.token.issued", "{token}", "Tokens issued by the token endpoint.");
        _rejected = meter.CreateCounter<long>("authrefresh.token_request.rejected", "{request}", "Token requests answered with an RFC 6749 error.");
        _reuse = meter.CreateCounter<long>("authrefresh.refresh_token.reuse", "{token}", "Redeemed refresh tokens presented again.");
        _loginFailed = meter.CreateCounter<long>("authrefresh.login.failed", "{attempt}", "Failed sign-ins with a password (token endpoint and sign-in page).");
        _duration = meter.CreateHistogram("authrefresh.token_request.duration", "s", "Time the token endpoint took, from the request read to the answer.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
        _commitGrants = meter.CreateHistogram("authrefresh.token_store.commit.grants", "{grant}", "Grants whose token writes one SQLite commit carried.",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64] });
    }

    public void TokenIssued(string grantType, string clientId, string tokenType)
        => _issued.Add(1, new("grant_type", grantType), new("client_id", clientId), new("token_type", tokenType));

    public void TokenRequestRejected(string grantType, string clientId, string error)
        => _rejected.Add(1, new("grant_type", grantType), new("client_id", clientId), new("error", error));

    public void TokenRequestCompleted(string grantType, string outcome, TimeSpan elapsed)
        => _duration.Record(elapsed.TotalSeconds, new("grant_type", grantType), new("outcome", outcome));

    public void TokenWritesCommitted(int grants) => _commitGrants.Record(grants);

    public void RefreshTokenReused(string? clientId, ReuseOutcome outcome)
        => _reuse.Add(1, new("client_id", ClientOf(clientId)), new("outcome", outcome == ReuseOutcome.WithinLeeway ? "within_leeway" : "login_revoked"));

    public void LoginFailed(LoginFailure reason)
        => _loginFailed.Add(1, new KeyValuePair<string, object?>("reason", reason switch
        {
            LoginFailure.InvalidCredentials => "invalid_credentials",
            LoginFailure.LockedOut => "locked_out",
            LoginFailure.RateLimited => "rate_limited",
            _ => "not_allowed",
        }));

    /// <summary>The grant type as an attribute: one this server serves, else <c>other</c>.</summary>
    public static string GrantOf(string? grantType)
        => grantType is not null && GrantTypesServed.TryGetValue(grantType, out var known) ? known : "other";

    /// <summary>The client id as an attribute: a client this node has read from its database, else <see cref="UnknownClient"/>.</summary>
    public string ClientOf(string? clientId)
        => clientId is not null && _clients.IsKnown(clientId) ? clientId : UnknownClient;

    /// <summary>The elapsed time since <paramref name="startedAt"/>, a <see cref="Stopwatch"/> timestamp.</summary>
    public static TimeSpan Since(long startedAt) => Stopwatch.GetElapsedTime(startedAt);
}
