using AuthServer.Data;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Admin;

/// <summary>
/// Records a replayed refresh token (one already redeemed, presented after the reuse leeway) as a
/// security event, for the admin dashboard. It runs just before OpenIddict's own check, which then
/// rejects the token and revokes its family.
/// </summary>
internal sealed class RecordRefreshTokenReuse(IOpenIddictTokenManager tokens, ApplicationDbContext db) : IOpenIddictServerHandler<ValidateTokenContext>
{
    // OpenIddict stores refresh tokens with their RFC 8693 type identifier.
    private const string RefreshTokenType = "urn:ietf:params:oauth:token-type:refresh_token";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .UseScopedHandler<RecordRefreshTokenReuse>()
            .SetOrder(OpenIddictServerHandlers.Protection.ValidateTokenEntry.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateTokenContext context)
    {
        // Note: the principal's type is checked first, so access tokens (userinfo, introspection)
        // cost no extra database lookup.
        if (string.IsNullOrEmpty(context.TokenId) ||
            context.Principal?.GetTokenType() is not (RefreshTokenType or TokenTypeHints.RefreshToken) ||
            await tokens.FindByIdAsync(context.TokenId) is not { } token ||
            !await tokens.HasStatusAsync(token, Statuses.Redeemed))
        {
            return;
        }

        var now = context.Options.TimeProvider?.GetUtcNow() ?? DateTimeOffset.UtcNow;
        var redeemed = await tokens.GetRedemptionDateAsync(token);
        if (context.Options.RefreshTokenReuseLeeway is { } leeway && redeemed is not null && now < redeemed + leeway)
        {
            return; // a retry inside the leeway: accepted, not a replay
        }

        db.SecurityEvents.Add(new SecurityEvent
        {
            At = now,
            Type = SecurityEvent.RefreshTokenReuse,
            Subject = context.Principal.GetClaim(Claims.Subject),
            ClientId = context.Principal.GetPresenters().FirstOrDefault(),
        });
        await db.SaveChangesAsync();
    }
}
