using System.Security.Cryptography;
using AuthRefresh.Shared;
using AuthServer.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace AuthServer.Keys;

/// <summary>
/// Creates, protects and loads the token server's keys. Several keys of each use can be stored, so
/// that a rotation can publish a new key before it signs and keep an old one published while
/// tokens it signed are alive.
/// </summary>
/// <remarks>
/// Signing keys are asymmetric (ES256 or RS256, see <see cref="KeysSettings"/>): resource servers
/// validate access tokens with the public half from the JWKS. The encryption key is symmetric
/// (AES-256 key wrap): only this server ever encrypts or decrypts (refresh tokens), so a public
/// key would buy nothing and an RSA decryption costs about a millisecond per refresh.
/// </remarks>
public sealed class KeyStore(ApplicationDbContext db, IDataProtectionProvider dataProtection, TimeProvider time, IOptions<KeysSettings> settings)
{
    private const string Purpose = "AuthRefresh.AuthServer.Keys.v1";
    private const int RsaKeySize = 2048;

    // Note: the advisory lock nodes take turns on to change the keys ("AR keys" in ASCII).
    private const long KeysLock = 0x4152206B657973;

    private readonly IDataProtector _protector = dataProtection.CreateProtector(Purpose);

    private (string Use, string Algorithm)[] Uses =>
    [
        (StoredKey.Signing, settings.Value.SigningAlgorithm),
        (StoredKey.Encryption, SecurityAlgorithms.Aes256KW),
    ];

