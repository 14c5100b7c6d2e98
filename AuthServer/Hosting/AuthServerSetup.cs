using AuthRefresh.Shared;
using AuthServer.Accounts;
using AuthServer.Admin;
using AuthServer.Clients;
using AuthServer.Data;
using AuthServer.Endpoints;
using AuthServer.Handlers;
using AuthServer.Jobs;
using AuthServer.Keys;
using AuthServer.RateLimiting;
using AuthServer.Stores;
using AuthServer.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using OpenIddict.Server;

namespace AuthServer.Hosting;

/// <summary>How AuthServer is composed: services, then the request pipeline and endpoints.</summary>
public static class AuthServerSetup
{

    public static void AddAuthServer(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;

        services.AddValidatedOptions<TokenSettings>(TokenSettings.SectionName);
        services.AddValidatedOptions<LockoutSettings>(LockoutSettings.SectionName);
        services.AddValidatedOptions<RateLimitSettings>(RateLimitSettings.SectionName);
        services.AddValidatedOptions<PasswordHashingSettings>(PasswordHashingSettings.SectionName);
        services.AddSingleton<PasswordHashingGate>();
        services.AddValidatedOptions<PruningSettings>(PruningSettings.SectionName);
        services.AddValidatedOptions<DemoDataSettings>(DemoDataSettings.SectionName);
        services.AddValidatedOptions<ServerSettings>(ServerSettings.SectionName);
        services.AddValidatedOptions<KeysSettings>(KeysSettings.SectionName);
        services.AddOptions<Dictionary<string, ClientSettings>>().BindConfiguration(ClientSettings.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<Dictionary<string, ClientSettings>>, ClientsValidation>();

        builder.AddAuthRefreshDefaults<ApplicationDbContext, PostgreSqlApplicationDbContext>(ApplicationDbContext.ConnectionStringName, options => options.UseOpenIddict());

        builder.AddDatabaseKeyRing<ApplicationDbContext>("AuthRefresh.AuthServer");

        builder.AddAccounts();

        builder.AddOpenIddictServer();

        services.AddScoped<KeyStore>();
        services.AddScoped<ClientSeeder>();
        services.AddScoped<UsersSeed>();
        services.AddScoped<TokenIdentityFactory>();
        services.AddScoped<AdminAudit>();
        services.AddScoped<SessionReader>();
        services.AddSingleton<RefusalCounter>();
        builder.AddJobs();

        services.AddTokenRateLimiting();
        services.AddExceptionHandler<MalformedRequestHandler>();
    }

    private static void AddOpenIddictServer(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenIddict()
            .AddCore(core =>
            {
                core.UseEntityFrameworkCore().UseDbContext<ApplicationDbContext>();
                core.ReplaceApplicationStore<OpenIddictEntityFrameworkCoreApplication, CompiledApplicationStore>(ServiceLifetime.Scoped);
                core.ReplaceScopeStore<OpenIddictEntityFrameworkCoreScope, CompiledScopeStore>(ServiceLifetime.Scoped);

                // Note: in place of OpenIddict's application cache, which lives for one request.
                core.Services.AddSingleton<ClientCache>();
                core.Services.AddScoped<IOpenIddictApplicationCache<OpenIddictEntityFrameworkCoreApplication>, SharedApplicationCache>();
            })
            .AddServer(server =>
            {
                server.SetTokenEndpointUris("connect/token")
                    .SetRevocationEndpointUris("connect/revoke")
                    .SetIntrospectionEndpointUris("connect/introspect")
                    .SetUserInfoEndpointUris("connect/userinfo");

                server.AllowPasswordFlow()
                    .AllowRefreshTokenFlow()
                    .AllowClientCredentialsFlow();

                server.RegisterScopes(ScopeCatalog.Names);
                server.AddAuthRefreshHandlers();

                // Signed, not encrypted: any JWT library can validate the access tokens from the
                // JWKS (RFC 9068). Refresh tokens are reference tokens: the client holds a random
                // handle, the payload stays in the database.
                server.DisableAccessTokenEncryption();
                server.UseReferenceRefreshTokens();

                var aspNetCore = server.UseAspNetCore()
                    .EnableTokenEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough();

                // Note: plain HTTP is only for Development (and the tests, which run in it) and
                // the benchmark.
                if (builder.Environment.AllowsPlainHttp())
                {
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            });

        builder.Services.AddOptions<OpenIddictServerOptions>()
            .Configure<IOptions<TokenSettings>, IOptions<ServerSettings>>((server, tokens, settings) =>
            {
                server.AccessTokenLifetime = tokens.Value.AccessTokenLifetime;
                server.RefreshTokenLifetime = tokens.Value.RefreshTokenIdleLifetime;
                server.RefreshTokenReuseLeeway = tokens.Value.RefreshTokenReuseLeeway;
                server.Issuer = settings.Value.Issuer;
            });
        builder.Services.AddSingleton<ServerKeys>();
        builder.Services.AddSingleton<ServerKeysSetup>();
        builder.Services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>>(services => services.GetRequiredService<ServerKeysSetup>());
        builder.Services.AddSingleton<IOptionsChangeTokenSource<OpenIddictServerOptions>>(services => services.GetRequiredService<ServerKeysSetup>());
        builder.Services.AddHostedService<ServerKeysReloader>();
    }

    /// <summary>Migrates the database, creates missing keys, seeds clients, scopes and users (one node at a time).</summary>
    public static async Task InitializeAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var provider = scope.ServiceProvider;
        await Database.InitializeAsync(provider.GetRequiredService<ApplicationDbContext>(), async () =>
        {
            await provider.GetRequiredService<KeyStore>().EnsureKeysAsync(cancellationToken);
            await provider.GetRequiredService<ClientSeeder>().SeedAsync(cancellationToken);
            await provider.GetRequiredService<UsersSeed>().SeedAsync();
        }, cancellationToken);
        await app.Services.GetRequiredService<ServerKeys>().ReloadAsync(cancellationToken);
    }

    public static void UseAuthServer(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseBrowserStatusPages();
        app.UseSecurityHeaders();
        app.UseProtocolBodyLimit();
        app.UseRouting();
        app.UseRateLimiter();
        app.UsePasswordShedding();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapStaticAssets();
        app.MapRazorPages();
        app.MapTokenEndpoint();
        app.MapUserInfoEndpoint();
        app.MapHealthEndpoints();
    }
}
