using AuthRefresh.Testing;
using AuthServer.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace AuthServer.Tests;

/// <summary>
/// The user store reads a user and their roles in one query (<c>CompiledUserStore</c>) and keeps
/// those roles for the request: what it answers must stay what the database holds.
/// </summary>
public sealed class UserStoreTests : IDisposable
{
    private readonly AuthServerFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task The_roles_read_with_a_user_follow_the_roles_added_and_removed_in_the_same_request()
    {
        var name = await TestUsers.CreateAsync(_factory);
        var id = await IdOfAsync(name);
        await TestUsers.ChangeAsync(_factory, name, (users, user) => users.AddToRoleAsync(user, UsersSeed.UserRole));

        using var scope = _factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = (await users.FindByIdAsync(id))!;
        Assert.Equal([UsersSeed.UserRole], await users.GetRolesAsync(user));

        Assert.True((await users.AddToRoleAsync(user, UsersSeed.AdminRole)).Succeeded);
        Assert.Equal([UsersSeed.AdminRole, UsersSeed.UserRole], (await users.GetRolesAsync(user)).Order());

        Assert.True((await users.RemoveFromRoleAsync(user, UsersSeed.UserRole)).Succeeded);
        Assert.Equal([UsersSeed.AdminRole], await users.GetRolesAsync(user));
        Assert.Same(user, await users.FindByIdAsync(id));
    }

    [Fact]
    public async Task A_user_without_roles_is_found_with_none_and_an_unknown_id_finds_no_one()
    {
        var id = await IdOfAsync(await TestUsers.CreateAsync(_factory));

        using var scope = _factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = await users.FindByIdAsync(id);
        Assert.NotNull(user);
        Assert.Empty(await users.GetRolesAsync(user));
        Assert.Null(await users.FindByIdAsync(Guid.NewGuid().ToString()));
    }

    [Fact]
    public async Task A_role_given_by_another_request_is_read_by_the_next_one()
    {
        var name = await TestUsers.CreateAsync(_factory);
        var id = await IdOfAsync(name);
        Assert.Empty(await RolesInNewRequestAsync(id));

        await TestUsers.ChangeAsync(_factory, name, (users, user) => users.AddToRoleAsync(user, UsersSeed.AdminRole));

        Assert.Equal([UsersSeed.AdminRole], await RolesInNewRequestAsync(id));
    }

    private async Task<IList<string>> RolesInNewRequestAsync(string id)
    {
        using var scope = _factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return await users.GetRolesAsync((await users.FindByIdAsync(id))!);
    }

    private async Task<string> IdOfAsync(string name)
    {
        using var scope = _factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        return (await users.FindByNameAsync(name))!.Id;
    }
}
