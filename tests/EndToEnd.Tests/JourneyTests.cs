using System.Net;
using System.Text.RegularExpressions;
using AuthRefresh.Testing;
using AuthServer.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EndToEnd.Tests;

/// <summary>The original project's journeys S1–S6 and S9, in Chromium, against the three real services.</summary>
public sealed class JourneyTests(StandardSite site) : IClassFixture<StandardSite>
{
    [Fact]
    public Task S1_a_visitor_who_is_not_signed_in_is_sent_to_login_and_back_after() => Journey.RunAsync(site, nameof(S1_a_visitor_who_is_not_signed_in_is_sent_to_login_and_back_after), async (_, page) =>
    {
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(LoginWithReturnUrl());

        await Journey.SignInAsync(page);

        await Expect(page).ToHaveURLAsync(new Regex($"^{Regex.Escape(site.Address.ToString())}$"));
        await Expect(page.Locator("#greeting")).ToHaveTextAsync("Hello, Alice Liddell");
    });

    [Fact]
    public Task S2_wrong_credentials_show_a_notice_and_keep_the_user_name() => Journey.RunAsync(site, nameof(S2_wrong_credentials_show_a_notice_and_keep_the_user_name), async (_, page) =>
    {
        await Journey.SignInAsync(page, "alice", "wrong-password");

        await Expect(page.Locator("#error")).ToHaveTextAsync("Invalid username or password");
        await Expect(page.Locator("#Username")).ToHaveValueAsync("alice");

        await Journey.SignInAsync(page, "nobody-at-all", "wrong-password");
        await Expect(page.Locator("#error")).ToHaveTextAsync("Invalid username or password");
    });

    [Fact]
    public Task S2_a_locked_account_answers_as_a_wrong_password() => Journey.RunAsync(site, nameof(S2_a_locked_account_answers_as_a_wrong_password), async (_, page) =>
    {
        var user = await TestUsers.CreateAsync(site.AuthServer);
        for (var i = 0; i < 5; i++)
        {
            await Journey.SignInAsync(page, user, "wrong-password");
        }

        await Journey.SignInAsync(page, user, TestUsers.Password);

        // Only the owner (by email) and the administrators learn of the lockout, not a guesser.
        await Expect(page.Locator("#error")).ToHaveTextAsync("Invalid username or password");
        using var scope = site.AuthServer.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        Assert.True(await users.IsLockedOutAsync((await users.FindByNameAsync(user))!));
    });

    [Fact]
    public Task S3_after_login_the_home_page_shows_the_tokens_raw_and_decoded() => Journey.RunAsync(site, nameof(S3_after_login_the_home_page_shows_the_tokens_raw_and_decoded), async (_, page) =>
    {
        await Journey.SignInAsync(page);

        await Expect(page.Locator("#greeting")).ToHaveTextAsync("Hello, Alice Liddell");
        var accessToken = await Journey.TextAsync(page, "#access-token");
        Assert.Equal(3, accessToken.Split('.').Length);
        await Expect(page.Locator("#access-header")).ToContainTextAsync("\"typ\": \"at+jwt\"");
        await Expect(page.Locator("#access-claims")).ToContainTextAsync("\"preferred_username\": \"alice\"");
        await Expect(page.Locator("#access-claims")).ToContainTextAsync("\"aud\": \"resource-api\"");
        Assert.False(string.IsNullOrWhiteSpace(await Journey.TextAsync(page, "#refresh-token")));
        await Expect(page.Locator("#expiry")).ToHaveTextAsync(new Regex(@"^expires in \d+ s$")); // the live countdown
        // The sign-in, then the home page's list of notes: a data request.
        await Expect(page.Locator("#rotations .reason")).ToHaveTextAsync(["data request (demonstration mode)", "signed in"]);
    });

