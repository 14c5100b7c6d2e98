using AuthServer.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace AuthRefresh.Testing;

/// <summary>Users of one test, created and changed through Identity as the admin area would.</summary>
public static class TestUsers
{
    public const string Password = "Secret123$";

    public static async Task<string> CreateAsync(AuthServerFactory factory, string? name = null)
    {
        name ??= "user-" + Guid.NewGuid().ToString("N")[..8];
        await WithUserAsync(factory, users => users.CreateAsync(
            new ApplicationUser { UserName = name, Email = $"{name}@example.com", EmailConfirmed = true }, Password));
        return name;
    }

    public static Task ChangeAsync(AuthServerFactory factory, string name, Func<UserManager<ApplicationUser>, ApplicationUser, Task<IdentityResult>> change)
        => WithUserAsync(factory, async users => await change(users, (await users.FindByNameAsync(name))!));

    private static async Task WithUserAsync(AuthServerFactory factory, Func<UserManager<ApplicationUser>, Task<IdentityResult>> action)
    {
        using var scope = factory.Services.CreateScope();
        var result = await action(scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>());
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
    }
}
