using System.Data.Common;
using System.Text.Json;
using AuthRefresh.Shared;
using AuthServer.Admin;
using AuthServer.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AuthServer.Stores;

/// <summary>
/// Reads and writes OpenIddict's token and authorization entries in plain SQL over the request's
/// EF Core connection: the lookups and the one write transaction of every grant. EF Core's change
/// tracking and <c>SaveChanges</c> cost more than the statements themselves (figures in
/// docs/PERFORMANCE.md), and a redemption must be a conditional write, which <c>SaveChanges</c>
/// can only express as an exception.
/// </summary>
/// <remarks>
/// The rows are the ones OpenIddict's EF Core stores read and write (<see cref="TokenTables"/>),
/// so OpenIddict's managers, the admin pages and the pruning job work on them unchanged.
/// </remarks>
internal sealed class TokenLedger(ApplicationDbContext db, SqliteGroupCommit groupCommit)
{
    // The group commit's connection while this ledger writes on it (SQLite), else none: EF Core's.
    private GroupCommitSession? _session;

    private TokenTables Tables => TokenTables.For(db);

    public Task<StoredToken?> FindByReferenceIdAsync(string referenceId, CancellationToken cancellationToken)
        => FindAsync("ReferenceId", referenceId, cancellationToken);

    public Task<StoredToken?> FindByIdAsync(string id, CancellationToken cancellationToken)
        => FindAsync("Id", id, cancellationToken);

    /// <summary>
    /// Saves a sign-in's writes in one transaction. A presented refresh token is redeemed only if
    /// it is still valid and its login too (one conditional update): of several presentations of
    /// one token, one redeems it, and the others find its successor, which they all derive alike.
    /// </summary>
    public async Task<SaveOutcome> SaveAsync(TokenWrites writes, DateTimeOffset now, TimeSpan? leeway, CancellationToken cancellationToken)
    {
        if (Tables.IsSqlite)
        {
            return await groupCommit.RunAsync(db, async (session, token) =>
            {
                _session = session;
                try
                {
                    return await WriteAsync(writes, now, leeway, token);
                }
                finally
                {
                    _session = null;
                }
            }, IsKept, cancellationToken);
        }

        await OpenAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var outcome = await WriteAsync(writes, now, leeway, cancellationToken);
        if (IsKept(outcome))
        {
            await transaction.CommitAsync(cancellationToken);
        }

        return outcome; // if not kept, the transaction is rolled back: nothing of this request is stored
    }

    private static bool IsKept(SaveOutcome outcome) => outcome is not (SaveOutcome.Replayed or SaveOutcome.NoLongerValid);

    private async Task<SaveOutcome> WriteAsync(TokenWrites writes, DateTimeOffset now, TimeSpan? leeway, CancellationToken cancellationToken)
    {
        var outcome = SaveOutcome.Saved;
        if (writes.Redeeming is { } presented)
        {
            outcome = await RedeemAsync(presented, now, leeway, cancellationToken);
            if (!IsKept(outcome))
            {
                return outcome;
            }
        }

        if (writes.Authorization is { } authorization)
        {
            await InsertAsync(authorization, cancellationToken);
        }

        foreach (var token in writes.Tokens)
        {
            if (!await InsertAsync(token, cancellationToken) &&
                await StatusByReferenceIdAsync(token.ReferenceId!, cancellationToken) != Statuses.Valid)
            {
                // The successor exists and was used or revoked already: the presented token is
                // not the one redeemed last.
                return SaveOutcome.Replayed;
            }
        }

        return outcome;
    }

