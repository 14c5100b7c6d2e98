using System.ComponentModel.DataAnnotations;
using AuthRefresh.Shared;

namespace SampleClient.Tokens;

/// <summary>How SampleClient signs users in and calls ResourceApi. Bound from <c>SampleClient</c>.</summary>
public sealed class SampleClientSettings : IValidatableObject
{
    public const string SectionName = "SampleClient";

    /// <summary>AuthServer's issuer. Required.</summary>
    [Required(ErrorMessage = "SampleClient:Issuer is required (for example http://127.0.0.1:8001/).")]
    public Uri? Issuer { get; set; }

    /// <summary>ResourceApi's base address. Required.</summary>
    [Required(ErrorMessage = "SampleClient:ResourceApi is required (for example http://127.0.0.1:8002/).")]
    public Uri? ResourceApi { get; set; }

    /// <summary>The confidential client SampleClient is. The default value is sample-client.</summary>
    public string ClientId { get; set; } = "sample-client";

    /// <summary>Its secret. Required.</summary>
    [Required(ErrorMessage = "SampleClient:ClientSecret is required.")]
    public string? ClientSecret { get; set; }

    /// <summary>The scopes asked for at login.</summary>
    public List<string> Scopes { get; set; } = ["openid", "profile", "email", "roles", "offline_access", NotesContract.Scope];

    /// <summary>
    /// Demonstration mode, the original project's behaviour: refresh the tokens before every data
    /// request. When off, tokens are refreshed only when the access token has expired or is about
    /// to. The default value is true.
    /// </summary>
    public bool RefreshOnEveryDataRequest { get; set; } = true;

    /// <summary>An access token that expires within this time is refreshed first. The default value is 30 seconds.</summary>
    public TimeSpan RefreshMargin { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long "Remember me" keeps the sign-in cookie. The default value is 60 days (AuthServer's absolute login lifetime).</summary>
    public TimeSpan RememberMeLifetime { get; set; } = TimeSpan.FromDays(60);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RefreshMargin < TimeSpan.Zero)
        {
            yield return new ValidationResult("SampleClient:RefreshMargin must not be negative.", [nameof(RefreshMargin)]);
        }

        if (RememberMeLifetime <= TimeSpan.Zero)
        {
            yield return new ValidationResult("SampleClient:RememberMeLifetime must be positive.", [nameof(RememberMeLifetime)]);
        }

        if (!Scopes.Contains("offline_access"))
        {
            yield return new ValidationResult("SampleClient:Scopes must contain offline_access: SampleClient refreshes tokens.", [nameof(Scopes)]);
        }
    }
}