    /// <summary>
    /// Makes sure each use has a key of the configured algorithm that is current or announced: one
    /// is created, current at once, when there is none (the other keys of that use are then
    /// retired).
    /// </summary>
    public async Task EnsureKeysAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var (use, algorithm) in Uses)
        {
            var live = await db.StoredKeys.Where(k => k.Use == use && k.RetiredAt == null).ToListAsync(cancellationToken);
            if (live.Any(k => k.Algorithm == algorithm))
            {
                continue;
            }

            foreach (var key in live)
            {
                key.RetiredAt = now;
            }

            db.StoredKeys.Add(Create(use, algorithm, activatesAt: now));
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Creates a new signing and a new encryption key that take over after
    /// <paramref name="announceFor"/>: until then they are published and known to every node, and
    /// the current keys go on signing and encrypting. Keys that were announced and not yet used
    /// give way to the new ones.
    /// </summary>
    public async Task<IReadOnlyList<string>> RotateAsync(TimeSpan announceFor, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var turn = await BeginTurnAsync(cancellationToken);
        var stored = await db.StoredKeys.ToListAsync(cancellationToken);
        var created = new List<StoredKey>();
        foreach (var (use, algorithm) in Uses)
        {
            foreach (var (key, role) in KeyRoles.Arrange(stored.Where(k => k.Use == use), now))
            {
                if (role == KeyRole.Announced || (role == KeyRole.Current && announceFor == TimeSpan.Zero))
                {
                    key.RetiredAt = now;
                }
            }

            created.Add(Create(use, algorithm, activatesAt: now + announceFor));
        }

        db.StoredKeys.AddRange(created);
        await db.SaveChangesAsync(cancellationToken);
        await (turn?.CommitAsync(cancellationToken) ?? Task.CompletedTask);
        return [.. created.Select(k => $"{k.Use}:{k.Id}")];
    }

    /// <summary>
    /// What the rotation job does, once across the nodes at a time: announces the next key of a
    /// use <see cref="KeysSettings.AnnouncePeriod"/> before the current one has served
    /// <see cref="KeysSettings.RotationInterval"/>; marks a key retired once a newer one took over;
    /// deletes a retired key once <paramref name="retention"/> of its use has passed since, when
    /// no token it signed or encrypted can still be valid.
    /// </summary>
    public async Task<KeyRotation> RotateIfDueAsync(Func<string, TimeSpan> retention, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var rotation = new KeyRotation();
        await using var turn = await BeginTurnAsync(cancellationToken);
        var stored = await db.StoredKeys.ToListAsync(cancellationToken);
        foreach (var (use, algorithm) in Uses)
        {
            var arranged = KeyRoles.Arrange(stored.Where(k => k.Use == use), now);
            var current = arranged.FirstOrDefault(k => k.Role == KeyRole.Current).Key;
            if (current is null)
            {
                continue; // EnsureKeysAsync makes one at start.
            }

            foreach (var (key, role) in arranged)
            {
                if (role == KeyRole.Retired && key.RetiredAt is null)
                {
                    key.RetiredAt = current.ActivatesAt;
                    rotation.Retired.Add($"{use}:{key.Id}");
                }

                if (key.RetiredAt + retention(use) <= now)
                {
                    db.StoredKeys.Remove(key);
                    rotation.Deleted.Add($"{use}:{key.Id}");
                }
            }

            var due = current.ActivatesAt + settings.Value.RotationInterval;
            if (arranged.All(k => k.Role != KeyRole.Announced) && due - settings.Value.AnnouncePeriod <= now)
            {
                var next = Create(use, algorithm, activatesAt: Max(due, now + settings.Value.AnnouncePeriod));
                db.StoredKeys.Add(next);
                rotation.Announced.Add($"{use}:{next.Id}");
            }
        }

        if (rotation.Changed)
        {
            await db.SaveChangesAsync(cancellationToken);
            await (turn?.CommitAsync(cancellationToken) ?? Task.CompletedTask);
        }

        return rotation;
    }

    private static DateTimeOffset Max(DateTimeOffset left, DateTimeOffset right) => left > right ? left : right;

    // Note: on PostgreSQL, nodes (and rotate-keys) that change the keys together take turns on an
    // advisory lock held by the transaction; SQLite is one node, whose writes are serialised anyway.
    private async Task<IDbContextTransaction?> BeginTurnAsync(CancellationToken cancellationToken)
        => db.Database.IsNpgsql() ? await db.Database.BeginLockedTransactionAsync(KeysLock, cancellationToken) : null;

    private StoredKey Create(string use, string algorithm, DateTimeOffset activatesAt) => new()
    {
        Id = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16)),
        Use = use,
        Algorithm = algorithm,
        ProtectedKey = Convert.ToBase64String(_protector.Protect(NewKeyMaterial(algorithm))),
        CreatedAt = time.GetUtcNow(),
        ActivatesAt = activatesAt,
    };

    private static byte[] NewKeyMaterial(string algorithm)
    {
        switch (algorithm)
        {
            case SecurityAlgorithms.EcdsaSha256:
                using (var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256))
                {
                    return ecdsa.ExportPkcs8PrivateKey();
                }

            case SecurityAlgorithms.RsaSha256 or SecurityAlgorithms.RsaOAEP:
                using (var rsa = RSA.Create(RsaKeySize))
                {
                    return rsa.ExportPkcs8PrivateKey();
                }

            case SecurityAlgorithms.Aes256KW:
                return RandomNumberGenerator.GetBytes(32);

            default:
                throw new NotSupportedException($"Unsupported key algorithm '{algorithm}'.");
        }
    }

    /// <summary>All stored keys, read without tracking.</summary>
    public Task<List<StoredKey>> ReadAsync(CancellationToken cancellationToken)
        => db.StoredKeys.AsNoTracking().ToListAsync(cancellationToken);

    /// <summary>The key a stored key holds, usable for signing or encryption.</summary>
    public SecurityKey Unprotect(StoredKey stored)
    {
        var material = _protector.Unprotect(Convert.FromBase64String(stored.ProtectedKey));
        switch (stored.Algorithm)
        {
            case SecurityAlgorithms.EcdsaSha256:
                var ecdsa = ECDsa.Create();
                ecdsa.ImportPkcs8PrivateKey(material, out _);
                return new ECDsaSecurityKey(ecdsa) { KeyId = stored.Id };
            case SecurityAlgorithms.RsaSha256 or SecurityAlgorithms.RsaOAEP:
                var rsa = RSA.Create();
                rsa.ImportPkcs8PrivateKey(material, out _);
                return new RsaSecurityKey(rsa) { KeyId = stored.Id };
            case SecurityAlgorithms.Aes256KW:
                return new SymmetricSecurityKey(material) { KeyId = stored.Id };
            default:
                throw new NotSupportedException($"Stored key {stored.Id} has an unsupported algorithm '{stored.Algorithm}'.");
        }
    }
}
