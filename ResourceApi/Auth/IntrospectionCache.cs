using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Validation;
using static OpenIddict.Validation.OpenIddictValidationEvents;

namespace ResourceApi.Auth;

/// <summary>
/// Reuses an introspection answer for the same token for <see cref="ValidationSettings.IntrospectionCacheDuration"/>
/// (never past the token's expiry), so a busy API does not ask AuthServer on every request while a
/// revoked token still stops working within that short time. OpenIddict has no such cache.
/// Tokens are keyed by their SHA-256 hash, never stored whole.
/// </summary>
internal sealed class IntrospectionCache(IMemoryCache cache, IOptions<ValidationSettings> settings, TimeProvider time)
{
    public bool TryGet(string token, out ClaimsPrincipal principal)
    {
        if (cache.TryGetValue(Key(token), out ClaimsPrincipal? cached) && cached is not null &&
            (cached.GetExpirationDate() is not { } expires || expires > time.GetUtcNow()))
        {
            // Note: OpenIddict changes the principal it is given, so each request gets a copy.
            principal = cached.Clone(_ => true);
            return true;
        }

        principal = null!;
        return false;
    }

    public void Store(string token, ClaimsPrincipal principal)
    {
        var now = time.GetUtcNow();
        var until = now + settings.Value.IntrospectionCacheDuration;
        if (principal.GetExpirationDate() is { } expires && expires < until)
        {
            until = expires;
        }

        if (until > now)
        {
            cache.Set(Key(token), principal.Clone(_ => true), until - now);
        }
    }

    private static string Key(string token) => "introspection:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>A cached answer replaces the introspection request.</summary>
    public sealed class UseCachedAnswer(IntrospectionCache cache) : IOpenIddictValidationHandler<ProcessAuthenticationContext>
    {
        public static OpenIddictValidationHandlerDescriptor Descriptor { get; }
            = OpenIddictValidationHandlerDescriptor.CreateBuilder<ProcessAuthenticationContext>()
                .AddFilter<OpenIddictValidationHandlerFilters.RequireIntrospectionRequest>()
                .UseSingletonHandler<UseCachedAnswer>()
                .SetOrder(OpenIddictValidationHandlers.EvaluateIntrospectionRequest.Descriptor.Order + 500)
                .SetType(OpenIddictValidationHandlerType.Custom)
                .Build();

        public ValueTask HandleAsync(ProcessAuthenticationContext context)
        {
            if (!string.IsNullOrEmpty(context.AccessToken) && cache.TryGet(context.AccessToken, out var principal))
            {
                // The cached principal passed the usage and audience checks when it was stored.
                context.AccessTokenPrincipal = principal;
                context.SendIntrospectionRequest = false;
            }

            return ValueTask.CompletedTask;
        }
    }

    /// <summary>An answer that passed every check is kept for the next requests.</summary>
    public sealed class StoreAnswer(IntrospectionCache cache) : IOpenIddictValidationHandler<ProcessAuthenticationContext>
    {
        public static OpenIddictValidationHandlerDescriptor Descriptor { get; }
            = OpenIddictValidationHandlerDescriptor.CreateBuilder<ProcessAuthenticationContext>()
                .AddFilter<OpenIddictValidationHandlerFilters.RequireIntrospectionRequest>()
                .UseSingletonHandler<StoreAnswer>()
                .SetOrder(OpenIddictValidationHandlers.ValidateAccessToken.Descriptor.Order - 500)
                .SetType(OpenIddictValidationHandlerType.Custom)
                .Build();

        public ValueTask HandleAsync(ProcessAuthenticationContext context)
        {
            if (!context.IsRejected && !string.IsNullOrEmpty(context.AccessToken) && context.AccessTokenPrincipal is { } principal)
            {
                cache.Store(context.AccessToken, principal);
            }

            return ValueTask.CompletedTask;
        }
    }
}
