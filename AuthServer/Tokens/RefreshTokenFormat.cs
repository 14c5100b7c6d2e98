using System.Buffers;
using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AuthServer.Tokens;

/// <summary>
/// The refresh tokens this server issues. The client holds a random handle (256 bits,
/// base64url); the token entry stores the handle's SHA-256 (as OpenIddict's token manager
/// obfuscates reference identifiers, so its own lookups find the entry) and the token's claims,
/// encrypted with AES-256-GCM under a key derived from the server's stored encryption key. Nothing
/// is signed, verified or parsed as a JWT: the handle only ever comes back to this server, which
/// finds the entry by it.
/// </summary>
/// <remarks>
/// The successor of a refresh token is not random: it is an HMAC of the presented handle, under a
/// second key derived from the same stored key. Every presentation of one token, concurrent or
/// retried after a lost answer, so derives the same successor, and the successor is stored nowhere
/// but as its hash: a family cannot fork into parallel chains, and a client whose answer was lost
/// gets the same answer again.
/// </remarks>
internal sealed class RefreshTokenFormat(IOptionsMonitor<OpenIddictServerOptions> options)
{
    // "ar1.{key id}.{nonce, ciphertext, tag in base64url}": the payloads of this format; OpenIddict's
    // own are JWTs, which start with "eyJ".
    private const string Prefix = "ar1.";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private static readonly byte[] PayloadPurpose = "AuthRefresh refresh token payload v1"u8.ToArray();
    private static readonly byte[] SuccessorPurpose = "AuthRefresh refresh token successor v1"u8.ToArray();

    private readonly ConcurrentDictionary<string, DerivedKeys> _keys = new(StringComparer.Ordinal);

    /// <summary>A new handle, for the first refresh token of a login.</summary>
    public static string NewHandle() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// The successor of <paramref name="handle"/>, derived with the key that protected its payload,
    /// so that every server sharing the keys derives the same one, across a key rotation too.
    /// </summary>
    public string SuccessorOf(string handle, string? payload)
    {
        var keys = KeyOf(payload) is { } id ? Keys(id) : Current();
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(keys.Successor, Encoding.UTF8.GetBytes(handle), mac);
        return Base64Url.EncodeToString(mac);
    }

