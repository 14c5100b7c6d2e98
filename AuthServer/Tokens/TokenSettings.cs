using System.ComponentModel.DataAnnotations;

namespace AuthServer.Tokens;

/// <summary>
/// Lifetimes of the tokens AuthServer issues. Bound from the <c>Tokens</c> section.
/// </summary>
public sealed class TokenSettings : IValidatableObject
{
    public const string SectionName = "Tokens";

    /// <summary>Lifetime of an access token. The default value is 5 minutes.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long a refresh token stays valid when it is not used (sliding: every rotation starts
    /// a new period). The default value is 14 days.
    /// </summary>
    public TimeSpan RefreshTokenIdleLifetime { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// How long a login can be kept alive by refreshing, counted from the password grant that
    /// started it. The default value is 60 days.
    /// </summary>
    public TimeSpan RefreshTokenAbsoluteLifetime { get; set; } = TimeSpan.FromDays(60);

    /// <summary>
    /// How long an already redeemed refresh token is still accepted (a client that lost the
    /// response may retry). After it, presenting it revokes the whole token family.
    /// <c>00:00:00</c> means no leeway. The default value is 10 seconds.
    /// </summary>
    public TimeSpan RefreshTokenReuseLeeway { get; set; } = TimeSpan.FromSeconds(10);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AccessTokenLifetime <= TimeSpan.Zero)
        {
            yield return Error(nameof(AccessTokenLifetime), "must be positive");
        }

        if (RefreshTokenIdleLifetime <= TimeSpan.Zero)
        {
            yield return Error(nameof(RefreshTokenIdleLifetime), "must be positive");
        }

        if (RefreshTokenAbsoluteLifetime < RefreshTokenIdleLifetime)
        {
            yield return Error(nameof(RefreshTokenAbsoluteLifetime), $"must be at least {SectionName}:{nameof(RefreshTokenIdleLifetime)}");
        }

        if (RefreshTokenReuseLeeway < TimeSpan.Zero)
        {
            yield return Error(nameof(RefreshTokenReuseLeeway), "must not be negative");
        }
    }

    private static ValidationResult Error(string key, string message)
        => new($"{SectionName}:{key} {message}.", [key]);
}
