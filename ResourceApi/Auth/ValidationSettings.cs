using System.ComponentModel.DataAnnotations;

namespace ResourceApi.Auth;

/// <summary>How tokens are checked. Bound from the <c>Validation</c> section.</summary>
public sealed class ValidationSettings : IValidatableObject
{
    public const string SectionName = "Validation";

    /// <summary><c>Jwt</c> or <c>Introspection</c>. The default value is Jwt.</summary>
    public ValidationMode Mode { get; set; } = ValidationMode.Jwt;

    /// <summary>The client ResourceApi introspects as. The default value is resource-api.</summary>
    public string ClientId { get; set; } = "resource-api";

    /// <summary>That client's secret; required in introspection mode.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// How long an introspection answer is reused for the same token (never past its expiry).
    /// <c>00:00:00</c> asks AuthServer every time. The default value is 10 seconds.
    /// </summary>
    public TimeSpan IntrospectionCacheDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// In JWT mode, how long a token that passed validation is answered from memory (never past
    /// its expiry; its scope is still checked on every request). <c>00:00:00</c> validates every
    /// time. The default value is 5 minutes.
    /// </summary>
    public TimeSpan JwtCacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Mode == ValidationMode.Introspection && string.IsNullOrWhiteSpace(ClientSecret))
        {
            yield return new ValidationResult("Validation:ClientSecret is required when Validation:Mode is Introspection.", [nameof(ClientSecret)]);
        }

        if (IntrospectionCacheDuration < TimeSpan.Zero || IntrospectionCacheDuration > TimeSpan.FromMinutes(10))
        {
            yield return new ValidationResult("Validation:IntrospectionCacheDuration must be between 00:00:00 and 00:10:00.", [nameof(IntrospectionCacheDuration)]);
        }

        if (JwtCacheDuration < TimeSpan.Zero || JwtCacheDuration > TimeSpan.FromMinutes(10))
        {
            yield return new ValidationResult("Validation:JwtCacheDuration must be between 00:00:00 and 00:10:00.", [nameof(JwtCacheDuration)]);
        }
    }
}
