using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;

namespace AuthRefresh.Bench.Limits;

/// <summary>
/// The cost of the work no server can avoid, measured on this machine (median of several samples,
/// one thread): one password hash as Identity makes it, one signature of each kind the server may
/// sign access tokens with and its verification, and one durable SQLite commit.
/// </summary>
public sealed record Limits(
    int Cores,
    int Pbkdf2Iterations,
    double Pbkdf2Ms,
    double Rs256SignMs,
    double Rs256VerifyMs,
    double Es256SignMs,
    double Es256VerifyMs,
    double SqliteCommitMs,
    string SqliteSynchronous)
{
    public static Limits Measure(string folder)
    {
        var pbkdf2 = Median(15, HashPassword);

        // Note: about the size of the server's access tokens' signed part.
        var data = RandomNumberGenerator.GetBytes(900);
        using var rsa = RSA.Create(2048);
        var rsaSignature = rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var ecdsaSignature = ecdsa.SignData(data, HashAlgorithmName.SHA256);

        var (commit, synchronous) = MeasureCommit(folder);
        return new Limits(
            Environment.ProcessorCount,
            IdentityIterations,
            pbkdf2,
            Median(300, () => rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)),
            Median(300, () => rsa.VerifyData(data, rsaSignature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)),
            Median(300, () => ecdsa.SignData(data, HashAlgorithmName.SHA256)),
            Median(300, () => ecdsa.VerifyData(data, ecdsaSignature, HashAlgorithmName.SHA256)),
            commit,
            synchronous);
    }

    /// <summary>
    /// Password grants per second if every core did nothing but hash: each grant verifies one hash.
    /// </summary>
    public double PasswordCeiling => Cores * 1000 / Pbkdf2Ms;

    /// <summary>
    /// Identity's password hashes per second with one thread per core hashing for
    /// <paramref name="duration"/>: the password grant's ceiling as the machine delivers it at
    /// that moment (two vCPUs need not hash twice as fast as one, and their speed drifts).
    /// </summary>
    public static double MeasurePbkdf2Throughput(TimeSpan duration)
    {
        var hashes = 0;
        var stop = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var start = Stopwatch.GetTimestamp();
        var threads = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => new Thread(() =>
        {
            while (Stopwatch.GetTimestamp() < stop)
            {
                HashPassword();
                Interlocked.Increment(ref hashes);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return hashes / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>
    /// Refresh grants per second if the cores did nothing but sign the new access token
    /// (<paramref name="signMs"/>), or if the database did nothing but commit the refresh's one
    /// write transaction (SQLite has one writer at a time), whichever is lower.
    /// </summary>
    public double RefreshCeiling(double signMs) => Math.Min(Cores * 1000 / signMs, 1000 / SqliteCommitMs);

    /// <summary>API calls per second if the cores did nothing but verify the token's signature.</summary>
    public double ApiCeiling(double verifyMs) => Cores * 1000 / verifyMs;

    // Identity's password hash: PBKDF2-HMAC-SHA512 at its default iteration count, a 128-bit salt
    // and a 256-bit subkey.
    private static readonly int IdentityIterations = new PasswordHasherOptions().IterationCount;
    private static readonly byte[] Password = Encoding.UTF8.GetBytes("correct horse battery staple");
    private static readonly byte[] Salt = RandomNumberGenerator.GetBytes(16);

    private static void HashPassword() => Rfc2898DeriveBytes.Pbkdf2(Password, Salt, IdentityIterations, HashAlgorithmName.SHA512, 32);

    private static (double Milliseconds, string Synchronous) MeasureCommit(string folder)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"commit-{Guid.NewGuid():N}.db");
        try
        {
            // Note: the settings the servers use: WAL, and SQLite's default synchronous mode
            // (FULL: the WAL is synced at every commit).
            using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
            connection.Open();
            Execute(connection, "PRAGMA journal_mode=WAL; CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT)");
            using var synchronousQuery = connection.CreateCommand();
            synchronousQuery.CommandText = "PRAGMA synchronous";
            var synchronous = Convert.ToInt64(synchronousQuery.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) switch
            {
                0 => "OFF",
                1 => "NORMAL",
                2 => "FULL",
                3 => "EXTRA",
                var other => other.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };

            var payload = new string('x', 1000);
            var commit = Median(300, () =>
            {
                using var transaction = connection.BeginTransaction();
                using var insert = connection.CreateCommand();
                insert.CommandText = "INSERT INTO t (payload) VALUES ($p)";
                insert.Parameters.AddWithValue("$p", payload);
                insert.ExecuteNonQuery();
                transaction.Commit();
            });
            return (commit, synchronous);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in Directory.GetFiles(folder, Path.GetFileName(path) + "*"))
            {
                File.Delete(file);
            }
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static double Median(int samples, Action action)
    {
        action(); // warm-up
        var times = new double[samples];
        for (var i = 0; i < samples; i++)
        {
            var start = Stopwatch.GetTimestamp();
            action();
            times[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(times);
        return times[samples / 2];
    }
}
