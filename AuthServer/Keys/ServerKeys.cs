using System.Collections.Concurrent;
using Microsoft.Extensions.Primitives;
using Microsoft.IdentityModel.Tokens;

namespace AuthServer.Keys;

/// <summary>
/// The keys this node uses, as it last read them from the database, and a change token that
/// fires when they change: OpenIddict's options are built again from them, so a key another node
/// (or <c>rotate-keys</c>) made, or an announced key whose time came, is used without a restart.
/// </summary>
public sealed class ServerKeys(IServiceScopeFactory scopes, TimeProvider time, ILogger<ServerKeys> logger)
{
    private readonly ConcurrentDictionary<string, SecurityKey> _unprotected = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile Loaded? _loaded;
    private CancellationTokenSource _changed = new();

    /// <summary>The keys of each use in the order of <see cref="KeyRoles.Arrange"/>.</summary>
    public sealed record Loaded(
        string Fingerprint,
        IReadOnlyList<(SecurityKey Key, string Algorithm, KeyRole Role)> Signing,
        IReadOnlyList<(SecurityKey Key, string Algorithm, KeyRole Role)> Encryption);

    /// <summary>The keys last read; read now if they never were.</summary>
    public Loaded Current => _loaded ?? ReloadAsync(CancellationToken.None).GetAwaiter().GetResult().Keys;

    /// <summary>Fires once, when <see cref="Current"/> changes after it.</summary>
    public IChangeToken ChangeToken => new CancellationChangeToken(Volatile.Read(ref _changed).Token);

    /// <summary>Reads the stored keys again; true when they changed (and the change token fired).</summary>
    public async Task<(bool Changed, Loaded Keys)> ReloadAsync(CancellationToken cancellationToken)
    {
        await _reload.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var store = scope.ServiceProvider.GetRequiredService<KeyStore>();
            var stored = await store.ReadAsync(cancellationToken);
            var now = time.GetUtcNow();
            var signing = KeyRoles.Arrange(stored.Where(k => k.Use == StoredKey.Signing), now);
            var encryption = KeyRoles.Arrange(stored.Where(k => k.Use == StoredKey.Encryption), now);
            var fingerprint = string.Join(' ', signing.Concat(encryption).Select(k => $"{k.Key.Use}:{k.Key.Id}:{k.Role}"));
            if (_loaded is { } loaded && loaded.Fingerprint == fingerprint)
            {
                return (false, loaded);
            }

            if (signing.Count == 0 || encryption.Count == 0)
            {
                throw new InvalidOperationException("No signing or no encryption key is stored; the database was not initialised.");
            }

            var previous = _loaded;
            _loaded = new Loaded(fingerprint, Unprotect(store, signing), Unprotect(store, encryption));
            if (previous is not null)
            {
                logger.LogInformation("Keys changed: {Keys}", fingerprint);
                // Note: the fired source is not disposed: a listener may still be registering on its token.
                var changed = Interlocked.Exchange(ref _changed, new CancellationTokenSource());
                await changed.CancelAsync();
            }

            return (true, _loaded);
        }
        finally
        {
            _reload.Release();
        }
    }

    private List<(SecurityKey, string, KeyRole)> Unprotect(KeyStore store, IReadOnlyList<(StoredKey Key, KeyRole Role)> keys)
        => [.. keys.Select(k => (_unprotected.GetOrAdd(k.Key.Id, _ => store.Unprotect(k.Key)), k.Key.Algorithm, k.Role))];
}
