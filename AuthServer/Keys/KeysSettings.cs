using System.ComponentModel.DataAnnotations;
using Microsoft.IdentityModel.Tokens;

namespace AuthServer.Keys;

/// <summary>How the token server's keys are made and rotated. Bound from the <c>Keys</c> section.</summary>
public sealed class KeysSettings : IValidatableObject
{
    public const string SectionName = "Keys";

    /// <summary>
    /// The algorithm access and identity tokens are signed with: <c>ES256</c> (ECDSA P-256, the
    /// default: a signature costs about a tenth of an RSA one, and it is as widely supported) or
    /// <c>RS256</c> (RSA 2048, for validators that know nothing else). Changing it makes a new
    /// current key at the next start; the old one stays published for the tokens it signed.
    /// </summary>
    [AllowedValues(SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSha256)]
    public string SigningAlgorithm { get; set; } = SecurityAlgorithms.EcdsaSha256;

    /// <summary>
    /// Whether the rotation job makes new keys by itself. The default value is true;
    /// <c>rotate-keys</c> works either way.
    /// </summary>
    public bool AutomaticRotation { get; set; } = true;

    /// <summary>How long a key signs (or encrypts) before the next one takes over. The default value is 90 days.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00", ErrorMessage = "Keys:RotationInterval must be between 1 second and 3650 days.")]
    public TimeSpan RotationInterval { get; set; } = TimeSpan.FromDays(90);

    /// <summary>
    /// How long a new key is published before it is used: resource servers that cache the JWKS
    /// and nodes that load keys at intervals know it before the first token it signs or encrypts
    /// reaches them. The default value is 14 days.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00", ErrorMessage = "Keys:AnnouncePeriod must be between 0 and 3650 days.")]
    public TimeSpan AnnouncePeriod { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How often the rotation job looks whether a key is due. The default value is 1 hour.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00", ErrorMessage = "Keys:RotationCheckInterval must be between 1 second and 30 days.")]
    public TimeSpan RotationCheckInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How often a node reads the stored keys again, to use a key another node (or
    /// <c>rotate-keys</c>) made, and to switch to an announced key when its time comes. The
    /// default value is 1 minute.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00", ErrorMessage = "Keys:ReloadInterval must be between 100 ms and 1 day.")]
    public TimeSpan ReloadInterval { get; set; } = TimeSpan.FromMinutes(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (AnnouncePeriod >= RotationInterval)
        {
            yield return new ValidationResult("Keys:AnnouncePeriod must be shorter than Keys:RotationInterval.", [nameof(AnnouncePeriod)]);
        }

        if (AnnouncePeriod < ReloadInterval && AnnouncePeriod > TimeSpan.Zero)
        {
            yield return new ValidationResult(
                "Keys:AnnouncePeriod must be at least Keys:ReloadInterval, so that every node loads a key before one uses it.", [nameof(AnnouncePeriod)]);
        }
    }
}
