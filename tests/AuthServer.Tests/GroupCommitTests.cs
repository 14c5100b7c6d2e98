using System.Diagnostics;
using System.Net;
using AuthRefresh.Shared;
using AuthRefresh.Testing;
using AuthServer.Data;
using AuthServer.Stores;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AuthServer.Tests;

/// <summary>
/// On SQLite, the token writes of grants that arrive together are committed together
/// (<c>SqliteGroupCommit</c>), each behind its own savepoint. Here the test holds SQLite's write
/// lock (the process's write gate) while grants queue up, so that they meet in one commit.
/// </summary>
public sealed class GroupCommitTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly AuthServerFactory _factory = new();
    private readonly List<IServiceScope> _scopes = [];

    public void Dispose()
    {
        _scopes.ForEach(scope => scope.Dispose());
        _factory.Dispose();
    }

    private SqliteGroupCommit GroupCommit => _factory.Services.GetRequiredService<SqliteGroupCommit>();

    [Fact]
    public async Task Refreshes_waiting_for_the_lock_share_one_commit_and_are_answered_only_after_it()
    {
        var tokens = _factory.CreateTokenClient();
        var logins = new[] { await tokens.LoginAsync(), await tokens.LoginAsync(), await tokens.LoginAsync() };
        var before = GroupCommit.Commits;

        Task<OAuthResponse>[] refreshes;
        using (await HoldLockAsync())
        {
            refreshes = [.. logins.Select(login => tokens.RefreshAsync(login.RefreshToken!))];
            await WaitUntilWaitingAsync(3);
            Assert.DoesNotContain(refreshes, refresh => refresh.IsCompleted);
        }

        var answers = await Task.WhenAll(refreshes);
        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.Status));
        Assert.Equal(1, GroupCommit.Commits - before);
        foreach (var (login, answer) in logins.Zip(answers))
        {
            Assert.Equal(Statuses.Redeemed, await StatusOfAsync(login.RefreshToken!));
            Assert.True((await tokens.IntrospectAsync(answer.AccessToken!)).Json.GetProperty("active").GetBoolean());
            Assert.Equal(HttpStatusCode.OK, (await tokens.RefreshAsync(answer.RefreshToken!)).Status);
        }
    }

    [Fact]
    public async Task Two_presentations_of_one_token_in_one_commit_both_get_its_one_successor()
    {
        var tokens = _factory.CreateTokenClient();
        var login = await tokens.LoginAsync();

        Task<OAuthResponse>[] presentations;
        using (await HoldLockAsync())
        {
            presentations = [tokens.RefreshAsync(login.RefreshToken!), tokens.RefreshAsync(login.RefreshToken!)];
            await WaitUntilWaitingAsync(2);
        }

        var answers = await Task.WhenAll(presentations);
        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.Status));
        Assert.Equal(answers[0].RefreshToken, answers[1].RefreshToken);
        Assert.Equal(1, await CountAsync(TokenTypeIdentifiers.RefreshToken, Statuses.Valid, SubjectOf(login)));
        Assert.Equal(HttpStatusCode.OK, (await tokens.RefreshAsync(answers[0].RefreshToken!)).Status);
    }

    [Fact]
    public async Task A_grant_whose_writes_are_not_kept_or_fail_is_undone_alone()
    {
        var db = Scope().GetRequiredService<ApplicationDbContext>();
        var kept = Guid.NewGuid().ToString();
        var refused = Guid.NewGuid().ToString();
        var failed = Guid.NewGuid().ToString();
        var before = GroupCommit.Commits;

        Task<bool>[] grants;
        using (await HoldLockAsync())
        {
            grants =
            [
                GroupCommit.RunAsync(db, (session, token) => InsertAsync(session, kept, result: true, token), keep: result => result, CancellationToken.None),
                GroupCommit.RunAsync(db, (session, token) => InsertAsync(session, refused, result: false, token), keep: result => result, CancellationToken.None),
                GroupCommit.RunAsync<bool>(db, async (session, token) =>
                {
                    await InsertAsync(session, failed, result: true, token);
                    throw new InvalidOperationException("this grant fails after its insert");
                }, keep: result => result, CancellationToken.None),
            ];
            await WaitUntilWaitingAsync(3);
        }

        Assert.True(await grants[0]);
        Assert.False(await grants[1]);
        await Assert.ThrowsAsync<InvalidOperationException>(() => grants[2]);
        Assert.Equal(1, GroupCommit.Commits - before);

        var stored = await Scope().GetRequiredService<ApplicationDbContext>().Set<OpenIddictEntityFrameworkCoreToken>()
            .Where(token => token.Id == kept || token.Id == refused || token.Id == failed)
            .Select(token => token.Id)
            .ToListAsync();
        Assert.Equal([kept], stored);

        // The connection is still good for the next grant.
        var next = Guid.NewGuid().ToString();
        Assert.True(await GroupCommit.RunAsync(db, (session, token) => InsertAsync(session, next, result: true, token), keep: result => result, CancellationToken.None));
    }

    [Fact]
    public async Task Stopping_commits_the_grants_queued_and_ends_even_where_its_callers_thread_cannot_take_continuations()
    {
        // The host is often stopped by a thread that then blocks until it is (WebApplicationFactory's
        // Dispose, on a test runner's thread): a continuation sent back to that thread never runs.
        var db = Scope().GetRequiredService<ApplicationDbContext>();
        var queued = Guid.NewGuid().ToString();

        Task<bool> grant;
        Task stopped;
        using (await HoldLockAsync())
        {
            grant = GroupCommit.RunAsync(db, (session, token) => InsertAsync(session, queued, result: true, token), keep: result => result, CancellationToken.None);
            await WaitUntilWaitingAsync(1);

            var runnerContext = SynchronizationContext.Current;
            SynchronizationContext.SetSynchronizationContext(new BlockedThreadContext());
            try
            {
                stopped = GroupCommit.DisposeAsync().AsTask();
            }
            finally
            {
                SynchronizationContext.SetSynchronizationContext(runnerContext);
            }
        }

        Assert.True(await grant.WaitAsync(Patience));
        await stopped.WaitAsync(Patience);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => GroupCommit.RunAsync(db, (_, _) => Task.FromResult(true), keep: result => result, CancellationToken.None));
        await GroupCommit.DisposeAsync(); // again, as the host will
    }

    /// <summary>The context of a thread that is blocked: what is posted to it never runs.</summary>
    private sealed class BlockedThreadContext : SynchronizationContext
    {
        public override void Post(SendOrPostCallback d, object? state)
        {
        }
    }

    private static async Task<bool> InsertAsync(GroupCommitSession session, string id, bool result, CancellationToken cancellationToken)
    {
        await using var command = session.Command("INSERT INTO OpenIddictTokens (Id, Type, Status) VALUES ($id, 'test', 'valid')");
        command.Command.Parameters.Add(new Microsoft.Data.Sqlite.SqliteParameter("$id", id));
        Assert.Equal(1, await command.Command.ExecuteNonQueryAsync(cancellationToken));
        return result;
    }

    /// <summary>Takes the write gate as any other writer of this process would, until disposed.</summary>
    private async Task<SqliteWriteGate.Turn> HoldLockAsync()
        => await SqliteWriteGate.EnterAsync(Scope().GetRequiredService<ApplicationDbContext>(), CancellationToken.None);

    private async Task WaitUntilWaitingAsync(int grants)
    {
        var waited = Stopwatch.StartNew();
        while (GroupCommit.Waiting < grants)
        {
            Assert.True(waited.Elapsed < Patience, $"{GroupCommit.Waiting} of {grants} grants reached the group commit.");
            await Task.Delay(10);
        }
    }

    private async Task<string?> StatusOfAsync(string referenceToken)
    {
        var manager = Scope().GetRequiredService<IOpenIddictTokenManager>();
        var token = await manager.FindByReferenceIdAsync(referenceToken);
        return token is null ? null : await manager.GetStatusAsync(token);
    }

    private static string SubjectOf(OAuthResponse login) => Jwt.Read(login.AccessToken!).Subject;

    private Task<int> CountAsync(string type, string status, string subject)
        => Scope().GetRequiredService<ApplicationDbContext>().Set<OpenIddictEntityFrameworkCoreToken>()
            .CountAsync(token => token.Type == type && token.Status == status && token.Subject == subject);

    private IServiceProvider Scope()
    {
        var scope = _factory.Services.CreateScope();
        _scopes.Add(scope);
        return scope.ServiceProvider;
    }
}
