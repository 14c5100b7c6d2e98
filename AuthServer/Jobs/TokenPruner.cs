using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;

namespace AuthServer.Jobs;

/// <summary>
/// Removes the tokens, then the authorizations, that can no longer be used (expired, redeemed,
/// revoked, or whose authorization is gone) and that are older than
/// <see cref="PruningSettings.MinimumAge"/>.
/// </summary>
public sealed partial class TokenPruner(
    IOpenIddictTokenManager tokens,
    IOpenIddictAuthorizationManager authorizations,
    IOptions<PruningSettings> settings,
    TimeProvider time,
    ILogger<TokenPruner> logger)
{
    public async Task<(long Tokens, long Authorizations)> PruneAsync(CancellationToken cancellationToken)
    {
        var threshold = time.GetUtcNow() - settings.Value.MinimumAge;

        // Note: tokens go first, so that an authorization whose last token is removed now is
        // removed in the same run.
        var prunedTokens = await tokens.PruneAsync(threshold, cancellationToken);
        var prunedAuthorizations = await authorizations.PruneAsync(threshold, cancellationToken);

        LogPruned(logger, prunedTokens, prunedAuthorizations, threshold);
        return (prunedTokens, prunedAuthorizations);
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information,
        Message = "Pruned {Tokens} tokens and {Authorizations} authorizations created before {Threshold}.")]
    private static partial void LogPruned(ILogger logger, long tokens, long authorizations, DateTimeOffset threshold);
}
