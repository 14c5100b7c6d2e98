using System.Buffers;
using System.Diagnostics.Metrics;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using OpenIddict.Abstractions;

namespace ResourceApi.Auth;

/// <summary>
/// The principals of tokens that already passed validation, for a short time, so that the next
/// request with the same token skips it: OpenIddict's pipeline, the signature check or the
/// introspection call (see <see cref="CachedBearerHandler"/>).
/// Tokens are keyed by their SHA-256 hash, never stored whole; at most <see cref="Capacity"/>
/// entries are kept. Each lookup is counted in the <c>AuthRefresh.ResourceApi</c> meter as
/// <c>resourceapi.token_cache.lookups</c>, tagged <c>kind</c> and <c>result</c> (hit or miss).
/// </summary>
internal sealed class ValidatedTokenCache(TimeProvider time, IMeterFactory meters) : IDisposable
{
    public const int Capacity = 20_000;
    public const string MeterName = "AuthRefresh.ResourceApi";
    public const string LookupsCounter = "resourceapi.token_cache.lookups";

    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = Capacity });

    private readonly Counter<long> _lookups = meters.Create(MeterName).CreateCounter<long>(
        LookupsCounter, description: "Token cache lookups, by kind (jwt, introspection) and result (hit, miss).");

    public bool TryGet(string kind, string token, out ClaimsPrincipal principal, out DateTimeOffset? expires)
    {
        var hit = _cache.TryGetValue(Key(kind, token), out Entry? entry) && entry is not null && entry.Until > time.GetUtcNow();
        _lookups.Add(1, new("kind", kind), new("result", hit ? "hit" : "miss"));

        // Note: each request gets a copy, so that nothing one request does to its principal is seen
        // by the next.
        principal = hit ? entry!.Principal.Clone(_ => true) : null!;
        expires = hit ? entry!.Expires : null;
        return hit;
    }

    /// <summary>Keeps <paramref name="principal"/> for <paramref name="duration"/>, never past <paramref name="expires"/>.</summary>
    public void Store(string kind, string token, ClaimsPrincipal principal, TimeSpan duration, DateTimeOffset? expires)
    {
        var now = time.GetUtcNow();
        var until = now + duration;
        if (expires is { } end && end < until)
        {
            until = end;
        }

        if (until > now)
        {
            _cache.Set(Key(kind, token), new Entry(principal.Clone(_ => true), until, expires), new MemoryCacheEntryOptions
            {
                AbsoluteExpirationRelativeToNow = until - now,
                Size = 1,
            });
        }
    }

    public void Dispose() => _cache.Dispose();

    // Note: built with one allocation, the key itself: the token's bytes, hundreds of them, are
    // hashed on the stack unless the token is unusually long.
    private static string Key(string kind, string token)
    {
        const int StackLimit = 4096;
        var length = Encoding.UTF8.GetByteCount(token);
        var rented = length > StackLimit ? ArrayPool<byte>.Shared.Rent(length) : null;
        Span<byte> bytes = rented ?? stackalloc byte[length];
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes[..Encoding.UTF8.GetBytes(token, bytes)], hash);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }

        Span<char> key = stackalloc char[kind.Length + 1 + (2 * SHA256.HashSizeInBytes)];
        kind.CopyTo(key);
        key[kind.Length] = ':';
        Convert.TryToHexString(hash, key[(kind.Length + 1)..], out _);
        return new string(key);
    }

    // Note: the entry carries its own end as well: MemoryCache only looks at the clock it was
    // built with, and the tests move a fake one.
    private sealed record Entry(ClaimsPrincipal Principal, DateTimeOffset Until, DateTimeOffset? Expires);
}
