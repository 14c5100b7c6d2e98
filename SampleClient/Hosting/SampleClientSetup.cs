using System.Security.Claims;
using AuthRefresh.Shared;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using OpenIddict.Client;
using SampleClient.Notes;
using SampleClient.Tokens;

namespace SampleClient.Hosting;

/// <summary>How SampleClient is composed: services, then the request pipeline and pages.</summary>
public static class SampleClientSetup
{
    public const string ConnectionStringName = "SampleClient";

    public static void AddSampleClient(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<SampleClientSettings>(SampleClientSettings.SectionName);
        builder.AddAuthRefreshDefaults<SampleClientDbContext, PostgreSqlSampleClientDbContext>(ConnectionStringName);

        builder.AddDatabaseKeyRing<SampleClientDbContext>("AuthRefresh.SampleClient");

        services.AddOpenIddict().AddClient(client =>
        {
            client.AllowPasswordFlow().AllowRefreshTokenFlow();

            // Tokens are kept by TokenSessionService, not by OpenIddict.
            client.DisableTokenStorage();
            client.UseSystemNetHttp().SetProductInformation(typeof(SampleClientSetup).Assembly);
            client.AddEventHandler(KeepServerErrorDescription.Descriptor);
        });
        services.AddOptions<OpenIddictClientOptions>().Configure<IOptions<SampleClientSettings>>((options, settings) =>
            options.Registrations.Add(new OpenIddictClientRegistration
            {
                Issuer = settings.Value.Issuer,
                ClientId = settings.Value.ClientId,
                ClientSecret = settings.Value.ClientSecret,
            }));

        services.AddSingleton<TokenSessionService>();
        services.AddHttpClient<NotesClient>((provider, http) =>
                http.BaseAddress = provider.GetRequiredService<IOptions<SampleClientSettings>>().Value.ResourceApi)
            .AddStandardResilienceHandler(resilience =>
            {
                // Note: a page waits for ResourceApi at most 10 s; a GET is tried once more after
                // a failure or a 5-second attempt, a POST or DELETE never (it may have been done).
                resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(5);
                resilience.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(10);
                resilience.Retry.MaxRetryAttempts = 1;
                resilience.Retry.Delay = TimeSpan.FromMilliseconds(200);
                resilience.Retry.DisableForUnsafeHttpMethods();
            });

        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(options =>
        {
            options.LoginPath = "/login";
            options.LogoutPath = "/logout";
            options.AccessDeniedPath = "/login";
            options.Cookie.Name = ".AuthRefresh.SampleClient";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            options.SlidingExpiration = true;
            options.Events.OnValidatePrincipal = EndCookieOfForgottenSessionAsync;
        });
        services.AddAuthorization();
        services.AddRazorPages(pages =>
        {
            pages.Conventions.AuthorizeFolder("/");
            pages.Conventions.AllowAnonymousToPage("/Login");
        });
    }

    public static async Task InitializeAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await Database.InitializeAsync(scope.ServiceProvider.GetRequiredService<SampleClientDbContext>(), seed: null, cancellationToken);
    }

    public static void UseSampleClient(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error");
        }

        app.UseSecurityHeaders();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapRazorPages();
        app.MapHealthEndpoints();
    }

    /// <summary>A cookie whose session was signed out or ended elsewhere signs the browser out.</summary>
    private static async Task EndCookieOfForgottenSessionAsync(CookieValidatePrincipalContext context)
    {
        var sessionId = context.Principal?.FindFirstValue(SessionClaim.Type);
        var sessions = context.HttpContext.RequestServices.GetRequiredService<TokenSessionService>();
        if (sessionId is null || !await sessions.ExistsAsync(sessionId, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }
}
