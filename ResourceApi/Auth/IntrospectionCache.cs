using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Validation;
using static OpenIddict.Validation.OpenIddictValidationEvents;

namespace ResourceApi.Auth;

/// <summary>
/// Introspection mode: an answer is reused for the same token for
/// <see cref="ValidationSettings.IntrospectionCacheDuration"/> (never past the token's expiry), so a
/// busy API does not ask AuthServer on every request while a revoked token still stops working
/// within that short time. OpenIddict has no such cache.
/// </summary>
internal static class IntrospectionCache
{
    private const string Kind = "introspection";

    /// <summary>A cached answer replaces the introspection request.</summary>
    public sealed class UseCachedAnswer(ValidatedTokenCache cache) : IOpenIddictValidationHandler<ProcessAuthenticationContext>
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
            if (!string.IsNullOrEmpty(context.AccessToken) && cache.TryGet(Kind, context.AccessToken, out var principal))
            {
                // The cached principal passed the usage and audience checks when it was stored.
                context.AccessTokenPrincipal = principal;
                context.SendIntrospectionRequest = false;
            }

            return ValueTask.CompletedTask;
        }
    }

    /// <summary>An answer that passed every check is kept for the next requests.</summary>
    public sealed class StoreAnswer(ValidatedTokenCache cache, IOptions<ValidationSettings> settings) : IOpenIddictValidationHandler<ProcessAuthenticationContext>
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
                cache.Store(Kind, context.AccessToken, principal, settings.Value.IntrospectionCacheDuration, principal.GetExpirationDate());
            }

            return ValueTask.CompletedTask;
        }
    }
}
