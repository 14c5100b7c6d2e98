using AuthRefresh.Shared;
using Microsoft.AspNetCore.Http.Json;
using ResourceApi.Auth;
using ResourceApi.Notes;
using Scalar.AspNetCore;

namespace ResourceApi.Hosting;

public static class ResourceApiSetup
{
    public const string ConnectionStringName = "ResourceApi";

    public static void AddResourceApi(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<DemoDataSettings>(DemoDataSettings.SectionName);
        if (builder.AddAuthRefreshDefaults<NotesDbContext, PostgreSqlNotesDbContext>(ConnectionStringName) == DatabaseProvider.Sqlite)
        {
            var connectionString = builder.GetSqliteConnectionString(ConnectionStringName);
            services.AddSingleton<INotesReader>(_ => new NotesReader(connectionString));
        }
        else
        {
            services.AddScoped<INotesReader, QueryNotesReader>();
        }

        services.AddScoped<NotesSeed>();

        builder.AddTokenValidation();

        services.AddOpenApi(options => options.AddDocumentTransformer<BearerSecuritySchemeTransformer>());

        // Note: a malformed JSON body is the client's fault: 400 with a problem document, never a
        // developer exception page.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = false);
        services.Configure<JsonOptions>(options =>
        {
            options.SerializerOptions.PropertyNameCaseInsensitive = true;
            options.SerializerOptions.TypeInfoResolverChain.Insert(0, NotesJsonContext.Default);
        });
    }

    public static async Task InitializeAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await Database.InitializeAsync(
            scope.ServiceProvider.GetRequiredService<NotesDbContext>(),
            () => scope.ServiceProvider.GetRequiredService<NotesSeed>().SeedAsync(cancellationToken),
            cancellationToken);
    }

    public static void UseResourceApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseSecurityHeaders("/scalar");
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapNotesApi();
        app.MapMeApi();
        app.MapHealthEndpoints();
        app.MapOpenApi();
        var reference = app.Environment.IsDevelopment();
        if (reference)
        {
            // Note: the page's script is served by the app itself; the fonts, telemetry and the
            // assistant would come from Scalar's servers, so the page works offline without them.
            app.MapScalarApiReference(scalar => scalar.DisableDefaultFonts().DisableTelemetry().DisableAgent().DisableMcp());
        }

        app.MapGet("/", () => TypedResults.Ok(new ApiIndex(
            "AuthRefresh ResourceApi: each user's notes, for bearer tokens of AuthServer",
            "/openapi/v1.json", reference ? "/scalar" : null, "/health/live", "/health/ready"))).AllowAnonymous().ExcludeFromDescription();
    }
}
