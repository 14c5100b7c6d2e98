using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AuthRefresh.Testing;
using Microsoft.Data.Sqlite;

namespace AuthServer.Tests;

/// <summary>
/// What an attacker who copies the database file finds: with a key-encryption certificate
/// configured, the Data Protection key ring (and so the private signing keys it protects) only
/// encrypted; and the database's files are readable by their owner only.
/// </summary>
public sealed class AtRestTests : IDisposable
{
    private const string CertificatePassword = "at-rest-test-password";

    private readonly TempDirectory _folder = new();

    // A restarted server keeps its issuer, although the test's port changes.
    private Dictionary<string, string?> Settings(bool certificate) => certificate
        ? new()
        {
            ["Server:Issuer"] = "http://authserver.test/",
            ["DataProtection:CertificatePath"] = CertificatePath,
            ["DataProtection:CertificatePassword"] = CertificatePassword,
        }
        : new() { ["Server:Issuer"] = "http://authserver.test/" };

    private string Database => Path.Combine(_folder.Path, "authserver.db");

    private string CertificatePath => Path.Combine(_folder.Path, "key-encryption.pfx");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task With_a_certificate_the_key_ring_is_stored_encrypted_and_read_back_after_a_restart()
    {
        WriteCertificate();
        OAuthResponse login;
        using (var before = new AuthServerFactory(Settings(certificate: true), _folder.Path))
        {
            login = await before.CreateTokenClient().LoginAsync();
        }

        var keyRing = KeyRingXml();
        Assert.NotEmpty(keyRing);
        Assert.All(keyRing, xml =>
        {
            Assert.Contains("EncryptedData", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
        });

        using var after = new AuthServerFactory(Settings(certificate: true), _folder.Path);
        var client = after.CreateTokenClient();
        Assert.True((await Jwt.ValidateAsync(client.Http, login.AccessToken!, "resource-api")).IsValid);
        Assert.Equal(HttpStatusCode.OK, (await client.RefreshAsync(login.RefreshToken!)).Status);
    }

    [Fact]
    public async Task Without_a_certificate_the_key_ring_is_stored_in_clear()
    {
        using (var server = new AuthServerFactory(Settings(certificate: false), _folder.Path))
        {
            await server.CreateTokenClient().LoginAsync();
        }

        Assert.All(KeyRingXml(), xml => Assert.Contains("<value>", xml, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_database_files_are_readable_by_their_owner_only_even_if_they_were_not()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix file modes; Windows keeps the folder's access rules.
        }

        File.WriteAllBytes(Database, []);
        File.SetUnixFileMode(Database, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        using var server = new AuthServerFactory(Settings(certificate: false), _folder.Path);
        await server.CreateTokenClient().LoginAsync();

        foreach (var file in new[] { Database, Database + "-wal", Database + "-shm" })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }

    private void WriteCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=AuthRefresh key encryption (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        File.WriteAllBytes(CertificatePath, certificate.Export(X509ContentType.Pfx, CertificatePassword));
    }

    private List<string> KeyRingXml()
    {
        using var connection = new SqliteConnection($"Data Source={Database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT Xml FROM DataProtectionKeys";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }
}
