using AuthServer.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.UI.Services;
using Microsoft.Extensions.Options;

namespace AuthServer.Accounts;

/// <summary>
/// ASP.NET Core Identity's user manager, which also revokes every token of a user when their
/// password is changed, reset or removed, when they are locked out (by failed passwords or by an
/// administrator), when their roles change, when they are deleted, and when their security stamp
/// is renewed ("sign out everywhere"). Identity UI, the admin area and the commands all go through it, so no path
/// forgets the revocation. (A refresh also checks the security stamp; revoking makes the access
/// tokens inactive at introspection too, without waiting for them to expire.)
/// </summary>
public sealed class RevokingUserManager(
    IUserStore<ApplicationUser> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<ApplicationUser> passwordHasher,
    IEnumerable<IUserValidator<ApplicationUser>> userValidators,
    IEnumerable<IPasswordValidator<ApplicationUser>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<ApplicationUser>> logger,
    UserTokenRevoker revoker,
    IEmailSender emails)
    : UserManager<ApplicationUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    public override async Task<IdentityResult> ChangePasswordAsync(ApplicationUser user, string currentPassword, string newPassword)
        => await RevokeIfSucceededAsync(user, "password changed", await base.ChangePasswordAsync(user, currentPassword, newPassword));

    public override async Task<IdentityResult> ResetPasswordAsync(ApplicationUser user, string token, string newPassword)
        => await RevokeIfSucceededAsync(user, "password reset", await base.ResetPasswordAsync(user, token, newPassword));

    public override async Task<IdentityResult> RemovePasswordAsync(ApplicationUser user)
        => await RevokeIfSucceededAsync(user, "password removed", await base.RemovePasswordAsync(user));

    public override async Task<IdentityResult> UpdateSecurityStampAsync(ApplicationUser user)
        => await RevokeIfSucceededAsync(user, "signed out everywhere", await base.UpdateSecurityStampAsync(user));

    public override async Task<IdentityResult> SetLockoutEndDateAsync(ApplicationUser user, DateTimeOffset? lockoutEnd)
    {
        var result = await base.SetLockoutEndDateAsync(user, lockoutEnd);
        return lockoutEnd > DateTimeOffset.UtcNow ? await RevokeIfSucceededAsync(user, "locked out", result) : result;
    }

    public override async Task<IdentityResult> AccessFailedAsync(ApplicationUser user)
    {
        // Note: Identity locks the account inside this call, without going through SetLockoutEndDateAsync.
        var result = await base.AccessFailedAsync(user);
        if (!result.Succeeded || !await IsLockedOutAsync(user))
        {
            return result;
        }

        await TellOwnerOfLockoutAsync(user);
        return await RevokeIfSucceededAsync(user, "locked out", result);
    }

    /// <summary>
    /// The one who learns that failed passwords locked an account: its owner, by email (sign-in
    /// answers a locked account as a wrong password, so that a guesser learns nothing).
    /// </summary>
    private async Task TellOwnerOfLockoutAsync(ApplicationUser user)
    {
        if (await GetEmailAsync(user) is not { Length: > 0 } email)
        {
            return;
        }

        var until = await GetLockoutEndDateAsync(user);
        await emails.SendEmailAsync(
            email,
            "Your AuthRefresh account is locked",
            $"<p>After {Options.Lockout.MaxFailedAccessAttempts} failed sign-in attempts your account " +
            $"<b>{System.Net.WebUtility.HtmlEncode(user.UserName)}</b> is locked until {until:u}, and its sessions were ended.</p>" +
            "<p>If this was not you, someone may be guessing your password: reset it with \"Forgot your password?\" on the sign-in page.</p>");
    }

    // Note: a login's tokens carry the roles it was granted with; a role taken away must not live
    // on in them, and one given is picked up at the next sign-in.
    public override async Task<IdentityResult> AddToRoleAsync(ApplicationUser user, string role)
        => await RevokeIfSucceededAsync(user, "roles changed", await base.AddToRoleAsync(user, role));

    public override async Task<IdentityResult> AddToRolesAsync(ApplicationUser user, IEnumerable<string> roles)
        => await RevokeIfSucceededAsync(user, "roles changed", await base.AddToRolesAsync(user, roles));

    public override async Task<IdentityResult> RemoveFromRoleAsync(ApplicationUser user, string role)
        => await RevokeIfSucceededAsync(user, "roles changed", await base.RemoveFromRoleAsync(user, role));

    public override async Task<IdentityResult> RemoveFromRolesAsync(ApplicationUser user, IEnumerable<string> roles)
        => await RevokeIfSucceededAsync(user, "roles changed", await base.RemoveFromRolesAsync(user, roles));

    public override async Task<IdentityResult> DeleteAsync(ApplicationUser user)
    {
        // The tokens are revoked first: once the user is gone, nothing names them any more.
        var id = await GetUserIdAsync(user);
        await revoker.RevokeAllAsync(id, "deleted");
        return await base.DeleteAsync(user);
    }

    private async Task<IdentityResult> RevokeIfSucceededAsync(ApplicationUser user, string reason, IdentityResult result)
    {
        if (result.Succeeded)
        {
            await revoker.RevokeAllAsync(await GetUserIdAsync(user), reason, CancellationToken);
        }

        return result;
    }
}
