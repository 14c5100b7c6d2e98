namespace AuthServer.Tokens;

/// <summary>
/// What this request's sign-in writes, gathered by the token handlers and saved by
/// <see cref="SaveTokenEntries"/> in one transaction: the redemption of the presented refresh
/// token, the login of a password grant, and the new token entries.
/// </summary>
internal sealed class TokenWrites
{
    /// <summary>The presented refresh token, redeemed by the save if it is still valid.</summary>
    public StoredToken? Redeeming { get; set; }

    public NewAuthorization? Authorization { get; set; }

    public List<NewToken> Tokens { get; } = [];

    public bool IsEmpty => Redeeming is null && Authorization is null && Tokens.Count == 0;

    public void Clear()
    {
        Redeeming = null;
        Authorization = null;
        Tokens.Clear();
    }
}

/// <summary>What the save of a refresh found.</summary>
internal enum SaveOutcome
{
    /// <summary>Everything was written: the presented token is redeemed, the new entries stored.</summary>
    Saved,

    /// <summary>
    /// Another presentation of the same token redeemed it first, within the reuse leeway: its
    /// successor (the one this request answers with too) is stored, and so are this request's
    /// other entries.
    /// </summary>
    SavedAfterConcurrentRedemption,

    /// <summary>The token was redeemed after the leeway, or its successor was used already: a replay.</summary>
    Replayed,

    /// <summary>The token or its login was revoked (or expired) meanwhile. Nothing was written.</summary>
    NoLongerValid,
}
