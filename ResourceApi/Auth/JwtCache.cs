using System.Globalization;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Validation;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Validation.OpenIddictValidationEvents;

namespace ResourceApi.Auth;

/// <summary>
/// JWT mode: a token whose signature, issuer and type were verified is not verified again for
/// <see cref="ValidationSettings.JwtCacheDuration"/> (never past its expiry). Only that step is
/// skipped: the lifetime, audience and scope checks run on every request, on a copy of the
/// principal the first verification produced. A token differing in one character is another key.
/// </summary>
internal static class JwtCache
{
    private const string Kind = "jwt";

    // Whether this request's principal came from the cache (then there is nothing to store).
    private const string RestoredProperty = ".resourceapi_jwt_restored";

    /// <summary>A verified copy takes the place of the signature check.</summary>
    public sealed class UseVerifiedPrincipal(ValidatedTokenCache cache) : IOpenIddictValidationHandler<ValidateTokenContext>
    {
        public static OpenIddictValidationHandlerDescriptor Descriptor { get; }
            = OpenIddictValidationHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
                .AddFilter<OpenIddictValidationHandlerFilters.RequireLocalValidation>()
                .UseSingletonHandler<UseVerifiedPrincipal>()
                .SetOrder(OpenIddictValidationHandlers.Protection.ValidateIdentityModelToken.Descriptor.Order - 500)
                .SetType(OpenIddictValidationHandlerType.Custom)
                .Build();

        public ValueTask HandleAsync(ValidateTokenContext context)
        {
            // Note: ValidateIdentityModelToken leaves a principal that is already there alone.
            if (context.Principal is null && !string.IsNullOrEmpty(context.Token) && cache.TryGet(Kind, context.Token, out var principal))
            {
                context.Principal = principal;
                context.Transaction.Properties[RestoredProperty] = true;
            }

            return ValueTask.CompletedTask;
        }
    }

    /// <summary>The principal of a token that has just been verified is kept for the next requests.</summary>
    public sealed class StoreVerifiedPrincipal(ValidatedTokenCache cache, IOptions<ValidationSettings> settings) : IOpenIddictValidationHandler<ValidateTokenContext>
    {
        public static OpenIddictValidationHandlerDescriptor Descriptor { get; }
            = OpenIddictValidationHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
                .AddFilter<OpenIddictValidationHandlerFilters.RequireLocalValidation>()
                .UseSingletonHandler<StoreVerifiedPrincipal>()
                .SetOrder(OpenIddictValidationHandlers.Protection.ValidateIdentityModelToken.Descriptor.Order + 500)
                .SetType(OpenIddictValidationHandlerType.Custom)
                .Build();

        public ValueTask HandleAsync(ValidateTokenContext context)
        {
            var duration = settings.Value.JwtCacheDuration;
            if (duration > TimeSpan.Zero && !context.IsRejected && context.Principal is { } principal &&
                !string.IsNullOrEmpty(context.Token) && !context.Transaction.Properties.ContainsKey(RestoredProperty))
            {
                cache.Store(Kind, context.Token, principal, duration, ExpiresAt(principal));
            }

            return ValueTask.CompletedTask;
        }

        // Note: at this point the principal holds the token's own claims; "exp" is seconds since 1970.
        private static DateTimeOffset? ExpiresAt(ClaimsPrincipal principal)
            => long.TryParse(principal.GetClaim(Claims.ExpiresAt), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : null;
    }
}
