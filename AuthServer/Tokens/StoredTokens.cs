using AuthServer.Stores;
using OpenIddict.Server;

namespace AuthServer.Tokens;

/// <summary>
/// The token entries a request has read, kept with its OpenIddict transaction, so that the
/// handlers after the lookup (status, redemption, revocation) work on the same row instead of
/// reading it again.
/// </summary>
internal static class StoredTokens
{
    private const string Property = "AuthRefresh.StoredTokens";

    public static void Remember(OpenIddictServerTransaction transaction, StoredToken token)
    {
        if (transaction.GetProperty<Dictionary<string, StoredToken>>(Property) is not { } tokens)
        {
            transaction.SetProperty(Property, tokens = new Dictionary<string, StoredToken>(StringComparer.Ordinal));
        }

        tokens[token.Id] = token;
    }

    public static StoredToken? Recall(OpenIddictServerTransaction transaction, string? id)
        => id is not null && transaction.GetProperty<Dictionary<string, StoredToken>>(Property) is { } tokens && tokens.TryGetValue(id, out var token)
            ? token
            : null;
}
