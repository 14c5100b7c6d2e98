using System.ComponentModel.DataAnnotations;

namespace AuthServer.Options;

/// <summary>
/// Rate limit of the token endpoint, per client address (fixed window). Bound from the
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

    /// <summary>Length of the window. The default value is 10 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "RateLimiting:Window must be between 1 second and 1 day.")]
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);
}
