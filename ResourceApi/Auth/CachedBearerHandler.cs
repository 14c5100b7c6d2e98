using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using OpenIddict.Abstractions;
using OpenIddict.Validation.AspNetCore;
using ResourceApi.Telemetry;

namespace ResourceApi.Auth;

/// <summary>
/// ResourceApi's default authentication scheme, in front of OpenIddict's validation. A bearer token
/// that passed every one of OpenIddict's checks is answered from <see cref="ValidatedTokenCache"/>
/// for a short time (<see cref="ValidationSettings.JwtCacheDuration"/>, or
/// <see cref="ValidationSettings.IntrospectionCacheDuration"/> in introspection mode), never past
/// its expiry. Any other request, and any token string not seen before, goes to OpenIddict in full;
/// challenges and forbids are OpenIddict's, so errors keep their RFC 6750 form. OpenIddict's request
/// is started only then (see <see cref="DeferredValidationSchemes"/>).
/// </summary>
/// <remarks>
/// Caching the outcome of the whole validation, not one step of it, skips OpenIddict's handler
/// pipeline on a hit, which costs a large share of ResourceApi's CPU under load even with the
/// signature check cached (docs/PERFORMANCE.md). The audience and issuer of a token string cannot
/// change, and the entry ends at the token's expiry, so a hit is what OpenIddict would have
/// answered (in introspection mode: what it answered at most that long ago).
/// </remarks>
internal sealed class CachedBearerHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ValidatedTokenCache cache,
    IOptions<ValidationSettings> settings,
    IAuthenticationHandlerProvider handlers,
    ApiMetrics metrics)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ResourceApi.CachedBearer";

    private const string BearerPrefix = "Bearer ";
    private const string ValidationScheme = OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme;

    /// <summary>Registers the scheme as the default, with OpenIddict's validation behind it.</summary>
    public static void AddScheme(AuthenticationBuilder authentication)
    {
        authentication.AddScheme<AuthenticationSchemeOptions, CachedBearerHandler>(SchemeName, configureOptions: null);
        authentication.Services.Replace(ServiceDescriptor.Singleton<IAuthenticationSchemeProvider, DeferredValidationSchemes>());
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var (kind, duration) = settings.Value.Mode == ValidationMode.Introspection
            ? ("introspection", settings.Value.IntrospectionCacheDuration)
            : ("jwt", settings.Value.JwtCacheDuration);

        var token = BearerToken(Request);
        if (token is not null && cache.TryGet(kind, token, out var cached, out var expires))
        {
            return AuthenticateResult.Success(new AuthenticationTicket(
                cached, new AuthenticationProperties { ExpiresUtc = expires }, SchemeName));
        }

        await BeginValidationAsync();
        var result = await Context.AuthenticateAsync(ValidationScheme);
        if (token is not null && duration > TimeSpan.Zero && result.Succeeded)
        {
            cache.Store(kind, token, result.Principal, duration, result.Principal.GetExpirationDate());
        }
        else if (token is not null && result.Failure is not null)
        {
            metrics.TokenRejected(result.Properties);
        }

        return result;
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        await BeginValidationAsync();
        await Context.ChallengeAsync(ValidationScheme, properties);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        await BeginValidationAsync();
        await Context.ForbidAsync(ValidationScheme, properties);
    }

    /// <summary>
    /// Starts OpenIddict's validation for this request, as the authentication middleware does for
    /// a request handler scheme: its authenticate, challenge and forbid need the transaction this
    /// creates. Once per request; a request that never reaches OpenIddict never pays for it.
    /// </summary>
    internal async Task BeginValidationAsync()
    {
        if (Context.Features.Get<OpenIddictValidationAspNetCoreFeature>() is not null)
        {
            return;
        }

        var handler = await handlers.GetHandlerAsync(Context, ValidationScheme) as IAuthenticationRequestHandler
            ?? throw new InvalidOperationException($"The '{ValidationScheme}' scheme is not OpenIddict's validation handler.");

        // Note: OpenIddict's validation has no endpoints, so it answers no request at this stage;
        // if a later version did, the answer would be lost here, so that is an error, not a guess.
        if (await handler.HandleRequestAsync())
        {
            throw new InvalidOperationException("OpenIddict's validation answered the request when it was started.");
        }
    }

    // Note: the one place OpenIddict's validation reads an access token from by default.
    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers[HeaderNames.Authorization];
        if (header.Count != 1 || header[0] is not { } value ||
            !value.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return value.Length > BearerPrefix.Length ? value[BearerPrefix.Length..] : null;
    }
}
