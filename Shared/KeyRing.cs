using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AuthRefresh.Shared;

/// <summary>
/// Where an app's ASP.NET Core Data Protection keys live: in its database, so that they survive a
/// restart and every node shares them, and encrypted there with a certificate when one is
/// configured (<c>DataProtection:CertificatePath</c>, a PKCS#12 file with its private key, and
/// <c>DataProtection:CertificatePassword</c>). AuthServer's signing and encryption keys are
/// protected by this key ring, so the certificate protects them too.
/// </summary>
public static class KeyRing
{
    public const string SectionName = "DataProtection";

    public static void AddDatabaseKeyRing<TContext>(this IHostApplicationBuilder builder, string applicationName)
        where TContext : DbContext, IDataProtectionKeyContext
    {
        var dataProtection = builder.Services.AddDataProtection()
            .SetApplicationName(applicationName)
            .PersistKeysToDbContext<TContext>();

        var section = builder.Configuration.GetSection(SectionName);
        if (section["CertificatePath"] is not { Length: > 0 } path)
        {
            return; // ASP.NET Core warns at start that the keys are stored unencrypted.
        }

        if (!Path.IsPathRooted(path))
        {
            path = Path.Combine(builder.Environment.ContentRootPath, path);
        }

        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{SectionName}:CertificatePath: {path} does not exist.");
        }

        var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, section["CertificatePassword"], X509KeyStorageFlags.EphemeralKeySet);
        if (!certificate.HasPrivateKey)
        {
            throw new InvalidOperationException($"{SectionName}:CertificatePath: {path} holds no private key.");
        }

        // Note: outside Windows the decryptor finds a certificate only among those named here.
        dataProtection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
    }
}
