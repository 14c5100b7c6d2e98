using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using AuthRefresh.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AuthServer.Tests;

/// <summary>
/// How many write transactions a grant commits: each is a durable commit that waits for SQLite's
/// one writer, so they are what limits the token endpoint under load. A grant's new token entries
/// are written together; the redemption of a refresh token is committed on its own before them.
/// </summary>
public sealed class TokenWritesTests : IDisposable
{
    private readonly AuthServerFactory _factory = new();
    private readonly SaveCounter _saves;

    public TokenWritesTests() => _saves = new SaveCounter(_factory.DatabaseDirectory);

    public void Dispose()
    {
        _saves.Dispose();
        _factory.Dispose();
    }

    [Fact]
    public async Task A_refresh_saves_the_redemption_then_both_new_tokens_in_one_transaction()
    {
        var tokens = _factory.CreateTokenClient();
        var login = await tokens.LoginAsync();

        var before = _saves.Count;
        var refreshed = await tokens.RefreshAsync(login.RefreshToken!);

        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.Equal(2, _saves.Count - before);
        await AssertActiveAsync(tokens, refreshed.AccessToken!);
        Assert.Equal(HttpStatusCode.OK, (await tokens.RefreshAsync(refreshed.RefreshToken!)).Status);
    }

    [Fact]
    public async Task Client_credentials_commit_the_access_token_entry_before_answering()
    {
        var tokens = _factory.CreateTokenClient();

        var before = _saves.Count;
        var response = await tokens.ClientCredentialsAsync(TokenClient.SampleClient, TokenClient.SampleSecret, "notes");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(1, _saves.Count - before);
        await AssertActiveAsync(tokens, response.AccessToken!);
    }

    private static async Task AssertActiveAsync(TokenClient tokens, string token)
    {
        var introspection = await tokens.IntrospectAsync(token);
        Assert.True(introspection.Json.GetProperty("active").GetBoolean());
    }

    /// <summary>
    /// The saves EF Core completes on the database in <c>folder</c>: each is one write transaction
    /// (a single statement commits by itself, several in a transaction EF opens).
    /// </summary>
    private sealed class SaveCounter : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly string _folder;
        private readonly IDisposable _all;
        private readonly ConcurrentBag<IDisposable> _subscriptions = [];
        private int _count;

        public SaveCounter(string folder)
        {
            _folder = folder;
            _all = DiagnosticListener.AllListeners.Subscribe(this);
        }

        public int Count => Volatile.Read(ref _count);

        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == DbLoggerCategory.Name)
            {
                _subscriptions.Add(listener.Subscribe(this));
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == CoreEventId.SaveChangesCompleted.Name && value.Value is SaveChangesCompletedEventData { Context: { } context } &&
                context.Database.GetConnectionString()?.Contains(_folder, StringComparison.Ordinal) == true)
            {
                Interlocked.Increment(ref _count);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            _all.Dispose();
            foreach (var subscription in _subscriptions)
            {
                subscription.Dispose();
            }
        }
    }
}
