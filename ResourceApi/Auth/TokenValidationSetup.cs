using AuthRefresh.Shared;
using Microsoft.Extensions.Options;
using OpenIddict.Validation;
using ResourceApi.Telemetry;

namespace ResourceApi.Auth;

/// <summary>
/// ResourceApi trusts AuthServer through discovery: the issuer's configuration and JWKS are fetched
/// and cached, and signed JWT access tokens are validated locally (issuer, audience, lifetime,
/// signature). In introspection mode each token is checked at AuthServer instead.
/// </summary>
public static class TokenValidationSetup
{
    public static void AddTokenValidation(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<AuthServerSettings>(AuthServerSettings.SectionName);
        services.AddValidatedOptions<ValidationSettings>(ValidationSettings.SectionName);

        services.AddOpenIddict().AddValidation(validation =>
        {
            validation.UseSystemNetHttp();
            // Note: only the Authorization header carries a token (RFC 6750 §2.1). A token in a form
            // body (§2.2) would make every request's body be read and parsed before it is
            // authenticated, and one in the query string (§2.3) ends up in logs.
            validation.UseAspNetCore()
                .DisableAccessTokenExtractionFromBodyForm()
                .DisableAccessTokenExtractionFromQueryString();
            validation.AddEventHandler(SigningKeyRefresher.Descriptor);
        });

        // Settings are applied when the options are first used, so that they are validated first
        // and tests can set them.
        services.AddOptions<OpenIddictValidationOptions>()
            .Configure<IOptions<AuthServerSettings>, IOptions<ValidationSettings>>((options, authServer, validation) =>
            {
                options.Issuer = authServer.Value.Issuer;
                options.Audiences.Add(authServer.Value.Audience);
                if (validation.Value.Mode == ValidationMode.Introspection)
                {
                    options.ValidationType = OpenIddictValidationType.Introspection;
                    options.ClientId = validation.Value.ClientId;
                    options.ClientSecret = validation.Value.ClientSecret;
                }
            });

        services.AddHttpClient(SigningKeyRefresher.HttpClientName);
        services.AddSingleton<ValidatedTokenCache>();
        services.AddSingleton<ApiMetrics>();

        // Note: the default scheme answers recently validated tokens from memory and hands
        // everything else to OpenIddict's validation.
        CachedBearerHandler.AddScheme(services.AddAuthentication(CachedBearerHandler.SchemeName));
        services.AddScopePolicies();
    }
}
