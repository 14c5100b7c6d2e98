namespace AuthServer.Stores;

/// <summary>
/// What this request's sign-in writes, gathered by the token handlers and saved by
/// <see cref="Handlers.SaveTokenEntries"/> in one transaction: the redemption of the presented refresh
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
