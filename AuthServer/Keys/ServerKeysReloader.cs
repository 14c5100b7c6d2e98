using Microsoft.Extensions.Options;

namespace AuthServer.Keys;

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
