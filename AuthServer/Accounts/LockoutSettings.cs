using System.ComponentModel.DataAnnotations;

namespace AuthServer.Accounts;

/// <summary>
/// Account lockout after failed passwords. Bound from the <c>Lockout</c> section and applied to
/// ASP.NET Core Identity.
/// </summary>
public sealed class LockoutSettings
{
    public const string SectionName = "Lockout";

    /// <summary>Failed passwords in a row that lock the account. The default value is 5.</summary>
    [Range(1, 1000, ErrorMessage = "Lockout:MaxFailedAttempts must be between 1 and 1000.")]
    public int MaxFailedAttempts { get; set; } = 5;

    /// <summary>How long a locked account stays locked. The default value is 15 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00", ErrorMessage = "Lockout:Duration must be between 1 second and 365 days.")]
    public TimeSpan Duration { get; set; } = TimeSpan.FromMinutes(15);
}
