using System.Security.Cryptography;
using AuthServer.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
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

    private readonly IDataProtector _protector = dataProtection.CreateProtector(Purpose);

    private (string Use, string Algorithm)[] Uses =>
    [
        (StoredKey.Signing, settings.Value.SigningAlgorithm),
        (StoredKey.Encryption, SecurityAlgorithms.Aes256KW),
    ];

    /// <summary>
    /// Makes sure each use has a current key of the configured algorithm: one is created when
    /// there is none, or when the current one has another algorithm (which is then retired).
    /// </summary>
    public async Task EnsureKeysAsync(CancellationToken cancellationToken)
    {
        foreach (var (use, algorithm) in Uses)
        {
            var current = await db.StoredKeys.Where(k => k.Use == use && k.RetiredAt == null).ToListAsync(cancellationToken);
            if (current.Any(k => k.Algorithm == algorithm))
            {
                continue;
            }

            foreach (var key in current)
            {
                key.RetiredAt = time.GetUtcNow();
            }

            db.StoredKeys.Add(Create(use, algorithm));
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

    private StoredKey Create(string use, string algorithm) => new()
    {
        Id = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16)),
        Use = use,
        Algorithm = algorithm,
        ProtectedKey = Convert.ToBase64String(_protector.Protect(NewKeyMaterial(algorithm))),
        CreatedAt = time.GetUtcNow(),
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

    /// <summary>
    /// The stored keys of one use, the current (newest, not retired) first: OpenIddict signs and
    /// encrypts with the first key (its sort keeps the order of keys of one kind that are not
    /// certificates).
    /// </summary>
    public IReadOnlyList<(SecurityKey Key, string Algorithm)> Load(string use)
    {
        var keys = db.StoredKeys.AsNoTracking().Where(k => k.Use == use).ToList()
            .OrderBy(k => k.RetiredAt is null ? 0 : 1)
            .ThenByDescending(k => k.CreatedAt)
            .Select(k => (Unprotect(k), k.Algorithm))
            .ToList();

        return keys.Count > 0
            ? keys
            : throw new InvalidOperationException($"No '{use}' key is stored; the database was not initialised.");
    }

    private SecurityKey Unprotect(StoredKey stored)
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
