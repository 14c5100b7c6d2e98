using System.Net;
using System.Text.RegularExpressions;
using AuthRefresh.Testing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AuthServer.Tests;

/// <summary>The account pages of Identity UI, served by AuthServer, with their effect on tokens.</summary>
public sealed class IdentityUiTests
{
    [Fact]
    public async Task A_visitor_registers_and_can_then_get_tokens()
    {
        using var factory = new AuthServerFactory();
        var browser = Session(factory);

        var (status, _, _) = await browser.SubmitAsync("/Identity/Account/Register", "/Identity/Account/Register",
            ("Input.Email", "newcomer@example.com"), ("Input.Password", "Newcomer123$"), ("Input.ConfirmPassword", "Newcomer123$"));
        var login = await factory.CreateTokenClient().PasswordAsync("newcomer@example.com", "Newcomer123$");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(HttpStatusCode.OK, login.Status);
    }

    [Fact]
    public async Task A_password_change_through_the_account_pages_revokes_the_users_tokens()
    {
        using var factory = new AuthServerFactory();
        var tokens = factory.CreateTokenClient();
        var user = await TestUsers.CreateAsync(factory);
        var login = await tokens.LoginAsync(user, TestUsers.Password);
        var browser = Session(factory);
        await browser.SignInAsync(user, TestUsers.Password);

        var (_, html, _) = await browser.SubmitAsync("/Identity/Account/Manage/ChangePassword", "/Identity/Account/Manage/ChangePassword",
            ("Input.OldPassword", TestUsers.Password), ("Input.NewPassword", "Changed123$x"), ("Input.ConfirmPassword", "Changed123$x"));

        Assert.Contains("Your password has been changed.", html, StringComparison.Ordinal);
        Assert.False((await tokens.IntrospectAsync(login.AccessToken!)).Json.GetProperty("active").GetBoolean());
        Assert.Equal("invalid_grant", (await tokens.RefreshAsync(login.RefreshToken!)).Error);
        Assert.Equal(HttpStatusCode.OK, (await tokens.PasswordAsync(user, "Changed123$x")).Status);
    }

    [Fact]
    public async Task With_confirmation_required_the_Development_email_in_the_log_carries_the_link_that_confirms()
    {
        var logs = new LogCapture();
        using var factory = new AuthServerFactory(
            new Dictionary<string, string?> { ["Email:RequireConfirmedAccount"] = "true" },
            services: services => services.AddLogging(logging => logging.AddProvider(logs)));
        var tokens = factory.CreateTokenClient();
        var browser = Session(factory);

        await browser.SubmitAsync("/Identity/Account/Register", "/Identity/Account/Register",
            ("Input.Email", "careful@example.com"), ("Input.Password", "Careful123$"), ("Input.ConfirmPassword", "Careful123$"));
        var before = await tokens.PasswordAsync("careful@example.com", "Careful123$");
        var email = Assert.Single(logs.Entries, e => e.Contains("Development email to careful@example.com", StringComparison.Ordinal));
        var link = WebUtility.HtmlDecode(Regex.Match(email, "href='([^']+)'").Groups[1].Value);
        var confirmed = await browser.GetAsync(link);
        var after = await tokens.PasswordAsync("careful@example.com", "Careful123$");

        Assert.Equal("The account is not allowed to sign in.", before.ErrorDescription);
        Assert.Contains("Thank you for confirming your email.", confirmed.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, after.Status);
    }

    [Theory]
    [InlineData("/Identity/Account/Login", "User name or email")]
    [InlineData("/Identity/Account/Register", "Create a new account")]
    [InlineData("/Identity/Account/ForgotPassword", "Enter your email")]
    [InlineData("/", "AuthRefresh AuthServer")]
    public async Task The_account_pages_are_served(string path, string text)
    {
        using var factory = new AuthServerFactory();

        var (status, html, _) = await Session(factory).GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(text, html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/Identity/Account/Login")]
    [InlineData("/Identity/Account/Register")]
    [InlineData("/Identity/Account/ForgotPassword")]
    public async Task The_account_pages_wear_AuthServers_layout_and_words(string path)
    {
        using var factory = new AuthServerFactory();

        var (_, html, _) = await Session(factory).GetAsync(path);

        Assert.Contains("<a class=\"navbar-brand\" href=\"/\">AuthRefresh AuthServer</a>", html, StringComparison.Ordinal);
        Assert.Contains("· AuthRefresh AuthServer</title>", html, StringComparison.Ordinal);
        Assert.Contains(">Sign in</a>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("&copy;", html, StringComparison.Ordinal); // the package's own footer
        Assert.DoesNotContain("Log in", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_at_the_login_page_is_one_plain_notice()
    {
        using var factory = new AuthServerFactory();

        var (_, html, _) = await Session(factory).SubmitAsync("/Identity/Account/Login", "/Identity/Account/Login",
            ("Input.UserName", "alice"), ("Input.Password", "wrong-password"));

        Assert.Contains("<p class=\"alert alert-danger\" role=\"alert\" id=\"login-error\">Invalid user name or password.</p>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<li>", html[html.IndexOf("<main", StringComparison.Ordinal)..], StringComparison.Ordinal);
    }

    private static HtmlSession Session(AuthServerFactory factory)
        => new(factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = factory.Address }));
}
