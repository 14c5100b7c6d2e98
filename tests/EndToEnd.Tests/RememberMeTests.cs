using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EndToEnd.Tests;

/// <summary>S5: the sign-in survives a browser restart, and an expired access token is renewed transparently.</summary>
public sealed class RememberMeTests(ShortTokenSite site) : IClassFixture<ShortTokenSite>
{
    [Fact]
    public async Task Remember_me_survives_a_browser_restart_and_an_expired_access_token_is_refreshed()
    {
        string state = "";
        string accessBefore = "";
        await Journey.RunAsync(site, "S5-first-visit", async (context, page) =>
        {
            await Journey.SignInAsync(page, rememberMe: true);
            accessBefore = await Journey.TextAsync(page, "#access-token");
            var cookie = Assert.Single(await context.CookiesAsync(), c => c.Name == ".AuthRefresh.SampleClient");
            Assert.True(cookie.Expires > DateTimeOffset.UtcNow.AddDays(30).ToUnixTimeSeconds(), "a persistent cookie");
            state = await context.StorageStateAsync();
        });

        // The access token lives 3 seconds; the browser is closed meanwhile.
        await Task.Delay(TimeSpan.FromSeconds(4));

        await Journey.RunAsync(site, "S5-after-restart", async (_, page) =>
        {
            await page.GotoAsync("/");

            await Expect(page.Locator("#greeting")).ToHaveTextAsync("Hello, Alice Liddell");
            await Expect(page.Locator("#rotations .reason").First).ToHaveTextAsync("access token expired");
            Assert.NotEqual(accessBefore, await Journey.TextAsync(page, "#access-token"));
        }, new BrowserNewContextOptions { BaseURL = site.Address.ToString(), StorageState = state });
    }

    [Fact]
    public Task Without_remember_me_the_cookie_ends_with_the_browser() => Journey.RunAsync(site, nameof(Without_remember_me_the_cookie_ends_with_the_browser), async (context, page) =>
    {
        await Journey.SignInAsync(page);

        await Expect(page).ToHaveURLAsync(new Regex("/$"));
        var cookie = Assert.Single(await context.CookiesAsync(), c => c.Name == ".AuthRefresh.SampleClient");
        Assert.Equal(-1, cookie.Expires); // a session cookie
    });
}
