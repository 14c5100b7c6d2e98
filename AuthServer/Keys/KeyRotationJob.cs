using Microsoft.Extensions.Options;
using OpenIddict.Server;
using Quartz;

namespace AuthServer.Keys;

/// <summary>
/// The Quartz job that rotates the keys by themselves (<see cref="KeyStore.RotateIfDueAsync"/>),
/// then reads them again on this node, which so uses a change of its own at once.
/// </summary>
[DisallowConcurrentExecution]
public sealed class KeyRotationJob(
    KeyStore store,
    ServerKeys keys,
    IOptionsMonitor<OpenIddictServerOptions> server,
    ILogger<KeyRotationJob> logger) : IJob
{
    public static readonly JobKey Key = new("rotate-keys", "authrefresh");

    // Note: the clock skew validators allow past a token's expiry (ResourceApi's, and the usual default).
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var options = server.CurrentValue;
        var signed = Max(options.AccessTokenLifetime, options.IdentityTokenLifetime) + ClockSkew;
        // Note: a refresh token lives at most its idle lifetime from its issue, and its successor
        // is protected by the key current then.
        var encrypted = (options.RefreshTokenLifetime ?? TimeSpan.Zero) + ClockSkew;
        var rotation = await store.RotateIfDueAsync(use => use == StoredKey.Signing ? signed : encrypted, cancellationToken);
        if (rotation.Changed)
        {
            logger.LogInformation("Key rotation: {Rotation}", rotation);
        }

        await keys.ReloadAsync(cancellationToken);
    }

    private static TimeSpan Max(TimeSpan? left, TimeSpan? right)
        => TimeSpan.FromTicks(Math.Max(left?.Ticks ?? 0, right?.Ticks ?? 0));
}