    /// <summary>The stored form of a handle: as OpenIddict's token manager obfuscates reference identifiers.</summary>
    public static string Obfuscate(string handle) => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(handle)));

    /// <summary>Whether a stored payload is of this format (and not one of OpenIddict's JWTs).</summary>
    public static bool IsOwn(string? payload) => payload?.StartsWith(Prefix, StringComparison.Ordinal) == true;

    /// <summary>
    /// The protected payload of the token entry <paramref name="tokenId"/>: the principal's claims,
    /// with their destinations, except those the entry's own columns hold.
    /// </summary>
    public string Protect(ClaimsPrincipal principal, string tokenId)
    {
        var claims = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(claims))
        {
            writer.WriteStartArray();
            foreach (var claim in principal.Claims)
            {
                if (FromColumns(claim.Type))
                {
                    continue;
                }

                writer.WriteStartArray();
                writer.WriteStringValue(claim.Type);
                writer.WriteStringValue(claim.Value);
                if (claim.ValueType == ClaimValueTypes.String)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    writer.WriteStringValue(claim.ValueType);
                }

                var destinations = claim.GetDestinations();
                if (!destinations.IsDefaultOrEmpty)
                {
                    writer.WriteStartArray();
                    foreach (var destination in destinations)
                    {
                        writer.WriteStringValue(destination);
                    }

                    writer.WriteEndArray();
                }

                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        var (keyId, keys) = CurrentWithId();
        var sealedLength = NonceSize + claims.WrittenCount + TagSize;
        var buffer = ArrayPool<byte>.Shared.Rent(sealedLength);
        try
        {
            var nonce = buffer.AsSpan(0, NonceSize);
            RandomNumberGenerator.Fill(nonce);
            using (var aes = new AesGcm(keys.Payload, TagSize))
            {
                aes.Encrypt(nonce, claims.WrittenSpan, buffer.AsSpan(NonceSize, claims.WrittenCount),
                    buffer.AsSpan(NonceSize + claims.WrittenCount, TagSize), Encoding.UTF8.GetBytes(tokenId));
            }

            return string.Concat(Prefix, keyId, ".", Base64Url.EncodeToString(buffer.AsSpan(0, sealedLength)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The principal of a payload of this format, or null when it cannot be read: another entry's
    /// payload (the token id is authenticated with it), a key that is gone, a damaged value.
    /// </summary>
    public ClaimsPrincipal? Unprotect(string payload, string tokenId)
    {
        if (KeyOf(payload) is not { } keyId || FindKeys(keyId) is not { } keys)
        {
            return null;
        }

        byte[] sealedBytes;
        try
        {
            sealedBytes = Base64Url.DecodeFromChars(payload.AsSpan(Prefix.Length + keyId.Length + 1));
        }
        catch (FormatException)
        {
            return null;
        }

        if (sealedBytes.Length < NonceSize + TagSize)
        {
            return null;
        }

        var plain = new byte[sealedBytes.Length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(keys.Payload, TagSize);
            aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize, plain.Length),
                sealedBytes.AsSpan(NonceSize + plain.Length), plain, Encoding.UTF8.GetBytes(tokenId));
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }

        return ReadClaims(plain);
    }

    private static ClaimsPrincipal ReadClaims(ReadOnlySpan<byte> json)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        var reader = new Utf8JsonReader(json);
        reader.Read(); // [
        while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
        {
            reader.Read();
            var type = reader.GetString()!;
            reader.Read();
            var value = reader.GetString()!;
            reader.Read();
            var valueType = reader.TokenType == JsonTokenType.Null ? ClaimValueTypes.String : reader.GetString()!;
            var claim = new Claim(type, value, valueType);
            reader.Read();
            if (reader.TokenType == JsonTokenType.StartArray)
            {
                var destinations = new List<string>(2);
                while (reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    destinations.Add(reader.GetString()!);
                }

                claim.SetDestinations(destinations);
                reader.Read(); // ] of the claim
            }

            identity.AddClaim(claim);
        }

        return new ClaimsPrincipal(identity);
    }

    // Note: the entry's columns are the truth for these; OpenIddict restores them from it.
    private static bool FromColumns(string type) => type is Claims.Private.TokenId or Claims.Private.AuthorizationId
        or Claims.Private.CreationDate or Claims.Private.ExpirationDate or Claims.Private.TokenType;

    private static string? KeyOf(string? payload)
    {
        if (!IsOwn(payload))
        {
            return null;
        }

        var end = payload!.IndexOf('.', Prefix.Length);
        return end > Prefix.Length ? payload[Prefix.Length..end] : null;
    }

    private DerivedKeys Current() => CurrentWithId().Keys;

    // Note: OpenIddict encrypts with the first of its encryption keys, the current one (KeyStore
    // loads it first); the stored keys are symmetric, except RSA keys made before AES key wrap.
    private (string Id, DerivedKeys Keys) CurrentWithId()
    {
        foreach (var credentials in options.CurrentValue.EncryptionCredentials)
        {
            if (credentials.Key is SymmetricSecurityKey { KeyId: { Length: > 0 } id })
            {
                return (id, Keys(id));
            }
        }

        throw new InvalidOperationException("No symmetric encryption key is configured: refresh tokens cannot be protected.");
    }

    private DerivedKeys Keys(string keyId)
        => FindKeys(keyId) ?? throw new InvalidOperationException($"The encryption key '{keyId}' is not configured.");

    private DerivedKeys? FindKeys(string keyId)
    {
        if (_keys.TryGetValue(keyId, out var keys))
        {
            return keys;
        }

        foreach (var credentials in options.CurrentValue.EncryptionCredentials)
        {
            if (credentials.Key is SymmetricSecurityKey key && key.KeyId == keyId)
            {
                return _keys.GetOrAdd(keyId, new DerivedKeys(
                    HKDF.DeriveKey(HashAlgorithmName.SHA256, key.Key, 32, salt: [], info: PayloadPurpose),
                    HKDF.DeriveKey(HashAlgorithmName.SHA256, key.Key, 32, salt: [], info: SuccessorPurpose)));
            }
        }

        return null;
    }

    private sealed record DerivedKeys(byte[] Payload, byte[] Successor);
}
