using System.Buffers.Binary;

namespace AuthServer.Stores;

/// <summary>The ids and concurrency tokens of the token and authorization entries this server writes.</summary>
/// <remarks>
/// Ids are version 7 UUIDs: their text starts with the time they were made, so new ids sort after
/// the ones before them, and each insert adds to the right edge of the primary key's index instead
/// of a random page of it. A random id makes every insert read and rewrite a page of an index
/// that grows with every token stored (docs/PERFORMANCE.md). Neither ids nor concurrency tokens
/// are secrets: a token's holder presents the token, never the id. So their random bits come from
/// <see cref="Random.Shared"/> (seeded once per process by the system), not from a system call per
/// value as with <see cref="Guid.NewGuid"/>; 74 random bits keep them unique.
/// </remarks>
internal static class EntryIds
{
    public static string New() => New(DateTimeOffset.UtcNow);

    internal static string New(DateTimeOffset now)
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes[6..]);

        // RFC 9562 §5.7: 48 bits of Unix time in milliseconds, big-endian, over the random bits.
        Span<byte> time = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(time, now.ToUnixTimeMilliseconds());
        time[2..].CopyTo(bytes);
        return Uuid(bytes, version: 7);
    }

    /// <summary>A new value for an entry's concurrency token (a version 4 UUID, as OpenIddict's stores write).</summary>
    public static string NewConcurrencyToken()
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes);
        return Uuid(bytes, version: 4);
    }

    /// <summary>The text of the UUID <paramref name="bytes"/> (RFC byte order) with its version and the RFC variant set.</summary>
    private static string Uuid(Span<byte> bytes, int version)
    {
        bytes[6] = (byte)((version << 4) | (bytes[6] & 0x0F));
        bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
        return new Guid(bytes, bigEndian: true).ToString();
    }
}
