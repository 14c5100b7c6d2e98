using AuthRefresh.Shared;
using AuthServer.Data;
using AuthServer.Stores;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AuthServer.Accounts;

/// <summary>
/// ASP.NET Core Identity with its UI, the revoking user manager, email, the admin policy and the
/// account cookie.
/// </summary>
public static class AccountsSetup
{
    public const string AdminPolicy = "Admin";

    public static void AddAccounts(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddIdentity<ApplicationUser, IdentityRole>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Lockout.AllowedForNewUsers = true;
                options.ClaimsIdentity.UserIdClaimType = Claims.Subject;
                options.ClaimsIdentity.UserNameClaimType = Claims.Name;
                options.ClaimsIdentity.RoleClaimType = Claims.Role;
                options.ClaimsIdentity.EmailClaimType = Claims.Email;
            })
            .AddEntityFrameworkStores<ApplicationDbContext>()
            .AddUserStore<CompiledUserStore>()
            .AddUserManager<RevokingUserManager>()
            .AddDefaultTokenProviders()
            .AddDefaultUI();
        services.AddScoped<UserTokenRevoker>();
        services.AddSingleton<PasswordHashingThreads>();
        services.Replace(ServiceDescriptor.Scoped<IPasswordHasher<ApplicationUser>, LowPriorityPasswordHasher>());
        services.AddOptions<IdentityOptions>().Configure<IOptions<LockoutSettings>, IOptions<EmailSettings>>((identity, lockout, email) =>
        {
            identity.Lockout.MaxFailedAccessAttempts = lockout.Value.MaxFailedAttempts;
            identity.Lockout.DefaultLockoutTimeSpan = lockout.Value.Duration;
            identity.SignIn.RequireConfirmedAccount = email.Value.RequireConfirmedAccount;
        });
        services.AddValidatedOptions<EmailSettings>(EmailSettings.SectionName);
        services.AddTransient<Microsoft.AspNetCore.Identity.UI.Services.IEmailSender, EmailSender>();
        services.AddRazorPages(pages => pages.Conventions.AuthorizeAreaFolder("Admin", "/", AdminPolicy));
        services.ConfigureApplicationCookie(cookie =>
        {
            cookie.Cookie.Name = ".AuthRefresh.AuthServer";
            cookie.Cookie.SecurePolicy = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;

            // A signed-in user who is not an administrator gets 403, not a redirect; the page
            // that says so is the status page (UseBrowserStatusPages).
            cookie.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });

        services.AddAuthorizationBuilder().AddPolicy(AdminPolicy, policy => policy.RequireRole(UsersSeed.AdminRole));
    }
}