    /// <summary>
    /// Ends a login: the authorization and every token of it are revoked, in one transaction,
    /// with the security event that caused it, if any. Returns the number of tokens revoked.
    /// </summary>
    public async Task<int> RevokeLoginAsync(string authorizationId, SecurityEvent? securityEvent, CancellationToken cancellationToken)
    {
        await OpenAsync(cancellationToken);
        using var turn = await SqliteWriteGate.EnterAsync(db, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

        // Note: the authorization first. On a server database its row lock makes this wait for a
        // redemption under way (which reads it with a shared lock), so that the tokens' update
        // below sees the successor that redemption stores.
        await RevokeWhereAsync(Tables.Authorizations, "Id", authorizationId, cancellationToken);
        var revoked = await RevokeWhereAsync(Tables.Tokens, "AuthorizationId", authorizationId, cancellationToken);

        if (securityEvent is not null)
        {
            db.SecurityEvents.Add(securityEvent);
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return revoked;
    }

    /// <summary>Revokes one token entry (an access token, or a token outside any login).</summary>
    public async Task RevokeTokenAsync(string id, CancellationToken cancellationToken)
    {
        await OpenAsync(cancellationToken);
        using var turn = await SqliteWriteGate.EnterAsync(db, cancellationToken);
        await RevokeWhereAsync(Tables.Tokens, "Id", id, cancellationToken);
    }

    /// <summary>Sets the rows of <paramref name="table"/> whose <paramref name="key"/> is <paramref name="value"/> revoked.</summary>
    private async Task<int> RevokeWhereAsync(TokenTables.Table table, string key, string value, CancellationToken cancellationToken)
    {
        await using var command = Command(
            $"UPDATE {table.Name} SET {table["Status"]} = {table.Placeholder("Status")}, {table["ConcurrencyToken"]} = {table.Placeholder("ConcurrencyToken")} " +
            $"WHERE {table[key]} = {table.Placeholder(key)} AND {table["Status"]} <> {table.Placeholder("Status")}");
        table.Add(command, "Status", Statuses.Revoked);
        table.Add(command, "ConcurrencyToken", EntryIds.NewConcurrencyToken());
        table.Add(command, key, value);
        return await NonQueryAsync(command, cancellationToken);
    }

    private async Task<SaveOutcome> RedeemAsync(StoredToken presented, DateTimeOffset now, TimeSpan? leeway, CancellationToken cancellationToken)
    {
        var a = Tables.Authorizations;
        var t = Tables.Tokens;

        if (presented.AuthorizationId is { } authorizationId)
        {
            await using var command = Command(
                $"SELECT {a["Status"]} FROM {a.Name} WHERE {a["Id"]} = {a.Placeholder("Id")}{Tables.LockForShare}");
            a.Add(command, "Id", authorizationId);
            if (await ScalarAsync(command, cancellationToken) as string != Statuses.Valid)
            {
                return SaveOutcome.NoLongerValid;
            }
        }

        await using (var command = Command(
            $"UPDATE {t.Name} SET {t["Status"]} = {t.Placeholder("Status")}, {t["RedemptionDate"]} = {t.Placeholder("RedemptionDate")}, " +
            $"{t["ConcurrencyToken"]} = {t.Placeholder("ConcurrencyToken")} " +
            $"WHERE {t["Id"]} = {t.Placeholder("Id")} AND {t["Status"]} = {t.Placeholder("Expected")}"))
        {
            t.Add(command, "Status", Statuses.Redeemed);
            t.Add(command, "RedemptionDate", now.UtcDateTime);
            t.Add(command, "ConcurrencyToken", EntryIds.NewConcurrencyToken());
            t.Add(command, "Id", presented.Id);
            t.Add(command, "Status", Statuses.Valid, name: "Expected");
            if (await NonQueryAsync(command, cancellationToken) == 1)
            {
                return SaveOutcome.Saved;
            }
        }

        // Another request changed the token since this one read it: redeemed it (a concurrent
        // presentation, or this client's own earlier one whose answer was lost) or revoked it.
        var current = await FindByIdAsync(presented.Id, cancellationToken);
        if (current?.Status != Statuses.Redeemed)
        {
            return SaveOutcome.NoLongerValid;
        }

        return IsWithinLeeway(current, now, leeway) ? SaveOutcome.SavedAfterConcurrentRedemption : SaveOutcome.Replayed;
    }

    /// <summary>Whether a redeemed token may still be presented: within the reuse leeway of its redemption.</summary>
    public static bool IsWithinLeeway(StoredToken token, DateTimeOffset now, TimeSpan? leeway)
        => leeway is { } allowed && (token.RedemptionDate is not { } redeemed || now < redeemed + allowed);

    private async Task InsertAsync(NewAuthorization authorization, CancellationToken cancellationToken)
    {
        var a = Tables.Authorizations;
        await using var command = Command(
            $"INSERT INTO {a.Name} ({a["Id"]}, {a["ApplicationId"]}, {a["ConcurrencyToken"]}, {a["CreationDate"]}, {a["Scopes"]}, {a["Status"]}, {a["Subject"]}, {a["Type"]}) " +
            $"VALUES ({a.Placeholder("Id")}, {a.Placeholder("ApplicationId")}, {a.Placeholder("ConcurrencyToken")}, {a.Placeholder("CreationDate")}, " +
            $"{a.Placeholder("Scopes")}, {a.Placeholder("Status")}, {a.Placeholder("Subject")}, {a.Placeholder("Type")})");
        a.Add(command, "Id", authorization.Id);
        a.Add(command, "ApplicationId", authorization.ApplicationId);
        a.Add(command, "ConcurrencyToken", EntryIds.NewConcurrencyToken());
        a.Add(command, "CreationDate", authorization.CreationDate.UtcDateTime);
        // Note: as OpenIddict's authorization manager stores them, a JSON array.
        a.Add(command, "Scopes", JsonSerializer.Serialize(authorization.Scopes));
        a.Add(command, "Status", Statuses.Valid);
        a.Add(command, "Subject", authorization.Subject);
        a.Add(command, "Type", AuthorizationTypes.AdHoc);
        await NonQueryAsync(command, cancellationToken);
    }

    /// <summary>Inserts a token entry; one that <see cref="NewToken.MayExist"/> is left as it is if it does.</summary>
    private async Task<bool> InsertAsync(NewToken token, CancellationToken cancellationToken)
    {
        var t = Tables.Tokens;
        await using var command = Command(
            $"INSERT INTO {t.Name} ({t["Id"]}, {t["ApplicationId"]}, {t["AuthorizationId"]}, {t["ConcurrencyToken"]}, {t["CreationDate"]}, " +
            $"{t["ExpirationDate"]}, {t["Payload"]}, {t["ReferenceId"]}, {t["Status"]}, {t["Subject"]}, {t["Type"]}) " +
            $"VALUES ({t.Placeholder("Id")}, {t.Placeholder("ApplicationId")}, {t.Placeholder("AuthorizationId")}, {t.Placeholder("ConcurrencyToken")}, " +
            $"{t.Placeholder("CreationDate")}, {t.Placeholder("ExpirationDate")}, {t.Placeholder("Payload")}, {t.Placeholder("ReferenceId")}, " +
            $"{t.Placeholder("Status")}, {t.Placeholder("Subject")}, {t.Placeholder("Type")})" +
            (token.MayExist ? $" ON CONFLICT ({t["ReferenceId"]}) DO NOTHING" : ""));
        t.Add(command, "Id", token.Id);
        t.Add(command, "ApplicationId", token.ApplicationId);
        t.Add(command, "AuthorizationId", token.AuthorizationId);
        t.Add(command, "ConcurrencyToken", EntryIds.NewConcurrencyToken());
        t.Add(command, "CreationDate", token.CreationDate?.UtcDateTime);
        t.Add(command, "ExpirationDate", token.ExpirationDate?.UtcDateTime);
        t.Add(command, "Payload", token.Payload);
        t.Add(command, "ReferenceId", token.ReferenceId);
        t.Add(command, "Status", Statuses.Valid);
        t.Add(command, "Subject", token.Subject);
        t.Add(command, "Type", token.Type);
        return await NonQueryAsync(command, cancellationToken) == 1;
    }

    private async Task<string?> StatusByReferenceIdAsync(string referenceId, CancellationToken cancellationToken)
    {
        var t = Tables.Tokens;
        await using var command = Command($"SELECT {t["Status"]} FROM {t.Name} WHERE {t["ReferenceId"]} = {t.Placeholder("ReferenceId")}");
        t.Add(command, "ReferenceId", referenceId);
        return await ScalarAsync(command, cancellationToken) as string;
    }

    private async Task<StoredToken?> FindAsync(string key, string value, CancellationToken cancellationToken)
    {
        await OpenAsync(cancellationToken);
        var t = Tables.Tokens;
        var a = Tables.Authorizations;
        await using var command = Command(
            $"SELECT t.{t["Id"]}, t.{t["Type"]}, t.{t["Status"]}, t.{t["ApplicationId"]}, t.{t["AuthorizationId"]}, a.{a["Status"]}, " +
            $"t.{t["Subject"]}, t.{t["CreationDate"]}, t.{t["ExpirationDate"]}, t.{t["RedemptionDate"]}, t.{t["ReferenceId"]}, t.{t["Payload"]} " +
            $"FROM {t.Name} AS t LEFT JOIN {a.Name} AS a ON a.{a["Id"]} = t.{t["AuthorizationId"]} WHERE t.{t[key]} = {t.Placeholder(key)}");
        t.Add(command, key, value);
        await using var reader = await ReaderAsync(command, cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new StoredToken(
            reader.GetString(0),
            NullableString(reader, 1),
            NullableString(reader, 2),
            NullableString(reader, 3),
            NullableString(reader, 4),
            NullableString(reader, 5),
            NullableString(reader, 6),
            NullableDate(reader, 7),
            NullableDate(reader, 8),
            NullableDate(reader, 9),
            NullableString(reader, 10),
            NullableString(reader, 11));
    }

    private static string? NullableString(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    // Note: OpenIddict stores UTC times; SQLite gives them back without a kind.
    private static DateTimeOffset? NullableDate(DbDataReader reader, int ordinal)
        => reader.IsDBNull(ordinal) ? null : new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc));

    // Note: the connection stays open for the rest of the request, so that this request's later
    // queries (EF Core's too) do not open it again.
    private Task OpenAsync(CancellationToken cancellationToken) => db.Database.OpenConnectionAsync(cancellationToken);

    // Note: these commands bypass EF Core's interceptors, so each gets its database span here.
    private static Task<int> NonQueryAsync(DbCommand command, CancellationToken cancellationToken)
        => RunAsync(command, static (c, token) => c.ExecuteNonQueryAsync(token), cancellationToken);

    private static Task<object?> ScalarAsync(DbCommand command, CancellationToken cancellationToken)
        => RunAsync(command, static (c, token) => c.ExecuteScalarAsync(token), cancellationToken);

    private static Task<DbDataReader> ReaderAsync(DbCommand command, CancellationToken cancellationToken)
        => RunAsync(command, static (c, token) => c.ExecuteReaderAsync(token), cancellationToken);

    private static async Task<T> RunAsync<T>(DbCommand command, Func<DbCommand, CancellationToken, Task<T>> execute, CancellationToken cancellationToken)
    {
        using var span = DatabaseCommandSpans.StartCommand(command);
        try
        {
            return await execute(command, cancellationToken);
        }
        catch (Exception exception) when (DatabaseCommandSpans.Failed(span, exception))
        {
            throw;
        }
    }

    private LeasedCommand Command(string text)
    {
        if (_session is { } session)
        {
            return session.Command(text);
        }

        var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = text;
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return new LeasedCommand(command, owned: true);
    }
}
