namespace AuthServer.Keys;

/// <summary>What a stored key is used for at a given time.</summary>
public enum KeyRole
{
    /// <summary>Signs (or encrypts) new tokens: the newest key whose time has come.</summary>
    Current,

    /// <summary>Published and known for validation and decryption, not used yet.</summary>
    Announced,

    /// <summary>A newer key took over; kept for the tokens this one signed or encrypted.</summary>
    Retired,
}
