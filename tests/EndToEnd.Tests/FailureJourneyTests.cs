using System.Text.RegularExpressions;
using AuthRefresh.Testing;
using static Microsoft.Playwright.Assertions;

namespace EndToEnd.Tests;

/// <summary>
/// What a user meets when something goes wrong: a reload after a post, a note deleted in another
/// tab, ResourceApi down. Each is a notice on the page, the user stays signed in, and nothing is
/// an error page. And logout ends the whole login, not only its latest tokens.
/// </summary>
public sealed class FailureJourneyTests(StandardSite site) : IClassFixture<StandardSite>
{
    [Fact]
    public Task A_reload_after_a_delete_posts_nothing_again() => Journey.RunAsync(site, nameof(A_reload_after_a_delete_posts_nothing_again), async (_, page) =>
    {
        var user = await TestUsers.CreateAsync(site.AuthServer);
        await Journey.SignInAsync(page, user, TestUsers.Password);
        await page.FillAsync("#note-body", "Water the plants");
        await Journey.SubmitAsync(page, "#add-note");
        await Journey.SubmitAsync(page, ".delete-note");
        await Expect(page.Locator("#notice")).ToHaveTextAsync("Note deleted.");
        await Expect(page).ToHaveURLAsync(new Regex($"^{Regex.Escape(site.Address.ToString())}$"));

        var reload = await page.ReloadAsync();

        Assert.Equal(200, reload!.Status);
        await Expect(page.Locator("#no-notes")).ToBeVisibleAsync();
        await Expect(page.Locator("#notice")).ToHaveCountAsync(0); // shown once, after the post
        await Expect(page.Locator("#problem")).ToHaveCountAsync(0);
    });

    [Fact]
    public Task A_note_deleted_in_another_tab_is_a_notice_in_this_one() => Journey.RunAsync(site, nameof(A_note_deleted_in_another_tab_is_a_notice_in_this_one), async (context, first) =>
    {
        var user = await TestUsers.CreateAsync(site.AuthServer);
        await Journey.SignInAsync(first, user, TestUsers.Password);
        await first.FillAsync("#note-body", "Only once");
        await Journey.SubmitAsync(first, "#add-note");
        var second = await context.NewPageAsync();
        await second.GotoAsync("/");
        await Expect(second.Locator("#notes .note-body")).ToHaveTextAsync(["Only once"]);

        await Journey.SubmitAsync(first, ".delete-note");
        await Journey.SubmitAsync(second, ".delete-note");

        await Expect(second.Locator("#notice")).ToHaveTextAsync("That note no longer exists: it was deleted meanwhile.");
        await Expect(second.Locator("#notice")).ToHaveClassAsync("error");
        await Expect(second.Locator("#no-notes")).ToBeVisibleAsync();
        await Expect(second.Locator("#greeting")).ToBeVisibleAsync();
    });

    [Fact]
    public Task ResourceApi_down_is_a_notice_and_the_page_works_again_once_it_is_back() => Journey.RunAsync(site, nameof(ResourceApi_down_is_a_notice_and_the_page_works_again_once_it_is_back), async (_, page) =>
    {
        await Journey.SignInAsync(page);
        site.StopApi();
        try
        {
            await page.ReloadAsync();
            await Expect(page.Locator("#problem")).ToHaveTextAsync("The notes service is unavailable. You are still signed in; try again in a moment.");
            await Expect(page.Locator("#greeting")).ToHaveTextAsync("Hello, Alice Liddell");
            await Expect(page.Locator("#access-token")).ToBeVisibleAsync();

            await page.FillAsync("#note-body", "While it is down");
            await Journey.SubmitAsync(page, "#add-note");
            await Expect(page.Locator("#notice")).ToHaveTextAsync("The notes service is unavailable. You are still signed in; try again in a moment.");
            await Expect(page).ToHaveURLAsync(new Regex($"^{Regex.Escape(site.Address.ToString())}$"));
        }
        finally
        {
            site.StartApi();
        }

        await page.ReloadAsync();
        await Expect(page.Locator("#notes-count")).ToBeVisibleAsync();
        await Expect(page.Locator("#problem")).ToHaveCountAsync(0);
    });

    [Fact]
    public Task Sign_out_everywhere_ends_the_users_sessions_in_every_browser() => Journey.RunAsync(site, nameof(Sign_out_everywhere_ends_the_users_sessions_in_every_browser), async (context, page) =>
    {
        var user = await TestUsers.CreateAsync(site.AuthServer);
        await Journey.SignInAsync(page, user, TestUsers.Password);
        var elsewhere = await context.Browser!.NewContextAsync(new() { BaseURL = site.Address.ToString() });
        var other = await elsewhere.NewPageAsync();
        await Journey.SignInAsync(other, user, TestUsers.Password);
        var otherRefresh = await Journey.TextAsync(other, "#refresh-token");

        await Journey.SubmitAsync(page, "#logout-everywhere");

        await Expect(page).ToHaveURLAsync(new Regex(@"/login\?reason=signed-out$"));
        Assert.Equal("invalid_grant", (await site.AuthServer.CreateTokenClient().RefreshAsync(otherRefresh, TokenClient.SampleClient, TokenClient.SampleSecret)).Error);
        await other.ReloadAsync();
        await Expect(other).ToHaveURLAsync(new Regex(@"/login\?ReturnUrl=%2F$"));
        await elsewhere.CloseAsync();
    });

    [Fact]
    public Task Logout_ends_the_login_so_an_earlier_access_token_is_inactive() => Journey.RunAsync(site, nameof(Logout_ends_the_login_so_an_earlier_access_token_is_inactive), async (_, page) =>
    {
        await Journey.SignInAsync(page);
        var earlier = await Journey.TextAsync(page, "#access-token");
        await Journey.SubmitAsync(page, "#load-notes"); // a rotation: the earlier token is not the latest
        var tokens = site.AuthServer.CreateTokenClient();
        Assert.True((await tokens.IntrospectAsync(earlier)).Json.GetProperty("active").GetBoolean());

        await Journey.SubmitAsync(page, "#logout");

        await Expect(page).ToHaveURLAsync(new Regex(@"/login\?reason=signed-out$"));
        Assert.False((await tokens.IntrospectAsync(earlier)).Json.GetProperty("active").GetBoolean());
    });
}
