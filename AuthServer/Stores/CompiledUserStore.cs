using AuthServer.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Stores;

/// <summary>
/// Identity's user store, with the lookups every refresh makes (the user by id, then their roles)
/// as one compiled query. Identity finds a user with <c>DbSet.FindAsync</c>, which builds and
/// looks up its query anew on every call, and reads the roles with a second query.
/// </summary>
/// <remarks>
/// The roles read with a user are kept for this store's scope (a request) until a role of that
/// user is added or removed through it; another request reads them again.
/// </remarks>
internal sealed class CompiledUserStore(ApplicationDbContext context, IdentityErrorDescriber? describer = null)
    : UserStore<ApplicationUser, IdentityRole, ApplicationDbContext>(context, describer)
{
    // Note: one row per role of the user (one row with no role if they have none).
    private static readonly PerModel<Func<ApplicationDbContext, string, IAsyncEnumerable<UserWithRole>>> ByIdWithRoles = new(() =>
        EF.CompileAsyncQuery((ApplicationDbContext db, string id) =>
            from user in db.Users
            where user.Id == id
            from role in (
                from userRole in db.UserRoles
                join role in db.Roles on userRole.RoleId equals role.Id
                where userRole.UserId == user.Id
                select role.Name).DefaultIfEmpty()
            select new UserWithRole(user, role)));

    private static readonly PerModel<Func<ApplicationDbContext, string, IAsyncEnumerable<string?>>> RoleNames = new(() =>
        EF.CompileAsyncQuery((ApplicationDbContext db, string userId) =>
            from userRole in db.UserRoles
            join role in db.Roles on userRole.RoleId equals role.Id
            where userRole.UserId == userId
            select role.Name));

    private readonly Dictionary<ApplicationUser, List<string>> _roles = new(ReferenceEqualityComparer.Instance);

    public override async Task<ApplicationUser?> FindByIdAsync(string userId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        if (userId is null)
        {
            return null;
        }

        // Note: as FindAsync does, a user this context already tracks is returned as it is,
        // with any changes not saved yet.
        if (Context.FindTracked<ApplicationUser>(userId) is { } tracked)
        {
            return tracked;
        }

        ApplicationUser? found = null;
        var roles = new List<string>();
        await foreach (var row in ByIdWithRoles.For(Context)(Context, userId).WithCancellation(cancellationToken))
        {
            found = row.User;
            if (row.Role is { } role)
            {
                roles.Add(role);
            }
        }

        if (found is not null)
        {
            _roles[found] = roles;
        }

        return found;
    }

    public override async Task<IList<string>> GetRolesAsync(ApplicationUser user, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(user);

        if (_roles.TryGetValue(user, out var known))
        {
            return [.. known];
        }

        var roles = new List<string>();
        await foreach (var role in RoleNames.For(Context)(Context, user.Id).WithCancellation(cancellationToken))
        {
            roles.Add(role!);
        }

        return roles;
    }

    public override async Task AddToRoleAsync(ApplicationUser user, string normalizedRoleName, CancellationToken cancellationToken = default)
    {
        await base.AddToRoleAsync(user, normalizedRoleName, cancellationToken);
        _roles.Remove(user);
    }

    public override async Task RemoveFromRoleAsync(ApplicationUser user, string normalizedRoleName, CancellationToken cancellationToken = default)
    {
        await base.RemoveFromRoleAsync(user, normalizedRoleName, cancellationToken);
        _roles.Remove(user);
    }

    private sealed record UserWithRole(ApplicationUser User, string? Role);
}
