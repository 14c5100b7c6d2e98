using AuthServer.Accounts;
using AuthServer.Admin;
using AuthServer.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Areas.Admin.Pages.Users;

/// <summary>
/// One user: name, email and roles; lock and unlock; password reset; "sign out everywhere"; delete.
/// Locking, resetting, signing out and deleting revoke the user's tokens (<see cref="RevokingUserManager"/>).
/// </summary>
public sealed class EditModel(UserManager<ApplicationUser> users, RoleManager<IdentityRole> roles, AdminAudit audit) : AdminPageModel(audit)
{
    [BindProperty]
    public UserForm Input { get; set; } = new();

    [BindProperty]
    public string? NewPassword { get; set; }

    public ApplicationUser? Account { get; private set; }

    public List<string> AllRoles { get; private set; } = [];

    public bool IsLockedOut { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        Input = new UserForm
        {
            UserName = Account!.UserName!,
            Email = Account.Email!,
            DisplayName = Account.DisplayName,
            Roles = [.. await users.GetRolesAsync(Account)],
        };
        return Page();
    }

    public Task<IActionResult> OnPostSaveAsync(string id) => ActAsync(id, async user =>
    {
        user.DisplayName = Input.DisplayName;
        var result = await users.SetEmailAsync(user, Input.Email);
        if (result.Succeeded && user.UserName != Input.UserName)
        {
            result = await users.SetUserNameAsync(user, Input.UserName);
        }

        if (result.Succeeded)
        {
            result = await users.UpdateAsync(user);
        }

        var current = await users.GetRolesAsync(user);
        var wanted = Input.Roles.Intersect(AllRoles).ToList();
        if (result.Succeeded && current.Except(wanted).ToList() is { Count: > 0 } removed)
        {
            result = await users.RemoveFromRolesAsync(user, removed);
        }

        if (result.Succeeded && wanted.Except(current).ToList() is { Count: > 0 } added)
        {
            result = await users.AddToRolesAsync(user, added);
        }

        return (result, "user.update", $"User {user.UserName} saved.", $"roles: {string.Join(", ", wanted)}");
    });

    public Task<IActionResult> OnPostLockAsync(string id) => ActAsync(id, async user =>
        (await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue), "user.lock", $"User {user.UserName} locked; their tokens are revoked.", null));

    public Task<IActionResult> OnPostUnlockAsync(string id) => ActAsync(id, async user =>
    {
        var result = await users.SetLockoutEndDateAsync(user, null);
        if (result.Succeeded)
        {
            result = await users.ResetAccessFailedCountAsync(user);
        }

        return (result, "user.unlock", $"User {user.UserName} unlocked.", null);
    });

    public Task<IActionResult> OnPostResetPasswordAsync(string id) => ActAsync(id, async user =>
    {
        var result = string.IsNullOrEmpty(NewPassword)
            ? IdentityResult.Failed(new IdentityError { Description = "Type the new password." })
            : await users.ResetPasswordAsync(user, await users.GeneratePasswordResetTokenAsync(user), NewPassword);
        return (result, "user.reset-password", $"The password of {user.UserName} was reset; their tokens are revoked.", null);
    });

    public Task<IActionResult> OnPostSignOutEverywhereAsync(string id) => ActAsync(id, async user =>
        (await users.UpdateSecurityStampAsync(user), "user.sign-out-everywhere", $"{user.UserName} is signed out everywhere; their tokens are revoked.", null));

    public async Task<IActionResult> OnPostDeleteAsync(string id)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        var name = Account!.UserName!;
        var result = await users.DeleteAsync(Account);
        if (!result.Succeeded)
        {
            return Failed(result);
        }

        await AuditAsync("user.delete", name, $"User {name} deleted; their tokens are revoked.");
        return Redirect("/admin/users");
    }

    private async Task<IActionResult> ActAsync(
        string id, Func<ApplicationUser, Task<(IdentityResult Result, string Action, string Status, string? Details)>> action)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        var (result, name, status, details) = await action(Account!);
        if (!result.Succeeded)
        {
            return Failed(result);
        }

        await AuditAsync(name, Account!.UserName!, status, details);
        return Redirect($"/admin/users/{id}");
    }

    private IActionResult Failed(IdentityResult result)
    {
        foreach (var error in result.Errors)
        {
            ModelState.AddModelError(string.Empty, error.Description);
        }

        return Page();
    }

    private async Task<bool> LoadAsync(string id)
    {
        Account = await users.FindByIdAsync(id);
        AllRoles = await roles.Roles.Select(r => r.Name!).OrderBy(r => r).ToListAsync();
        IsLockedOut = Account is not null && await users.IsLockedOutAsync(Account);
        return Account is not null;
    }
}
