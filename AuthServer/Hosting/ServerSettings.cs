namespace AuthServer.Hosting;

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

    /// <summary>
    /// How long a client (its secret, permissions and settings) read from the database serves the
    /// token requests of this process before it is read again. A change made on this node applies
    /// at once; other nodes of a cluster see it after at most this long. Zero reads the client on
    /// every request. The default value is 30 seconds.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Server:ClientCacheLifetime must be between 0 and 1 hour.")]
    public TimeSpan ClientCacheLifetime { get; set; } = TimeSpan.FromSeconds(30);
}
