namespace AuthServer.Clients;

/// <summary>
/// One OAuth client, seeded at start. Bound from <c>Clients:{client_id}</c>.
/// </summary>
public sealed class ClientSettings
{
    public const string SectionName = "Clients";
    public const string Confidential = "confidential";
    public const string Public = "public";

    public string? DisplayName { get; set; }

    /// <summary><c>confidential</c> (has a secret) or <c>public</c>. The default value is confidential.</summary>
    public string Type { get; set; } = Confidential;

    /// <summary>The client secret of a confidential client; never committed outside Development.</summary>
    public string? Secret { get; set; }

    /// <summary>Endpoints the client may call: <c>token</c>, <c>revocation</c>, <c>introspection</c>.</summary>
    public List<string> Endpoints { get; set; } = [];

    /// <summary>Grant types: <c>password</c>, <c>refresh_token</c>, <c>client_credentials</c>.</summary>
    public List<string> GrantTypes { get; set; } = [];

    /// <summary>Scopes the client may ask for.</summary>
    public List<string> Scopes { get; set; } = [];
}

public static class ClientPermissions
{
    public static readonly string[] Endpoints = ["token", "revocation", "introspection"];
    public static readonly string[] GrantTypes = ["password", "refresh_token", "client_credentials"];

    /// <summary>Reads a client's permissions back into the settings shape the seeder writes.</summary>
    public static ClientSettings ToSettings(IEnumerable<string> permissions, string type, string? displayName)
    {
        var list = permissions.ToList();
        return new ClientSettings
        {
            Type = type,
            DisplayName = displayName,
            Endpoints = [.. Endpoints.Where(e => list.Contains(OpenIddict.Abstractions.OpenIddictConstants.Permissions.Prefixes.Endpoint + e))],
            GrantTypes = [.. GrantTypes.Where(g => list.Contains(OpenIddict.Abstractions.OpenIddictConstants.Permissions.Prefixes.GrantType + g))],
            Scopes = [.. ScopeCatalog.Names.Where(s => list.Contains(OpenIddict.Abstractions.OpenIddictConstants.Permissions.Prefixes.Scope + s))],
        };
    }
}
