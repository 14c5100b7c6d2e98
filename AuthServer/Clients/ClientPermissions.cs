using OpenIddict.Abstractions;

namespace AuthServer.Clients;

/// <summary>
/// The endpoints and grant types a client may be given: the one list that configuration is
/// validated against, the seeder writes and the admin area offers.
/// </summary>
public static class ClientPermissions
{
    public static readonly string[] Endpoints = ["token", "revocation", "introspection"];
    public static readonly string[] GrantTypes = [OpenIddictConstants.GrantTypes.Password, OpenIddictConstants.GrantTypes.RefreshToken, OpenIddictConstants.GrantTypes.ClientCredentials];

    /// <summary>Reads a client's permissions back into the settings shape the seeder writes.</summary>
    public static ClientSettings ToSettings(IEnumerable<string> permissions, string type, string? displayName)
    {
        var list = permissions.ToList();
        return new ClientSettings
        {
            Type = type,
            DisplayName = displayName,
            Endpoints = [.. Endpoints.Where(e => list.Contains(OpenIddictConstants.Permissions.Prefixes.Endpoint + e))],
            GrantTypes = [.. GrantTypes.Where(g => list.Contains(OpenIddictConstants.Permissions.Prefixes.GrantType + g))],
            Scopes = [.. ScopeCatalog.Names.Where(s => list.Contains(OpenIddictConstants.Permissions.Prefixes.Scope + s))],
        };
    }
}
