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

/// <summary>Reads the stored keys again every <see cref="KeysSettings.ReloadInterval"/>.</summary>
internal sealed class ServerKeysReloader(ServerKeys keys, IOptions<KeysSettings> settings, TimeProvider time, ILogger<ServerKeysReloader> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.Value.ReloadInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await keys.ReloadAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // Note: the database may be away for a while; the keys loaded last stay in use.
                logger.LogWarning(e, "The stored keys could not be read again; the loaded ones stay in use.");
            }
        }
    }
}
