using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace AuthServer.RateLimiting;

/// <summary>
/// The token endpoint's limits per client and per username (<see cref="RateLimitSettings"/>),
/// which need the parsed request: fixed windows, no queue.
/// </summary>
internal sealed class TokenRequestLimits : IDisposable
{
    private readonly IOptionsMonitor<RateLimitSettings> _settings;
    private readonly PartitionedRateLimiter<string> _clients;
    private readonly PartitionedRateLimiter<string> _users;

    public TokenRequestLimits(IOptionsMonitor<RateLimitSettings> settings)
    {
        _settings = settings;
        _clients = Create(s => s.PermitLimitPerClient);
        _users = Create(s => s.PasswordAttemptsPerUser);
    }

    /// <summary>Null when the client may send one more request, else how long it must wait.</summary>
    public TimeSpan? TryClient(string? clientId) => TryAcquire(_clients, clientId ?? "");

    /// <summary>Null when the username may be tried once more, else how long to wait.</summary>
    public TimeSpan? TryUser(string username) => TryAcquire(_users, username.Trim().ToUpperInvariant());

    private TimeSpan? TryAcquire(PartitionedRateLimiter<string> limiter, string key)
    {
        if (!_settings.CurrentValue.Enabled)
        {
            return null;
        }

        using var lease = limiter.AttemptAcquire(key);
        return lease.IsAcquired ? null : lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : _settings.CurrentValue.Window;
    }

    private PartitionedRateLimiter<string> Create(Func<RateLimitSettings, int> permits) => PartitionedRateLimiter.Create<string, string>(key =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits(_settings.CurrentValue),
            Window = _settings.CurrentValue.Window,
            QueueLimit = 0,
        }));

    public void Dispose()
    {
        _clients.Dispose();
        _users.Dispose();
    }
}
