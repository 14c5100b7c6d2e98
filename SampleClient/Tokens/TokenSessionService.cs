using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Client;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Client.OpenIddictClientModels;

namespace SampleClient.Tokens;

/// <summary>
/// Signs users in with the password grant, keeps their tokens on the server, refreshes them, and
/// revokes them at logout — all through the OpenIddict client as the confidential client
/// <c>sample-client</c>. Refreshes of one session are serialised, so that parallel requests and
/// several tabs never present a refresh token that was already rotated: within a node by a lock,
/// across nodes by a lease on the session's row (<see cref="TokenSession.RefreshLeaseUntil"/>)
/// that a node takes with a conditional write before it presents the refresh token.
/// </summary>
public sealed partial class TokenSessionService(
    OpenIddictClientService client,
    IServiceScopeFactory scopes,
    IDataProtectionProvider dataProtection,
    IOptions<SampleClientSettings> settings,
    TimeProvider time,
    ILogger<TokenSessionService> logger)
{
    private const int KeptRotations = 10;

    // Note: far longer than a refresh takes; a node that dies holding the lease delays the
    // session's next refresh by at most this.
    private static readonly TimeSpan RefreshLease = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan LeasePoll = TimeSpan.FromMilliseconds(25);

    private readonly IDataProtector _protector = dataProtection.CreateProtector("SampleClient.Tokens.v1");
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);

    /// <summary>Signs in with the password grant and stores a new session.</summary>
    /// <exception cref="OpenIddictExceptions.ProtocolException">AuthServer refused the credentials.</exception>
    public async Task<SessionTokens> SignInAsync(string username, string password, CancellationToken cancellationToken)
    {
        var result = await client.AuthenticateWithPasswordAsync(new PasswordAuthenticationRequest
        {
            Username = username,
            Password = password,
            Scopes = settings.Value.Scopes,
            DisableUserInfo = true,
            CancellationToken = cancellationToken,
        });

        var principal = result.Principal;
        var session = new TokenSession
        {
            Id = Base64Url(RandomNumberGenerator.GetBytes(32)),
            Subject = principal.GetClaim(Claims.Subject) ?? throw new InvalidOperationException("The identity token has no subject."),
            UserName = principal.GetClaim(Claims.PreferredUsername) ?? username,
            DisplayName = principal.GetClaim(Claims.Name),
            ProtectedAccessToken = _protector.Protect(result.AccessToken),
            ProtectedRefreshToken = _protector.Protect(Required(result.RefreshToken)),
            AccessTokenExpiresAt = result.AccessTokenExpirationDate ?? time.GetUtcNow(),
            CreatedAt = time.GetUtcNow(),
        };
        session.Rotations.Add(new Rotation
        {
            SessionId = session.Id,
            At = session.CreatedAt,
            Reason = "signed in",
            NewRefreshToken = Fingerprint(result.RefreshToken!),
        });

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SampleClientDbContext>();
        db.Sessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        return View(session);
    }

    /// <summary>
    /// The session's tokens, refreshed first when <see cref="RefreshPolicy"/> says so. A data
    /// request refreshes on every call in demonstration mode.
    /// </summary>
    /// <exception cref="SessionEndedException">The session does not exist any more, or its refresh was refused.</exception>
    /// <exception cref="AuthServerUnavailableException">AuthServer did not answer the refresh; the session is kept.</exception>
    public async Task<SessionTokens> GetAsync(string sessionId, bool dataRequest, CancellationToken cancellationToken)
    {
        var gate = _locks.GetOrAdd(sessionId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<SampleClientDbContext>();

                // Note: read inside the lock, so a request that waited sees the tokens the request
                // before it received, not the ones it had when it started.
                var session = await ReadAsync(db.Sessions, sessionId, cancellationToken);

                var reason = RefreshPolicy.Decide(
                    session.AccessTokenExpiresAt, time.GetUtcNow(), settings.Value.RefreshMargin, dataRequest, settings.Value.RefreshOnEveryDataRequest);
                if (reason is null)
                {
                    return View(session);
                }

                if (await TryTakeLeaseAsync(db, session, cancellationToken))
                {
                    await RefreshUnderLeaseAsync(db, session, reason, cancellationToken);
                    return View(session);
                }

                // Another node is refreshing this session: its tokens are read again when it is done.
                await Task.Delay(LeasePoll, cancellationToken);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>The session's tokens as they are stored, with no refresh (to show them while AuthServer is away).</summary>
    /// <exception cref="SessionEndedException">The session does not exist any more.</exception>
    public async Task<SessionTokens> PeekAsync(string sessionId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SampleClientDbContext>();
        return View(await ReadAsync(db.Sessions.AsNoTracking(), sessionId, cancellationToken));
    }

    /// <summary>Revokes the session's tokens at AuthServer (RFC 7009) and forgets the session.</summary>
    public async Task SignOutAsync(string sessionId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SampleClientDbContext>();
        if (await db.Sessions.SingleOrDefaultAsync(s => s.Id == sessionId, cancellationToken) is not { } session)
        {
            return;
        }

        // The refresh token first: it is the one that can mint new tokens.
        await RevokeAsync(_protector.Unprotect(session.ProtectedRefreshToken), TokenTypeHints.RefreshToken, cancellationToken);
        await RevokeAsync(_protector.Unprotect(session.ProtectedAccessToken), TokenTypeHints.AccessToken, cancellationToken);
        await ForgetAsync(db, session, cancellationToken);
    }

    /// <summary>Signs out every session of the user of <paramref name="sessionId"/> (each login ended at AuthServer).</summary>
    public async Task SignOutEverywhereAsync(string sessionId, CancellationToken cancellationToken)
    {
        List<string> all;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SampleClientDbContext>();
            var subject = await db.Sessions.Where(s => s.Id == sessionId).Select(s => s.Subject).SingleOrDefaultAsync(cancellationToken);
            all = subject is null ? [] : await db.Sessions.Where(s => s.Subject == subject).Select(s => s.Id).ToListAsync(cancellationToken);
        }

        foreach (var id in all)
        {
            await SignOutAsync(id, cancellationToken);
        }
    }

    public async Task<bool> ExistsAsync(string sessionId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SampleClientDbContext>().Sessions.AnyAsync(s => s.Id == sessionId, cancellationToken);
    }

    /// <summary>The first characters of the token's SHA-256: enough to tell tokens apart, useless to a thief.</summary>
    public static string Fingerprint(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..12];

    /// <summary>
    /// Takes the session's refresh lease, if no node holds it and nobody refreshed the session
    /// since it was read: one conditional write, which one node at a time wins.
    /// </summary>
    private async Task<bool> TryTakeLeaseAsync(SampleClientDbContext db, TokenSession session, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var until = now + (long)RefreshLease.TotalMilliseconds;
        var taken = await db.Sessions
            .Where(s => s.Id == session.Id && s.Version == session.Version && (s.RefreshLeaseUntil == null || s.RefreshLeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.RefreshLeaseUntil, until), cancellationToken);
        if (taken == 1)
        {
            db.Entry(session).Property(p => p.RefreshLeaseUntil).OriginalValue = until;
            session.RefreshLeaseUntil = until;
        }

        return taken == 1;
    }

    private async Task RefreshUnderLeaseAsync(SampleClientDbContext db, TokenSession session, string reason, CancellationToken cancellationToken)
    {
        try
        {
            await RefreshAsync(db, session, reason, cancellationToken);
        }
        catch (Exception exception) when (exception is not SessionEndedException)
        {
            // Note: AuthServer did not answer (or the write failed): the next request may try again at once.
            await db.Sessions.Where(s => s.Id == session.Id && s.Version == session.Version)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.RefreshLeaseUntil, (long?)null), CancellationToken.None);
            throw;
        }
    }

    private async Task RefreshAsync(SampleClientDbContext db, TokenSession session, string reason, CancellationToken cancellationToken)
    {
        var oldRefreshToken = _protector.Unprotect(session.ProtectedRefreshToken);
        RefreshTokenAuthenticationResult result;
        try
        {
            result = await client.AuthenticateWithRefreshTokenAsync(new RefreshTokenAuthenticationRequest
            {
                RefreshToken = oldRefreshToken,
                DisableUserInfo = true,
                CancellationToken = cancellationToken,
            });
        }
        catch (OpenIddictExceptions.ProtocolException exception) when (AuthServerUnavailableException.IsUnavailable(exception))
        {
            // Note: not a refusal; the refresh token was not redeemed, or if it was, its successor
            // was lost and the reuse leeway lets the next attempt present it once more.
            Log.AuthServerUnavailable(logger, session.UserName, exception.Error);
            throw new AuthServerUnavailableException(exception.ErrorDescription ?? exception.Error ?? "AuthServer did not answer.");
        }
        catch (OpenIddictExceptions.ProtocolException exception)
        {
            Log.RefreshRefused(logger, session.UserName, exception.Error, exception.ErrorDescription);
            await ForgetAsync(db, session, cancellationToken);
            throw new SessionEndedException(exception.ErrorDescription ?? exception.Error ?? "The refresh was refused.");
        }

        var newRefreshToken = Required(result.RefreshToken);
        session.ProtectedAccessToken = _protector.Protect(result.AccessToken);
        session.ProtectedRefreshToken = _protector.Protect(newRefreshToken);
        session.AccessTokenExpiresAt = result.AccessTokenExpirationDate ?? time.GetUtcNow();
        session.Version++;
        session.RefreshLeaseUntil = null;
        session.Rotations.Add(new Rotation
        {
            SessionId = session.Id,
            At = time.GetUtcNow(),
            Reason = reason,
            OldRefreshToken = Fingerprint(oldRefreshToken),
            NewRefreshToken = Fingerprint(newRefreshToken),
        });

        foreach (var old in session.Rotations.OrderByDescending(r => r.At).ThenByDescending(r => r.Id).Skip(KeptRotations).ToList())
        {
            session.Rotations.Remove(old);
            db.Rotations.Remove(old);
        }

        await db.SaveChangesAsync(cancellationToken);
        Log.Refreshed(logger, session.UserName, reason);
    }

    private async Task RevokeAsync(string token, string hint, CancellationToken cancellationToken)
    {
        try
        {
            await client.RevokeTokenAsync(new RevocationRequest { Token = token, TokenTypeHint = hint, CancellationToken = cancellationToken });
        }
        catch (Exception exception) when (exception is OpenIddictExceptions.ProtocolException or HttpRequestException)
        {
            // The session is forgotten anyway; the token dies with its lifetime.
            Log.RevocationFailed(logger, hint, exception.Message);
        }
    }

    private async Task ForgetAsync(SampleClientDbContext db, TokenSession session, CancellationToken cancellationToken)
    {
        db.Sessions.Remove(session);
        await db.SaveChangesAsync(cancellationToken);
        _locks.TryRemove(session.Id, out _);
    }

    /// <summary>The session with its rotations.</summary>
    /// <exception cref="SessionEndedException">There is no such session (signed out, or its refresh was refused).</exception>
    private static async Task<TokenSession> ReadAsync(IQueryable<TokenSession> sessions, string sessionId, CancellationToken cancellationToken)
        => await sessions.Include(s => s.Rotations).SingleOrDefaultAsync(s => s.Id == sessionId, cancellationToken)
            ?? throw new SessionEndedException("The session does not exist.");

    private SessionTokens View(TokenSession session) => new(
        session.Id, session.Subject, session.UserName, session.DisplayName,
        _protector.Unprotect(session.ProtectedAccessToken), _protector.Unprotect(session.ProtectedRefreshToken),
        session.AccessTokenExpiresAt, [.. session.Rotations.OrderByDescending(r => r.At).ThenByDescending(r => r.Id)]);

    private static string Required(string? refreshToken)
        => refreshToken ?? throw new InvalidOperationException("AuthServer issued no refresh token: the offline_access scope is missing.");

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static partial class Log
    {
        [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Refreshed the tokens of {UserName}: {Reason}.")]
        public static partial void Refreshed(ILogger logger, string userName, string reason);

        [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "AuthServer refused the refresh of {UserName}: {Error} {Description}. The session ends.")]
        public static partial void RefreshRefused(ILogger logger, string userName, string? error, string? description);

        [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "The {Hint} could not be revoked: {Reason}")]
        public static partial void RevocationFailed(ILogger logger, string hint, string reason);

        [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "AuthServer did not answer the refresh of {UserName} ({Error}). The session is kept.")]
        public static partial void AuthServerUnavailable(ILogger logger, string userName, string? error);
    }
}
