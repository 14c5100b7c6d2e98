using System.Security.Cryptography;
using AuthServer.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;

namespace AuthServer.Keys;

/// <summary>
/// Creates, protects and loads the token server's RSA keys. Several keys of each use can be
/// stored, so that a rotation can publish a new key before it signs and keep an old one
/// published while tokens it signed are alive.
/// </summary>
public sealed class KeyStore(ApplicationDbContext db, IDataProtectionProvider dataProtection, TimeProvider time)
{
    private const string Purpose = "AuthRefresh.AuthServer.Keys.v1";
    private const int KeySize = 2048;

    private readonly IDataProtector _protector = dataProtection.CreateProtector(Purpose);

    private static readonly (string Use, string Algorithm)[] Uses =
    [
        (StoredKey.Signing, SecurityAlgorithms.RsaSha256),
        (StoredKey.Encryption, SecurityAlgorithms.RsaOAEP),
    ];

    /// <summary>Creates a signing and an encryption key when there is no current one.</summary>
    public async Task EnsureKeysAsync(CancellationToken cancellationToken)
    {
        foreach (var (use, algorithm) in Uses)
        {
            if (!await db.StoredKeys.AnyAsync(k => k.Use == use && k.RetiredAt == null, cancellationToken))
            {
                db.StoredKeys.Add(Create(use, algorithm));
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Retires the current keys and creates new ones, which servers use from their next start.
    /// Retired keys stay published and usable for validation and decryption, so the tokens they
    /// signed or encrypted stay valid.
    /// </summary>
    public async Task<IReadOnlyList<string>> RotateAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var current in await db.StoredKeys.Where(k => k.RetiredAt == null).ToListAsync(cancellationToken))
        {
            current.RetiredAt = now;
        }

        var created = Uses.Select(u => Create(u.Use, u.Algorithm)).ToList();
        db.StoredKeys.AddRange(created);
        await db.SaveChangesAsync(cancellationToken);
        return [.. created.Select(k => $"{k.Use}:{k.Id}")];
    }

    private StoredKey Create(string use, string algorithm)
    {
        using var rsa = RSA.Create(KeySize);
        return new StoredKey
        {
            Id = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16)),
            Use = use,
            Algorithm = algorithm,
            ProtectedKey = Convert.ToBase64String(_protector.Protect(rsa.ExportPkcs8PrivateKey())),
            CreatedAt = time.GetUtcNow(),
        };
    }

    /// <summary>
    /// The stored keys of one use, the current (newest, not retired) first: OpenIddict signs and
    /// encrypts with the first key (its sort keeps the order of keys that are not certificates).
    /// </summary>
    public IReadOnlyList<RsaSecurityKey> Load(string use)
    {
        var keys = db.StoredKeys.AsNoTracking().Where(k => k.Use == use).ToList()
            .OrderBy(k => k.RetiredAt is null ? 0 : 1)
            .ThenByDescending(k => k.CreatedAt)
            .Select(Unprotect)
            .ToList();

        return keys.Count > 0
            ? keys
            : throw new InvalidOperationException($"No '{use}' key is stored; the database was not initialised.");
    }

    private RsaSecurityKey Unprotect(StoredKey stored)
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(_protector.Unprotect(Convert.FromBase64String(stored.ProtectedKey)), out _);
        return new RsaSecurityKey(rsa) { KeyId = stored.Id };
    }
}
