using AuthServer.Options;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AuthServer.Data;

/// <summary>
/// Creates the roles, and in Development the demo users (<c>alice</c>, <c>admin</c>). Users that
/// exist are left as they are.
/// </summary>
public sealed class UsersSeed(
    UserManager<ApplicationUser> users,
    RoleManager<IdentityRole> roles,
    IOptions<DemoDataSettings> demoData)
{
    public const string AdminRole = "Admin";
    public const string UserRole = "User";

    public async Task SeedAsync()
    {
        foreach (var role in new[] { AdminRole, UserRole })
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)), role);
            }
        }

        if (demoData.Value.Enabled)
        {
            await CreateUserAsync("alice", "alice@example.com", "Alice Liddell", "Pass123$", UserRole);
            await CreateUserAsync("admin", "admin@example.com", "Administrator", "Admin123$", AdminRole);
        }
    }

    private async Task CreateUserAsync(string userName, string email, string displayName, string password, string role)
    {
        if (await users.FindByNameAsync(userName) is not null)
        {
            return;
        }

        var user = new ApplicationUser { UserName = userName, Email = email, EmailConfirmed = true, DisplayName = displayName };
        Check(await users.CreateAsync(user, password), userName);
        Check(await users.AddToRoleAsync(user, role), userName);
    }

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"Seeding '{what}' failed: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }
}
