using System.ComponentModel.DataAnnotations;
using AuthServer.Accounts;
using AuthServer.Data;
using AuthServer.Telemetry;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AuthServer.Areas.Identity.Pages.Account;

/// <summary>
/// Replaces Identity UI's login page, which only takes an email address: here, as at the token
/// endpoint, the user name or the email address signs in.
/// </summary>
/// <remarks>
/// As at the token endpoint, password checks take a turn at <see cref="PasswordHashingGate"/>, and
/// an unknown user and a locked account answer as a wrong password does, in as much time.
/// </remarks>
public sealed class LoginModel(
    SignInManager<ApplicationUser> signIn, UserManager<ApplicationUser> users, IPasswordHasher<ApplicationUser> hasher, PasswordHashingGate hashing,
    AuthServerMetrics metrics)
    : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public string? ReturnUrl { get; set; }

    [TempData]
    public string? ErrorMessage { get; set; }

    public sealed class InputModel
    {
        [Required]
        [Display(Name = "User name or email")]
        public string UserName { get; set; } = "";

        [Required]
        [DataType(DataType.Password)]
        public string Password { get; set; } = "";

        [Display(Name = "Remember me")]
        public bool RememberMe { get; set; }
    }

    public async Task OnGetAsync(string? returnUrl = null)
    {
        if (!string.IsNullOrEmpty(ErrorMessage))
        {
            ModelState.AddModelError(string.Empty, ErrorMessage);
        }

        ReturnUrl = returnUrl ?? Url.Content("~/");
        await HttpContext.SignOutAsync(IdentityConstants.ExternalScheme);
    }

    public async Task<IActionResult> OnPostAsync(string? returnUrl = null)
    {
        ReturnUrl = returnUrl ?? Url.Content("~/");
        if (!ModelState.IsValid)
        {
            return Page();
        }

        using var turn = await hashing.EnterAsync(HttpContext.RequestAborted);
        if (turn is null)
        {
            metrics.LoginFailed(LoginFailure.RateLimited);
            ModelState.AddModelError(string.Empty, "The server is busy. Try again in a moment.");
            return Page();
        }

        var user = await users.FindByNameAsync(Input.UserName)
            ?? (Input.UserName.Contains('@', StringComparison.Ordinal) ? await users.FindByEmailAsync(Input.UserName) : null);
        var result = user is null
            ? Microsoft.AspNetCore.Identity.SignInResult.Failed
            : await signIn.PasswordSignInAsync(user, Input.Password, Input.RememberMe, lockoutOnFailure: true);
        if (user is null || result.IsLockedOut)
        {
            PasswordHashingGate.VerifyDecoy(hasher, Input.Password);
        }

        if (result.Succeeded)
        {
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
        }

        if (result.RequiresTwoFactor)
        {
            return RedirectToPage("./LoginWith2fa", new { ReturnUrl, Input.RememberMe });
        }

        metrics.LoginFailed(result.IsLockedOut ? LoginFailure.LockedOut : result.IsNotAllowed ? LoginFailure.NotAllowed : LoginFailure.InvalidCredentials);

        // Note: a locked account is not told apart from a wrong password (its owner gets an email).
        ModelState.AddModelError(string.Empty, result.IsNotAllowed ? "This account must confirm its email address first." : "Invalid user name or password.");
        return Page();
    }
}
