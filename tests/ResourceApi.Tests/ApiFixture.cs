using AuthRefresh.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;

namespace ResourceApi.Tests;

/// <summary>
/// An AuthServer and a ResourceApi (JWT mode) that trusts it, both on real ports. AuthServer also
/// knows two scopes for these tests: <c>audit</c> (audience resource-api, but not <c>notes</c>)
/// and <c>other</c> (another API's audience).
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public AuthServerFactory AuthServer { get; } = new(ExtraScopes.ClientSettings);

    public ResourceApiFactory Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await ExtraScopes.RegisterAsync(AuthServer);
        Api = new ResourceApiFactory(AuthServer.Address);
    }

    public Task DisposeAsync()
    {
        Api.Dispose();
        AuthServer.Dispose();
        return Task.CompletedTask;
    }
}

public static class ExtraScopes
{
    public static readonly Dictionary<string, string?> ClientSettings = new()
    {
        ["Clients:public-client:Scopes:6"] = "audit",
        ["Clients:public-client:Scopes:7"] = "other",
    };

    public static async Task RegisterAsync(AuthServerFactory server)
    {
        using var scope = server.Services.CreateScope();
        var scopes = scope.ServiceProvider.GetRequiredService<IOpenIddictScopeManager>();
        await scopes.CreateAsync(new OpenIddictScopeDescriptor { Name = "audit", Resources = { "resource-api" } });
        await scopes.CreateAsync(new OpenIddictScopeDescriptor { Name = "other", Resources = { "other-api" } });
    }
}
