using AuthRefresh.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;

namespace ResourceApi.Tests;

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
