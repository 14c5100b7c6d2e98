using System.ComponentModel.DataAnnotations;
using Microsoft.IdentityModel.Tokens;

namespace AuthServer.Keys;

/// <summary>How the token server's keys are made. Bound from the <c>Keys</c> section.</summary>
public sealed class KeysSettings
{
    public const string SectionName = "Keys";

    /// <summary>
    /// The algorithm access and identity tokens are signed with: <c>ES256</c> (ECDSA P-256, the
    /// default: a signature costs about 1/20 of an RSA one, and it is as widely supported) or
    /// <c>RS256</c> (RSA 2048, for validators that know nothing else). Changing it makes a new
    /// current key at the next start; the old one stays published for the tokens it signed.
    /// </summary>
    [AllowedValues(SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSha256)]
    public string SigningAlgorithm { get; set; } = SecurityAlgorithms.EcdsaSha256;
}