    [Fact]
    public Task S4_every_data_request_brings_a_new_token_pair() => Journey.RunAsync(site, nameof(S4_every_data_request_brings_a_new_token_pair), async (_, page) =>
    {
        await Journey.SignInAsync(page);
        var accessBefore = await Journey.TextAsync(page, "#access-token");
        var fingerprintBefore = await Journey.TextAsync(page, "#refresh-fingerprint");

        await Journey.SubmitAsync(page, "#load-notes");

        await Expect(page.Locator("#notes-count")).ToBeVisibleAsync();
        var fingerprintAfter = await Journey.TextAsync(page, "#refresh-fingerprint");
        Assert.NotEqual(fingerprintBefore, fingerprintAfter);
        Assert.NotEqual(accessBefore, await Journey.TextAsync(page, "#access-token"));
        await Expect(page.Locator("#rotations .rotation")).ToHaveCountAsync(3);
        await Expect(page.Locator("#rotations .reason").First).ToHaveTextAsync("data request (demonstration mode)");
        await Expect(page.Locator("#rotations .rotation").First).ToContainTextAsync($"{fingerprintBefore} → {fingerprintAfter}");
    });

    [Fact]
    public Task S9_notes_can_be_added_listed_and_deleted_through_the_api() => Journey.RunAsync(site, nameof(S9_notes_can_be_added_listed_and_deleted_through_the_api), async (_, page) =>
    {
        var user = await TestUsers.CreateAsync(site.AuthServer);
        await Journey.SignInAsync(page, user, TestUsers.Password);

        await Expect(page.Locator("#no-notes")).ToBeVisibleAsync();
        await page.FillAsync("#note-body", "Bought milk");
        await page.ClickAsync("#add-note");
        await Expect(page.Locator("#notes .note-body")).ToHaveTextAsync(["Bought milk"]);
        await Expect(page.Locator("#notice")).ToHaveTextAsync("Note added.");
        await page.FillAsync("#note-body", "Called mum");
        await page.ClickAsync("#add-note");
        await Expect(page.Locator("#notes .note-body")).ToHaveTextAsync(["Bought milk", "Called mum"]);

        await page.Locator(".note", new() { HasText = "Bought milk" }).Locator(".delete-note").ClickAsync();

        await Expect(page.Locator("#notes .note-body")).ToHaveTextAsync(["Called mum"]);
        await Expect(page.Locator("#notice")).ToHaveTextAsync("Note deleted.");
        // The sign-in, the first list, and three posts each followed by the list (Post/Redirect/Get).
        await Expect(page.Locator("#rotations .rotation")).ToHaveCountAsync(8);
    });

    [Fact]
    public Task S6_logout_revokes_the_refresh_token_and_shows_the_login_page() => Journey.RunAsync(site, nameof(S6_logout_revokes_the_refresh_token_and_shows_the_login_page), async (context, page) =>
    {
        await Journey.SignInAsync(page);
        var refreshToken = await Journey.TextAsync(page, "#refresh-token");
        var cookies = await context.CookiesAsync();

        await page.ClickAsync("#logout");

        await Expect(page).ToHaveURLAsync(new Regex(@"/login\?reason=signed-out$"));
        await Expect(page.Locator("#notice")).ToHaveTextAsync("You have been signed out");
        var refresh = await site.AuthServer.CreateTokenClient().RefreshAsync(refreshToken, TokenClient.SampleClient, TokenClient.SampleSecret);
        Assert.Equal("invalid_grant", refresh.Error);

        // The old cookie, replayed, does not sign anyone in.
        await context.AddCookiesAsync(cookies.Select(c => new Microsoft.Playwright.Cookie { Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path }));
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(LoginWithReturnUrl());
    });

