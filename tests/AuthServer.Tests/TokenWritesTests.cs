using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using AuthRefresh.Testing;
using AuthServer.Data;
using AuthServer.Stores;
using Microsoft.AspNetCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Tests;

/// <summary>
/// How many write transactions a grant commits: each is a durable commit that waits for SQLite's
/// one writer, so they are what limits the token endpoint under load. A grant's writes (the
/// redemption of the presented refresh token, the new token entries) are committed together.
/// </summary>
public sealed class TokenWritesTests : IDisposable
{
    private readonly AuthServerFactory _factory = new();
    private readonly SaveCounter _saves;

    public TokenWritesTests() => _saves = new SaveCounter(_factory.DatabaseDirectory);

    // Note: on SQLite, a grant's writes are committed by the group commit's own connection.
    private int Commits => _saves.Count + _factory.Services.GetRequiredService<SqliteGroupCommit>().Commits;

    public void Dispose()
    {
        _saves.Dispose();
        _factory.Dispose();
    }

    [Fact]
    public async Task A_refresh_saves_the_redemption_and_both_new_tokens_in_one_transaction()
    {
        var tokens = _factory.CreateTokenClient();
        var login = await tokens.LoginAsync();

        var before = Commits;
        var refreshed = await tokens.RefreshAsync(login.RefreshToken!);

        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.Equal(1, Commits - before);
        await AssertActiveAsync(tokens, refreshed.AccessToken!);
        Assert.Equal(Statuses.Redeemed, await StatusOfAsync(_factory, login.RefreshToken!));
        Assert.Equal(HttpStatusCode.OK, (await tokens.RefreshAsync(refreshed.RefreshToken!)).Status);
    }

    [Fact]
    public async Task A_refresh_whose_token_another_request_redeemed_meanwhile_still_saves_its_new_tokens()
    {
        // Another request redeems the same token between this one's read and its save, so the
        // save's conditional redemption finds it redeemed already. Within the reuse leeway that is
        // a concurrent presentation: this request still stores and answers with the successor.
        var redeemer = new RedeemElsewhere();
        using var factory = new AuthServerFactory(services: services =>
        {
            services.AddOpenIddict().AddServer(server => server.AddEventHandler(RedeemElsewhere.Descriptor));
            services.AddSingleton(redeemer); // after OpenIddict's own registration of the handler
        });
        var tokens = factory.CreateTokenClient();
        var login = await tokens.LoginAsync();

        redeemer.Armed = true;
        var refreshed = await tokens.RefreshAsync(login.RefreshToken!);
        redeemer.Armed = false;

        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.Equal(1, redeemer.Redeemed);
        await AssertActiveAsync(tokens, refreshed.AccessToken!);
        Assert.Equal(Statuses.Redeemed, await StatusOfAsync(factory, login.RefreshToken!));
        Assert.Equal(HttpStatusCode.OK, (await tokens.RefreshAsync(refreshed.RefreshToken!)).Status);
    }

    [Fact]
    public async Task Client_credentials_commit_the_access_token_entry_before_answering()
    {
        var tokens = _factory.CreateTokenClient();

        var before = Commits;
        var response = await tokens.ClientCredentialsAsync(TokenClient.SampleClient, TokenClient.SampleSecret, "notes");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal(1, Commits - before);
        await AssertActiveAsync(tokens, response.AccessToken!);
    }

    [Fact]
    public async Task New_entries_get_ids_that_sort_in_the_order_they_were_written()
    {
        // Note: so that each insert lands at the right edge of the primary key's index, not on
        // a random page of it (EntryIds).
        var tokens = _factory.CreateTokenClient();
        var login = await tokens.LoginAsync();
        var refreshToken = login.RefreshToken!;
        for (var i = 0; i < 6; i++)
        {
            // Note: ids made in one millisecond do not sort among themselves.
            await Task.Delay(2);
            refreshToken = (await tokens.RefreshAsync(refreshToken)).RefreshToken!;
        }

        var subject = Jwt.Read(login.AccessToken!).Subject;
        using var scope = _factory.Services.CreateScope();
        var entries = await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().Set<OpenIddictEntityFrameworkCoreToken>()
            .Where(token => token.Subject == subject && token.Type == TokenTypeIdentifiers.RefreshToken)
            .OrderBy(token => token.CreationDate)
            .Select(token => token.Id!)
            .ToListAsync();

        Assert.Equal(7, entries.Count);
        Assert.Equal(entries.Order(StringComparer.Ordinal), entries);
    }

