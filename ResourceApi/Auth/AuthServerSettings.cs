using System.ComponentModel.DataAnnotations;
using AuthRefresh.Shared;

namespace ResourceApi.Auth;

/// <summary>How ResourceApi trusts AuthServer. Bound from the <c>AuthServer</c> section.</summary>
public sealed class AuthServerSettings
{
    public const string SectionName = "AuthServer";

    /// <summary>
    /// AuthServer's issuer: discovery and the JWKS are fetched from it, and tokens must carry it
    /// as <c>iss</c>. Required.
    /// </summary>
    [Required(ErrorMessage = "AuthServer:Issuer is required (for example http://127.0.0.1:8001).")]
    public Uri? Issuer { get; set; }

    /// <summary>The audience tokens must be issued for. The default value is resource-api.</summary>
    [Required(ErrorMessage = "AuthServer:Audience is required.")]
    public string Audience { get; set; } = NotesContract.Audience;
}
