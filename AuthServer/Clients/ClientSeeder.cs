using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AuthServer.Clients;

/// <summary>
/// Creates or updates the scopes and the configured clients, so that the database always
/// matches the configuration. Running it twice changes nothing.
/// </summary>
public sealed class ClientSeeder(
    IOpenIddictApplicationManager applications,
    IOpenIddictScopeManager scopes,
    IOptions<Dictionary<string, ClientSettings>> clients)
{
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        foreach (var (name, displayName, resources) in ScopeCatalog.All)
        {
            var descriptor = new OpenIddictScopeDescriptor { Name = name, DisplayName = displayName };
            descriptor.Resources.UnionWith(resources);

            if (await scopes.FindByNameAsync(name, cancellationToken) is { } existing)
            {
                await scopes.UpdateAsync(existing, descriptor, cancellationToken);
            }
            else
            {
                await scopes.CreateAsync(descriptor, cancellationToken);
            }
        }

        foreach (var (clientId, client) in clients.Value)
        {
            var descriptor = Describe(clientId, client);
            if (await applications.FindByClientIdAsync(clientId, cancellationToken) is { } existing)
            {
                await applications.UpdateAsync(existing, descriptor, cancellationToken);
            }
            else
            {
                await applications.CreateAsync(descriptor, cancellationToken);
            }
        }
    }

    internal static OpenIddictApplicationDescriptor Describe(string clientId, ClientSettings client)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = client.Type == ClientSettings.Confidential ? client.Secret : null,
            ClientType = client.Type == ClientSettings.Confidential ? ClientTypes.Confidential : ClientTypes.Public,
            DisplayName = client.DisplayName ?? clientId,
        };

        foreach (var endpoint in client.Endpoints)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Endpoint + endpoint);
        }

        foreach (var grantType in client.GrantTypes)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.GrantType + grantType);
        }

        foreach (var scope in client.Scopes)
        {
            descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);
        }

        return descriptor;
    }
}
