using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace AuthServer.Keys;

/// <summary>
/// Gives OpenIddict this node's keys (<see cref="ServerKeys"/>), the current one of each use
/// first, and builds its options again when they change.
/// </summary>
internal sealed class ServerKeysSetup(ServerKeys keys) : IConfigureOptions<OpenIddictServerOptions>, IOptionsChangeTokenSource<OpenIddictServerOptions>
{
    public string Name => Microsoft.Extensions.Options.Options.DefaultName;

    public IChangeToken GetChangeToken() => keys.ChangeToken;

    public void Configure(OpenIddictServerOptions options)
    {
        var current = keys.Current;
        foreach (var (key, algorithm, _) in current.Signing)
        {
            options.SigningCredentials.Add(new SigningCredentials(key, algorithm));
        }

        // Note: the content of refresh tokens is encrypted with AES-256-CBC + HMAC-SHA-512, under a
        // content key wrapped with the stored key (RSA-OAEP for keys made before AES key wrap).
        foreach (var (key, algorithm, _) in current.Encryption)
        {
            options.EncryptionCredentials.Add(new EncryptingCredentials(key, algorithm, SecurityAlgorithms.Aes256CbcHmacSha512));
        }
    }
}
