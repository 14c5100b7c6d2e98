namespace AuthServer.Keys;

/// <summary>
/// A signing or encryption key of the token server. The private key is kept protected by ASP.NET
/// Core Data Protection, whose key ring lives in the same database.
/// </summary>
public sealed class StoredKey
{
    public const string Signing = "sig";
    public const string Encryption = "enc";

    /// <summary>The key id (<c>kid</c>) published in the JWKS.</summary>
    public required string Id { get; set; }

    /// <summary><see cref="Signing"/> or <see cref="Encryption"/>.</summary>
    public required string Use { get; set; }

    public required string Algorithm { get; set; }

    /// <summary>
    /// The private key (PKCS#8 for ECDSA and RSA, the raw bytes for AES), protected by Data Protection.
    /// </summary>
    public required string ProtectedKey { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// When the key starts signing (or encrypting): the newest key whose time has come and that is
    /// not retired is the current one. Until then the key is announced: published in the JWKS,
    /// and known to every node for validation and decryption, but not yet used.
    /// </summary>
    public DateTimeOffset ActivatesAt { get; set; }

    /// <summary>
    /// When a newer key took over and this one stopped being used for new tokens; null while no
    /// newer key has. A retired key stays published until every token it signed or encrypted has
    /// expired, then the rotation job deletes it.
    /// </summary>
    public DateTimeOffset? RetiredAt { get; set; }
}
