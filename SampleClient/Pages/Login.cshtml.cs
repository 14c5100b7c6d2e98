using System.Security.Claims;
using AuthRefresh.Shared;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using SampleClient.Tokens;

namespace SampleClient.Pages;

public sealed class LoginModel(TokenSessionService sessions, IOptions<SampleClientSettings> settings, TimeProvider time) : PageModel
{
    public const string InvalidCredentials = "Invalid username or password";
    public const string TwoFactor = "This account uses two-factor authentication, which password sign-in cannot check.";
    public const string Unreachable = "The sign-in service cannot be reached. Try again later.";
    public const string SignedOut = "You have been signed out";
    public const string SessionEnded = "Your session has ended, please sign in again";

    [BindProperty]
    public string? Username { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public bool RememberMe { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Reason { get; set; }

    public string? Notice { get; private set; }

    public string? Error { get; private set; }

    public IActionResult OnGet()
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            return Redirect("/");
        }

        Notice = Reason switch
        {
            "signed-out" => SignedOut,
            "session-ended" => SessionEnded,
            _ => null,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Username) || string.IsNullOrEmpty(Password))
        {
            Error = InvalidCredentials;
            return Page();
        }

        SessionTokens session;
        try
        {
            session = await sessions.SignInAsync(Username.Trim(), Password, cancellationToken);
        }
        catch (OpenIddictExceptions.ProtocolException exception) when (AuthServerUnavailableException.IsUnavailable(exception))
        {
            Error = Unreachable;
            return Page();
        }
        catch (OpenIddictExceptions.ProtocolException exception)
        {
            Error = exception.ErrorDescription switch
            {
                TokenErrors.TwoFactorRequired => TwoFactor,
                _ => InvalidCredentials,
            };
            return Page();
        }
        catch (HttpRequestException)
        {
            Error = Unreachable;
            return Page();
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, session.Subject),
                new Claim(ClaimTypes.Name, session.DisplayName ?? session.UserName),
                new Claim(SessionClaim.Type, session.SessionId),
            ],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await HttpContext.SignInAsync(
            CookieAuthenticationDefaults.AuthenticationScheme,
            new ClaimsPrincipal(identity),
            new AuthenticationProperties
            {
                IsPersistent = RememberMe,
                ExpiresUtc = RememberMe ? time.GetUtcNow() + settings.Value.RememberMeLifetime : null,
            });

        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
    }
}
