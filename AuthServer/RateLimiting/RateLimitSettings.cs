using System.ComponentModel.DataAnnotations;

namespace AuthServer.RateLimiting;

/// <summary>
/// Rate limits of the token endpoint (fixed windows of <see cref="Window"/>): per client address,
/// per client, and password attempts per username, so that one address cannot try passwords on
/// every account and one account cannot be tried from many addresses. Bound from the
/// <c>RateLimiting</c> section.
/// </summary>
public sealed class RateLimitSettings
{
    public const string SectionName = "RateLimiting";

    /// <summary>Whether the limit applies. The default value is true; benchmarks turn it off.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Requests one address may send in one window. The default value is 100.</summary>
    [Range(1, 1_000_000, ErrorMessage = "RateLimiting:PermitLimit must be between 1 and 1000000.")]
    public int PermitLimit { get; set; } = 100;

    /// <summary>Token requests of one client (all its users) in one window. The default value is 10000.</summary>
    [Range(1, 10_000_000, ErrorMessage = "RateLimiting:PermitLimitPerClient must be between 1 and 10000000.")]
    public int PermitLimitPerClient { get; set; } = 10_000;

    /// <summary>
    /// Password-grant attempts for one username (whether or not it exists) in one window. The
    /// default value is 10: twice the failures that lock an account, so that its owner can still
    /// sign in after someone else's tries.
    /// </summary>
    [Range(1, 1_000_000, ErrorMessage = "RateLimiting:PasswordAttemptsPerUser must be between 1 and 1000000.")]
    public int PasswordAttemptsPerUser { get; set; } = 10;

    /// <summary>Length of the window. The default value is 10 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "RateLimiting:Window must be between 1 second and 1 day.")]
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);
}
