using AuthRefresh.Shared;
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

    /// <summary>
    /// The demo user alice has a fixed id (her tokens' <c>sub</c>), so that ResourceApi can seed
    /// her notes in Development without asking AuthServer.
    /// </summary>
    public const string AliceId = DemoUsers.AliceId;

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
            await CreateUserAsync(new ApplicationUser { Id = AliceId, UserName = "alice", Email = "alice@example.com", DisplayName = "Alice Liddell" }, "Pass123$", UserRole);
            await CreateUserAsync(new ApplicationUser { UserName = "admin", Email = "admin@example.com", DisplayName = "Administrator" }, "Admin123$", AdminRole);
        }
    }

    private async Task CreateUserAsync(ApplicationUser user, string password, string role)
    {
        if (await users.FindByNameAsync(user.UserName!) is not null)
        {
            return;
        }

        user.EmailConfirmed = true;
        Check(await users.CreateAsync(user, password), user.UserName!);
        Check(await users.AddToRoleAsync(user, role), user.UserName!);
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
