namespace AuthServer.Options;

/// <summary>General settings of the token server. Bound from the <c>Server</c> section.</summary>
public sealed class ServerSettings
{
    public const string SectionName = "Server";

    /// <summary>
    /// The issuer (the <c>iss</c> of every token and of the discovery document). When not set,
    /// it is taken from the request's scheme and host. The default value is null.
    /// </summary>
    public Uri? Issuer { get; set; }
}