    [Fact]
    public Task A_revoked_session_ends_with_a_notice_at_the_next_data_request() => Journey.RunAsync(site, nameof(A_revoked_session_ends_with_a_notice_at_the_next_data_request), async (_, page) =>
    {
        await Journey.SignInAsync(page);
        var refreshToken = await Journey.TextAsync(page, "#refresh-token");
        var revoke = await site.AuthServer.CreateTokenClient().RevokeAsync(refreshToken, TokenClient.SampleClient, TokenClient.SampleSecret);
        Assert.Equal(HttpStatusCode.OK, revoke.Status);

        await page.ClickAsync("#load-notes");

        await Expect(page).ToHaveURLAsync(new Regex(@"/login\?reason=session-ended$"));
        await Expect(page.Locator("#notice")).ToHaveTextAsync("Your session has ended, please sign in again");
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(LoginWithReturnUrl());
    });

    [Fact]
    public Task Two_tabs_loading_notes_at_the_same_time_twenty_times_stay_signed_in() => Journey.RunAsync(site, nameof(Two_tabs_loading_notes_at_the_same_time_twenty_times_stay_signed_in), async (context, first) =>
    {
        await Journey.SignInAsync(first);
        var second = await context.NewPageAsync();
        await second.GotoAsync("/");

        for (var i = 0; i < 20; i++)
        {
            await Task.WhenAll(LoadNotesAsync(first), LoadNotesAsync(second));
        }

        // 1 sign-in + 40 rotations; the history keeps the last 10.
        await Expect(first.Locator("#rotations .rotation")).ToHaveCountAsync(10);
        await Expect(second.Locator("#greeting")).ToHaveTextAsync("Hello, Alice Liddell");
    });

    [Fact]
    public Task No_token_is_readable_by_page_scripts() => Journey.RunAsync(site, nameof(No_token_is_readable_by_page_scripts), async (context, page) =>
    {
        await Journey.SignInAsync(page, rememberMe: true);
        await page.ClickAsync("#load-notes");
        await Expect(page.Locator("#notes-count")).ToBeVisibleAsync();
        var refreshToken = await Journey.TextAsync(page, "#refresh-token");

        var storage = await page.EvaluateAsync<string>(
            "() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, cookie: document.cookie })");

        Assert.Equal("""{"local":{},"session":{},"cookie":""}""", storage);
        Assert.DoesNotContain(refreshToken, storage, StringComparison.Ordinal);
        var cookies = await context.CookiesAsync();
        Assert.NotEmpty(cookies);
        Assert.All(cookies, cookie =>
        {
            Assert.True(cookie.HttpOnly, cookie.Name);
            Assert.DoesNotContain("eyJ", cookie.Value, StringComparison.Ordinal);
        });
        var session = Assert.Single(cookies, c => c.Name == ".AuthRefresh.SampleClient");
        Assert.Equal(SameSiteAttribute.Lax, session.SameSite);
    });

    [Fact]
    public Task Pages_carry_a_content_security_policy() => Journey.RunAsync(site, nameof(Pages_carry_a_content_security_policy), async (_, page) =>
    {
        var response = await page.GotoAsync("/login");

        var headers = await response!.AllHeadersAsync();
        Assert.Contains("script-src 'self'", headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", headers["content-security-policy"], StringComparison.Ordinal);
        Assert.Equal("nosniff", headers["x-content-type-options"]);

        // The tab has the site's icon, served by SampleClient itself.
        var icon = await page.Locator("link[rel=icon]").GetAttributeAsync("href");
        var iconResponse = await page.APIRequest.GetAsync(new Uri(site.Address, icon!).ToString());
        Assert.Equal(200, iconResponse.Status);
        Assert.Equal("image/svg+xml", iconResponse.Headers["content-type"]);
    });

    private static async Task LoadNotesAsync(IPage page)
    {
        await Journey.SubmitAsync(page, "#load-notes");
        await Expect(page.Locator("#notes-count")).ToBeVisibleAsync();
        await Expect(page.Locator("#greeting")).ToHaveTextAsync("Hello, Alice Liddell");
    }

    private static Regex LoginWithReturnUrl() => new(@"/login\?ReturnUrl=%2F$");
}
