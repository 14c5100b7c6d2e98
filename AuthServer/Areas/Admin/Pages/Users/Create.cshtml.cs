using AuthServer.Admin;
using AuthServer.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Areas.Admin.Pages.Users;

public sealed class CreateModel(UserManager<ApplicationUser> users, RoleManager<IdentityRole> roles, AdminAudit audit) : AdminPageModel(audit)
{
    [BindProperty]
    public UserForm Input { get; set; } = new();

    public List<string> AllRoles { get; private set; } = [];

    public async Task OnGetAsync() => AllRoles = await roles.Roles.Select(r => r.Name!).OrderBy(r => r).ToListAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        AllRoles = await roles.Roles.Select(r => r.Name!).OrderBy(r => r).ToListAsync();
        if (string.IsNullOrEmpty(Input.Password))
        {
            ModelState.AddModelError("Input.Password", "A password is required.");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var user = new ApplicationUser { UserName = Input.UserName, Email = Input.Email, DisplayName = Input.DisplayName, EmailConfirmed = true };
        var result = await users.CreateAsync(user, Input.Password!);
        if (result.Succeeded)
        {
            result = await users.AddToRolesAsync(user, Input.Roles.Intersect(AllRoles));
        }

        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(string.Empty, error.Description);
            }

            return Page();
        }

        await AuditAsync("user.create", user.UserName!, $"User {user.UserName} created.", $"roles: {string.Join(", ", Input.Roles)}");
        return Redirect($"/admin/users/{user.Id}");
    }
}
