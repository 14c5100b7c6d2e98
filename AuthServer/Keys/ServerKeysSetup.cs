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

        foreach (var key in store.Load(StoredKey.Signing))
        {
            options.SigningCredentials.Add(new SigningCredentials(key, SecurityAlgorithms.RsaSha256));
        }

        foreach (var key in store.Load(StoredKey.Encryption))
        {
            options.EncryptionCredentials.Add(new EncryptingCredentials(
                key, SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512));
        }
    }
}