    private static async Task AssertActiveAsync(TokenClient tokens, string token)
    {
        var introspection = await tokens.IntrospectAsync(token);
        Assert.True(introspection.Json.GetProperty("active").GetBoolean());
    }

    /// <summary>The stored status of a (reference) refresh token, read as the server reads it.</summary>
    private static async Task<string?> StatusOfAsync(AuthServerFactory factory, string referenceToken)
    {
        using var scope = factory.Services.CreateScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();
        var token = await manager.FindByReferenceIdAsync(referenceToken);
        return token is null ? null : await manager.GetStatusAsync(token);
    }

    /// <summary>
    /// When armed, marks the presented refresh token redeemed from another scope (another
    /// request, as far as the database can tell) right after this one marked it for redemption.
    /// </summary>
    private sealed class RedeemElsewhere : IOpenIddictServerHandler<ProcessSignInContext>
    {
        public static OpenIddictServerHandlerDescriptor Descriptor { get; }
            = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
                .UseSingletonHandler<RedeemElsewhere>()
                .SetOrder(OpenIddictServerHandlers.RedeemTokenEntry.Descriptor.Order + 1)
                .SetType(OpenIddictServerHandlerType.Custom)
                .Build();

        public bool Armed { get; set; }

        public int Redeemed { get; private set; }

        public async ValueTask HandleAsync(ProcessSignInContext context)
        {
            if (!Armed || !context.Request.IsRefreshTokenGrantType())
            {
                return;
            }

            var authentication = context.Transaction.GetProperty<ProcessAuthenticationContext>(typeof(ProcessAuthenticationContext).FullName!)!;
            var id = authentication.RefreshTokenPrincipal!.GetTokenId();
            var services = context.Transaction.GetHttpRequest()!.HttpContext.RequestServices;
            using var scope = services.GetRequiredService<IServiceScopeFactory>().CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
            Redeemed += await db.Set<OpenIddictEntityFrameworkCoreToken>()
                .Where(token => token.Id == id)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(token => token.Status, Statuses.Redeemed)
                    .SetProperty(token => token.ConcurrencyToken, Guid.NewGuid().ToString()));
        }
    }

    /// <summary>
    /// The write transactions committed on the database in <c>folder</c> through EF Core: each
    /// transaction committed (one the server begins, or one EF Core opens for a save of several
    /// statements), and each save of one statement, which commits by itself.
    /// </summary>
    private sealed class SaveCounter : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly string _folder;
        private readonly IDisposable _all;
        private readonly ConcurrentBag<IDisposable> _subscriptions = [];

        // The saves under way outside a transaction, and whether EF Core committed one for them.
        private readonly ConcurrentDictionary<DbContext, bool> _saves = new(ReferenceEqualityComparer.Instance);
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
            switch (value.Value)
            {
                case DbContextEventData { Context: { } context } when value.Key == CoreEventId.SaveChangesStarting.Name && IsWatched(context):
                    if (context.Database.CurrentTransaction is null)
                    {
                        _saves[context] = false;
                    }

                    break;

                case TransactionEndEventData { Context: { } context } when value.Key == RelationalEventId.TransactionCommitted.Name && IsWatched(context):
                    Interlocked.Increment(ref _count);
                    if (_saves.ContainsKey(context))
                    {
                        _saves[context] = true;
                    }

                    break;

                case SaveChangesCompletedEventData { Context: { } context } when value.Key == CoreEventId.SaveChangesCompleted.Name:
                    if (_saves.TryRemove(context, out var committed) && !committed)
                    {
                        Interlocked.Increment(ref _count);
                    }

                    break;
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

        private bool IsWatched(DbContext context)
            => context.Database.GetConnectionString()?.Contains(_folder, StringComparison.Ordinal) == true;
    }
}
