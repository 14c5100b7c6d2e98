using AuthServer.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Stores;

/// <summary>
/// Identity's user store, with the two lookups every refresh makes (the user by id, then their
/// roles) as compiled queries. Identity finds a user with <c>DbSet.FindAsync</c>, which builds
/// and looks up its query anew on every call.
/// </summary>
internal sealed class CompiledUserStore(ApplicationDbContext context, IdentityErrorDescriber? describer = null)
    : UserStore<ApplicationUser, IdentityRole, ApplicationDbContext>(context, describer)
{
    private static readonly PerModel<Func<ApplicationDbContext, string, CancellationToken, Task<ApplicationUser?>>> ById = new(() =>
        EF.CompileAsyncQuery((ApplicationDbContext db, string id, CancellationToken _) => db.Users.FirstOrDefault(user => user.Id == id)));

    private static readonly PerModel<Func<ApplicationDbContext, string, IAsyncEnumerable<string?>>> RoleNames = new(() =>
        EF.CompileAsyncQuery((ApplicationDbContext db, string userId) =>
            from userRole in db.UserRoles
            join role in db.Roles on userRole.RoleId equals role.Id
            where userRole.UserId == userId
            select role.Name));

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
        return Context.Users.Local.FindEntry(userId)?.Entity ?? await ById.For(Context)(Context, userId, cancellationToken);
    }

    public override async Task<IList<string>> GetRolesAsync(ApplicationUser user, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(user);

        var roles = new List<string>();
        await foreach (var role in RoleNames.For(Context)(Context, user.Id).WithCancellation(cancellationToken))
        {
            roles.Add(role!);
        }

        return roles;
    }
}
