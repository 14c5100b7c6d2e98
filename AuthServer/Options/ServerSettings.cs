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

    /// <summary>
    /// The largest request body the protocol endpoints (<c>/connect/*</c>) read, in bytes; a larger
    /// one is answered 413 before it is read. A token request is a few hundred bytes; the
    /// default, 64 KiB, leaves room for long assertions. Account and admin pages keep ASP.NET
    /// Core's limits.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(1_024, 4 * 1024 * 1024)]
    public long MaxProtocolRequestBodySize { get; set; } = 64 * 1024;
}
