using static Microsoft.Playwright.Assertions;

namespace EndToEnd.Tests;

/// <summary>A signed-in visitor keeps their session when all three apps are restarted.</summary>
public sealed class RestartTests(StandardSite site) : IClassFixture<StandardSite>
{
    [Fact]
    public Task A_session_survives_a_restart_of_all_three_apps_and_rotates_on_the_next_data_request()
        => Journey.RunAsync(site, nameof(A_session_survives_a_restart_of_all_three_apps_and_rotates_on_the_next_data_request), async (_, page) =>
        {
            await Journey.SignInAsync(page);
            var accessBefore = await Journey.TextAsync(page, "#access-token");
            var fingerprintBefore = await Journey.TextAsync(page, "#refresh-fingerprint");

            site.RestartApps();
            await page.ReloadAsync();

            // The reload is a data request: the refresh token stored before the restart is redeemed after it.
            await Expect(page.Locator("#greeting")).ToHaveTextAsync("Hello, Alice Liddell");
            await Expect(page.Locator("#notes-count")).ToBeVisibleAsync();
            Assert.NotEqual(fingerprintBefore, await Journey.TextAsync(page, "#refresh-fingerprint"));
            Assert.NotEqual(accessBefore, await Journey.TextAsync(page, "#access-token"));
            await Expect(page.Locator("#rotations .reason").First).ToHaveTextAsync("data request (demonstration mode)");
        });
}
