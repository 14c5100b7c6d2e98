using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace AuthServer.Keys;

/// <summary>
/// Gives OpenIddict the persisted keys. Options are built on first use, after the database was
/// migrated and the keys created at start.
/// </summary>
internal sealed class ServerKeysSetup(IServiceScopeFactory scopes) : IConfigureOptions<OpenIddictServerOptions>
{
    public void Configure(OpenIddictServerOptions options)
    {
        using var scope = scopes.CreateScope();
        var store = scope.ServiceProvider.GetRequiredService<KeyStore>();

        foreach (var (key, algorithm) in store.Load(StoredKey.Signing))
        {
            options.SigningCredentials.Add(new SigningCredentials(key, algorithm));
        }

        // Note: the content of refresh tokens is encrypted with AES-256-CBC + HMAC-SHA-512, under a
        // content key wrapped with the stored key (RSA-OAEP for keys made before AES key wrap).
        foreach (var (key, algorithm) in store.Load(StoredKey.Encryption))
        {
            options.EncryptionCredentials.Add(new EncryptingCredentials(key, algorithm, SecurityAlgorithms.Aes256CbcHmacSha512));
        }
    }
}
