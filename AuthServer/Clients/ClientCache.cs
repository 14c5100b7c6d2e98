using System.Collections.Concurrent;
using AuthServer.Hosting;
using Microsoft.Extensions.Options;
using OpenIddict.EntityFrameworkCore.Models;

namespace AuthServer.Clients;

/// <summary>
/// The clients as read last from the database, shared by every request of this process for
/// <see cref="ServerSettings.ClientCacheLifetime"/>. Every token request looks its client up
/// (OpenIddict's own entity cache lives for one request), and clients change rarely.
/// </summary>
/// <remarks>
/// A change made through OpenIddict's application manager on this node (the admin pages, the
/// seeder) replaces or drops the entry at once; another node sees it when its entry expires.
/// Each caller gets its own copy, so that a caller that edits the entity (the admin pages do,
/// before they save) changes nobody else's.
/// </remarks>
public sealed class ClientCache(IOptions<ServerSettings> settings, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Entry> _byClientId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry> _byId = new(StringComparer.Ordinal);

    // Counts the removals, so that a client read before one (and so perhaps as it was before the
    // change) is not kept after it.
    private long _removals;

    private sealed record Entry(OpenIddictEntityFrameworkCoreApplication Client, DateTimeOffset Expires);

    /// <summary>What <see cref="Add"/> compares with: take it before reading a client from the database.</summary>
    public long Version => Interlocked.Read(ref _removals);

    public OpenIddictEntityFrameworkCoreApplication? FindByClientId(string clientId) => Copy(Fresh(_byClientId, clientId));

    public OpenIddictEntityFrameworkCoreApplication? FindById(string id) => Copy(Fresh(_byId, id));

    /// <summary>The id of the client kept under <paramref name="clientId"/>, while it is kept; no copy is made.</summary>
    public string? FindId(string clientId) => Fresh(_byClientId, clientId)?.Client.Id;

    /// <summary>Whether the client of id <paramref name="id"/> is kept; no copy is made.</summary>
    public bool Holds(string id) => Fresh(_byId, id) is not null;

    /// <summary>Whether a client of that id was read (and not removed) on this node, however long ago; no copy is made.</summary>
    public bool IsKnown(string clientId) => _byClientId.ContainsKey(clientId);

    /// <summary>
    /// Keeps <paramref name="client"/>, unless a client was removed since <paramref name="readAt"/>
    /// (a <see cref="Version"/>), when it may be the one the removal was for.
    /// </summary>
    public void Add(OpenIddictEntityFrameworkCoreApplication client, long? readAt = null)
    {
        var lifetime = settings.Value.ClientCacheLifetime;
        if (lifetime <= TimeSpan.Zero || client.ClientId is null || client.Id is null)
        {
            return;
        }

        var entry = new Entry(Copy(client), time.GetUtcNow() + lifetime);
        lock (_byId)
        {
            if (readAt is null || readAt == Version)
            {
                _byClientId[client.ClientId] = entry;
                _byId[client.Id] = entry;
            }
        }
    }

    public void Remove(OpenIddictEntityFrameworkCoreApplication client)
    {
        lock (_byId)
        {
            Interlocked.Increment(ref _removals);
            RemoveEntries(client);
        }
    }

    private void RemoveEntries(OpenIddictEntityFrameworkCoreApplication client)
    {
        // Note: by both keys, and by the ones the cached copy holds, in case the caller changed
        // the client id of its own copy before it saved.
        foreach (var entry in new[] { Take(_byClientId, client.ClientId), Take(_byId, client.Id) })
        {
            if (entry is not null)
            {
                Take(_byClientId, entry.Client.ClientId);
                Take(_byId, entry.Client.Id);
            }
        }
    }

    private Entry? Fresh(ConcurrentDictionary<string, Entry> entries, string key)
    {
        if (!entries.TryGetValue(key, out var entry))
        {
            return null;
        }

        if (time.GetUtcNow() >= entry.Expires)
        {
            entries.TryRemove(new KeyValuePair<string, Entry>(key, entry));
            return null;
        }

        return entry;
    }

    private static OpenIddictEntityFrameworkCoreApplication? Copy(Entry? entry) => entry is null ? null : Copy(entry.Client);

    private static Entry? Take(ConcurrentDictionary<string, Entry> entries, string? key)
        => key is not null && entries.TryRemove(key, out var entry) ? entry : null;

    /// <summary>A detached copy of every column of a client (<c>ClientCacheTests</c> checks that none is missed).</summary>
    internal static OpenIddictEntityFrameworkCoreApplication Copy(OpenIddictEntityFrameworkCoreApplication client) => new()
    {
        ApplicationType = client.ApplicationType,
        ClientId = client.ClientId,
        ClientSecret = client.ClientSecret,
        ClientType = client.ClientType,
        ConcurrencyToken = client.ConcurrencyToken,
        ConsentType = client.ConsentType,
        DisplayName = client.DisplayName,
        DisplayNames = client.DisplayNames,
        Id = client.Id,
        JsonWebKeySet = client.JsonWebKeySet,
        Permissions = client.Permissions,
        PostLogoutRedirectUris = client.PostLogoutRedirectUris,
        Properties = client.Properties,
        RedirectUris = client.RedirectUris,
        Requirements = client.Requirements,
        Settings = client.Settings,
    };
}
