using System.Globalization;
using System.Security.Cryptography;
using AuthRefresh.Bench.Load;
using AuthRefresh.Shared;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AuthRefresh.Bench.Data;

/// <summary>
/// Writes the benchmark's data straight into AuthServer's SQLite file or PostgreSQL database
/// (after AuthServer created and migrated it): the users, and for the growth run, stored tokens
/// in bulk.
/// </summary>
public static class BenchData
{
    // OpenIddict stores token types as their RFC 8693 identifiers.
    private const string RefreshTokenType = "urn:ietf:params:oauth:token-type:refresh_token";
    private const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";
    private const string SqliteDate = "yyyy-MM-dd HH:mm:ss.FFFFFFF";

    /// <summary>
    /// Adds the users. Their password hash is the one Identity makes (PBKDF2-HMAC-SHA512 at its
    /// default iteration count), computed once and shared: checking it costs the same.
    /// </summary>
    public static void SeedUsers(string databasePath, BenchUsers users)
    {
        var hash = new PasswordHasher<object>().HashPassword(new object(), users.Password);
        using var connection = Open(databasePath);
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO AspNetUsers (Id, UserName, NormalizedUserName, Email, NormalizedEmail, EmailConfirmed,
                PasswordHash, SecurityStamp, ConcurrencyStamp, PhoneNumberConfirmed, TwoFactorEnabled, LockoutEnabled, AccessFailedCount)
            VALUES ($id, $name, $normalizedName, $email, $normalizedEmail, 1, $hash, $stamp, $concurrency, 0, 0, 1, 0)
            """;
        var parameters = AddParameters(insert, "$id", "$name", "$normalizedName", "$email", "$normalizedEmail", "$hash", "$stamp", "$concurrency");
        for (var i = 0; i < users.Count; i++)
        {
            var name = users.Name(i);
            var email = name + "@bench.invalid";
            Set(parameters, Guid.NewGuid().ToString(), name, name.ToUpperInvariant(), email, email.ToUpperInvariant(),
                hash, Base32Stamp(), Guid.NewGuid().ToString());
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>The same users, in AuthServer's PostgreSQL database.</summary>
    public static async Task SeedUsersAsync(string postgreSql, BenchUsers users, CancellationToken cancellationToken)
    {
        var hash = new PasswordHasher<object>().HashPassword(new object(), users.Password);
        await using var connection = new NpgsqlConnection(postgreSql);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        for (var i = 0; i < users.Count; i++)
        {
            var name = users.Name(i);
            var email = name + "@bench.invalid";
            await using var insert = new NpgsqlCommand("""
                INSERT INTO "AspNetUsers" ("Id", "UserName", "NormalizedUserName", "Email", "NormalizedEmail", "EmailConfirmed",
                    "PasswordHash", "SecurityStamp", "ConcurrencyStamp", "PhoneNumberConfirmed", "TwoFactorEnabled", "LockoutEnabled", "AccessFailedCount")
                VALUES (@id, @name, @normalizedName, @email, @normalizedEmail, true, @hash, @stamp, @concurrency, false, false, true, 0)
                """, connection, transaction)
            {
                Parameters =
                {
                    new("id", Guid.NewGuid().ToString()), new("name", name), new("normalizedName", name.ToUpperInvariant()),
                    new("email", email), new("normalizedEmail", email.ToUpperInvariant()), new("hash", hash),
                    new("stamp", Base32Stamp()), new("concurrency", Guid.NewGuid().ToString()),
                },
            };
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Gives each of the benchmark's users <paramref name="perUser"/> notes in ResourceApi's
    /// database, so that <c>GET /api/notes</c> reads and returns a list, as it does for a real user.
    /// </summary>
    public static void SeedNotes(string authServerDatabase, string resourceApiDatabase, BenchUsers users, int perUser)
    {
        List<string> owners;
        using (var auth = Open(authServerDatabase))
        {
            owners = UserIds(auth, users.Prefix);
        }

        using var connection = Open(resourceApiDatabase);
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO Notes (OwnerId, Body, CreatedAt, UpdatedAt) VALUES ($owner, $body, $at, $at)";
        var parameters = AddParameters(insert, "$owner", "$body", "$at");
        // Note: the text form EF Core's SQLite provider writes for a DateTimeOffset.
        var at = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);
        foreach (var owner in owners)
        {
            for (var n = 1; n <= perUser; n++)
            {
                Set(parameters, owner, "Note " + n.ToString(CultureInfo.InvariantCulture) + ": a line or two of text, about as long as a short note someone keeps.", at);
                insert.ExecuteNonQuery();
            }
        }

        transaction.Commit();
    }

    /// <summary>The ids of the users whose name starts with <paramref name="prefix"/> (all of them for "").</summary>
    private static List<string> UserIds(SqliteConnection connection, string prefix)
    {
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT Id FROM AspNetUsers WHERE UserName LIKE $prefix || '%'";
        select.Parameters.AddWithValue("$prefix", prefix);
        using var reader = select.ExecuteReader();
        var ids = new List<string>();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>How many tokens are stored.</summary>
    public static long CountTokens(string databasePath)
    {
        using var connection = Open(databasePath);
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM OpenIddictTokens";
        return (long)count.ExecuteScalar()!;
    }

    /// <summary>
    /// Adds stored tokens until there are <paramref name="total"/>, shaped like those a login
    /// leaves: one authorization per ten refreshes, each refresh an access token entry (no
    /// payload) and a redeemed reference refresh token (payload of <paramref name="payloadLength"/>
    /// characters), spread over the users.
    /// </summary>
    public static void SeedTokens(string databasePath, long total, int payloadLength, Action<long>? progress = null)
    {
        using var connection = Open(databasePath);
        var applicationId = Scalar(connection, "SELECT Id FROM OpenIddictApplications WHERE ClientId = 'public-client'")
            ?? throw new InvalidOperationException("public-client is not registered.");
        var subjects = UserIds(connection, prefix: "");

        var existing = CountTokens(databasePath);
        var now = DateTime.UtcNow;
        var payload = new string('x', payloadLength);
        const int batch = 50_000;
        for (var done = existing; done < total;)
        {
            using var transaction = connection.BeginTransaction();
            using var authorization = connection.CreateCommand();
            authorization.CommandText = """
                INSERT INTO OpenIddictAuthorizations (Id, ApplicationId, ConcurrencyToken, CreationDate, Scopes, Status, Subject, Type)
                VALUES ($id, $app, $concurrency, $created, '["openid","offline_access","notes"]', 'valid', $subject, 'ad-hoc')
                """;
            var authorizationParameters = AddParameters(authorization, "$id", "$app", "$concurrency", "$created", "$subject");
            using var token = connection.CreateCommand();
            token.CommandText = """
                INSERT INTO OpenIddictTokens (Id, ApplicationId, AuthorizationId, ConcurrencyToken, CreationDate, ExpirationDate,
                    Payload, RedemptionDate, ReferenceId, Status, Subject, Type)
                VALUES ($id, $app, $authorization, $concurrency, $created, $expires, $payload, $redeemed, $reference, $status, $subject, $type)
                """;
            var tokenParameters = AddParameters(token, "$id", "$app", "$authorization", "$concurrency", "$created", "$expires",
                "$payload", "$redeemed", "$reference", "$status", "$subject", "$type");

            var end = Math.Min(total, done + batch);
            string authorizationId = "";
            for (; done < end; done++)
            {
                var created = now.AddSeconds(-(total - done)).ToString(SqliteDate, CultureInfo.InvariantCulture);
                var subject = subjects[(int)(done / 20 % subjects.Count)];
                if (done % 20 == 0 || authorizationId.Length == 0)
                {
                    authorizationId = Guid.NewGuid().ToString();
                    Set(authorizationParameters, authorizationId, applicationId, Guid.NewGuid().ToString(), created, subject);
                    authorization.ExecuteNonQuery();
                }

                var isRefresh = done % 2 == 1;
                Set(tokenParameters,
                    Guid.NewGuid().ToString(),
                    applicationId,
                    authorizationId,
                    Guid.NewGuid().ToString(),
                    created,
                    now.AddDays(isRefresh ? 14 : 0.01).ToString(SqliteDate, CultureInfo.InvariantCulture),
                    isRefresh ? payload : DBNull.Value,
                    isRefresh ? created : DBNull.Value,
                    isRefresh ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) : DBNull.Value,
                    isRefresh ? "redeemed" : "valid",
                    subject,
                    isRefresh ? RefreshTokenType : AccessTokenType);
                token.ExecuteNonQuery();
            }

            transaction.Commit();
            progress?.Invoke(done);
        }
    }

    /// <summary>The length of the longest stored refresh-token payload (what real rows look like).</summary>
    public static int RefreshPayloadLength(string databasePath)
    {
        using var connection = Open(databasePath);
        return Convert.ToInt32(Scalar(connection, $"SELECT COALESCE(MAX(LENGTH(Payload)), 0) FROM OpenIddictTokens WHERE Type = '{RefreshTokenType}'"),
            CultureInfo.InvariantCulture);
    }

    private static SqliteConnection Open(string databasePath)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWrite,
            DefaultTimeout = SqliteDatabase.LockWaitSeconds,
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }

    private static string? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() is { } value and not DBNull ? Convert.ToString(value, CultureInfo.InvariantCulture) : null;
    }

    private static SqliteParameter[] AddParameters(SqliteCommand command, params string[] names)
        => [.. names.Select(name => command.Parameters.Add(new SqliteParameter { ParameterName = name }))];

    private static void Set(SqliteParameter[] parameters, params object[] values)
    {
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i].Value = values[i];
        }
    }

    // Identity's security stamps are 32 base32 characters.
    private static string Base32Stamp()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        return string.Create(32, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
            }
        });
    }
}
