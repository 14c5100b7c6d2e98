using System.Collections.Immutable;
using AuthRefresh.Testing;
using AuthServer.Data;
using AuthServer.Stores;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;

namespace AuthServer.Tests;

/// <summary>
/// The lookups every token request makes are compiled queries in stores of this project (the
/// token entries' are plain SQL, <c>TokenLedgerTests</c>). Each must find what OpenIddict's and
/// Identity's own queries find: here they are compared with plain EF Core queries over the same
/// database.
/// </summary>
public sealed class CompiledStoreTests : IDisposable
{
    private readonly AuthServerFactory _factory = new();
    private readonly List<IServiceScope> _oracles = [];

    public void Dispose()
    {
        _oracles.ForEach(scope => scope.Dispose());
        _factory.Dispose();
    }

    [Fact]
    public void The_hot_lookups_go_through_the_compiled_stores()
    {
        using var scope = _factory.Services.CreateScope();
        var services = scope.ServiceProvider;

        Assert.IsType<CompiledApplicationStore>(services.GetRequiredService<IOpenIddictApplicationStore<OpenIddictEntityFrameworkCoreApplication>>());
        Assert.IsType<CompiledScopeStore>(services.GetRequiredService<IOpenIddictScopeStore<OpenIddictEntityFrameworkCoreScope>>());
        Assert.IsType<CompiledUserStore>(services.GetRequiredService<IUserStore<ApplicationUser>>());
    }

    [Theory]
    [InlineData(TokenClient.SampleClient)]
    [InlineData(TokenClient.PublicClient)]
    [InlineData(TokenClient.ResourceApi)]
    public async Task A_client_is_found_by_its_exact_id(string clientId)
    {
        using var scope = _factory.Services.CreateScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var expected = await Oracle().Set<OpenIddictEntityFrameworkCoreApplication>().SingleAsync(a => a.ClientId == clientId);

        var found = await applications.FindByClientIdAsync(clientId);

        Assert.NotNull(found);
        Assert.Equal(expected.Id, await applications.GetIdAsync(found));
        Assert.Null(await applications.FindByClientIdAsync(clientId.ToUpperInvariant()));
        Assert.Null(await applications.FindByClientIdAsync(clientId + "-x"));
    }

    [Fact]
    public async Task The_scope_lookup_returns_the_named_scopes_and_no_other()
    {
        using var scope = _factory.Services.CreateScope();
        var store = scope.ServiceProvider.GetRequiredService<IOpenIddictScopeStore<OpenIddictEntityFrameworkCoreScope>>();
        string[] names = ["openid", "notes", "no-such-scope"];
        var expected = await Oracle().Set<OpenIddictEntityFrameworkCoreScope>()
            .Where(s => names.Contains(s.Name)).Select(s => s.Id).ToListAsync();

        var found = await store.FindByNamesAsync([.. names], CancellationToken.None).ToListAsync();

        Assert.Equal(["notes", "openid"], found.Select(s => s.Name).Order());
        Assert.Equal(expected.Order(), found.Select(s => s.Id).Order());
        Assert.Empty(await store.FindByNamesAsync(ImmutableArray<string>.Empty, CancellationToken.None).ToListAsync());
        Assert.Equal(["resource-api"], await scope.ServiceProvider.GetRequiredService<IOpenIddictScopeManager>()
            .ListResourcesAsync(["openid", "offline_access", "notes"]).ToListAsync());
    }

    [Fact]
    public async Task A_user_is_found_by_id_with_every_role_they_hold()
    {
        var name = await TestUsers.CreateAsync(_factory);
        await TestUsers.ChangeAsync(_factory, name, (users, user) => users.AddToRolesAsync(user, [UsersSeed.AdminRole, UsersSeed.UserRole]));
        var loner = await TestUsers.CreateAsync(_factory);

        using var scope = _factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var oracle = Oracle();
        var id = await oracle.Users.Where(u => u.UserName == name).Select(u => u.Id).SingleAsync();
        var lonerId = await oracle.Users.Where(u => u.UserName == loner).Select(u => u.Id).SingleAsync();

        var user = await users.FindByIdAsync(id);

        Assert.NotNull(user);
        Assert.Equal(name, user.UserName);
        Assert.Equal([UsersSeed.AdminRole, UsersSeed.UserRole], (await users.GetRolesAsync(user)).Order());
        Assert.Empty(await users.GetRolesAsync((await users.FindByIdAsync(lonerId))!));
        Assert.Null(await users.FindByIdAsync(Guid.NewGuid().ToString()));
        Assert.Null(await users.FindByIdAsync(null!));
    }

    [Fact]
    public async Task A_user_already_read_in_the_request_is_returned_with_its_unsaved_changes()
    {
        var name = await TestUsers.CreateAsync(_factory);
        using var scope = _factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = (await users.FindByNameAsync(name))!;
        user.DisplayName = "Not saved yet";

        var again = await users.FindByIdAsync(user.Id);

        Assert.Same(user, again);
        Assert.Equal("Not saved yet", again!.DisplayName);
    }

    [Fact]
    public async Task OpenIddicts_own_token_manager_finds_a_refresh_token_by_its_handle_with_its_client_and_login()
    {
        var login = await _factory.CreateTokenClient().LoginAsync();
        using var scope = _factory.Services.CreateScope();
        var tokens = scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>();

        var token = await tokens.FindByReferenceIdAsync(login.RefreshToken!);

        Assert.NotNull(token);
        var entry = Assert.IsType<OpenIddictEntityFrameworkCoreToken>(token);
        var expected = await Oracle().Set<OpenIddictEntityFrameworkCoreToken>()
            .Include(t => t.Application).Include(t => t.Authorization).SingleAsync(t => t.Id == entry.Id);
        Assert.Equal(OpenIddictConstants.TokenTypeIdentifiers.RefreshToken, await tokens.GetTypeAsync(token));
        Assert.Equal(TokenClient.PublicClient, entry.Application?.ClientId);
        Assert.NotNull(entry.Authorization);
        Assert.Equal(expected.Authorization!.Id, entry.Authorization.Id);
        Assert.Same(token, await tokens.FindByReferenceIdAsync(login.RefreshToken!));
        Assert.Null(await tokens.FindByReferenceIdAsync(login.RefreshToken! + "x"));
    }

    /// <summary>A context of its own, so that what it reads does not come from the tested one's tracker.</summary>
    private ApplicationDbContext Oracle()
    {
        var scope = _factory.Services.CreateScope();
        _oracles.Add(scope);
        return scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
    }
}
