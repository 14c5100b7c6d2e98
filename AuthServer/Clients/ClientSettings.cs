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
