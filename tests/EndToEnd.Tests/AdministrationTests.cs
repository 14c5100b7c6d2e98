using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EndToEnd.Tests;

/// <summary>The account pages and the admin area of AuthServer, in Chromium, with SampleClient beside them.</summary>
public sealed class AdministrationTests(StandardSite site) : IClassFixture<StandardSite>
{
    private string AuthServer => site.AuthServer.Address.ToString().TrimEnd('/');

    [Fact]
    public Task An_admin_creates_a_user_whose_session_ends_when_the_admin_revokes_it()
        => Journey.RunAsync(site, nameof(An_admin_creates_a_user_whose_session_ends_when_the_admin_revokes_it), async (context, user) =>
        {
            var name = "bob-" + Guid.NewGuid().ToString("N")[..6];
            var admin = await context.Browser!.NewPageAsync();
            await SignInToAuthServerAsync(admin, "admin", "Admin123$");
            await admin.GotoAsync($"{AuthServer}/admin/users/create");
            await admin.FillAsync("#Input_UserName", name);
            await admin.FillAsync("#Input_Email", $"{name}@example.com");
            await admin.FillAsync("#Input_Password", "Bob123$secret");
            await admin.CheckAsync("input[name='Input.Roles'][value='User']");
            await Journey.SubmitAsync(admin, "#save");
            await Expect(admin.Locator("#status")).ToHaveTextAsync($"User {name} created.");

            await Journey.SignInAsync(user, name, "Bob123$secret");
            await Journey.SubmitAsync(user, "#load-notes");
            await Expect(user.Locator("#notes-count")).ToBeVisibleAsync();

            // The admin finds the session by the user's name and reads its token family.
            await admin.GotoAsync($"{AuthServer}/admin/sessions");
            await admin.FillAsync("#session-search", name);
            await Journey.SubmitAsync(admin, "#find-sessions");
            await Expect(admin.Locator("#sessions .session")).ToHaveCountAsync(1);
            await Journey.SubmitAsync(admin, ".session-details");
            await Expect(admin.Locator("#timeline .timeline-event.signed-in")).ToContainTextAsync("Signed in through sample-client");
            await Expect(admin.Locator("#timeline .timeline-event.refreshed").First).ToContainTextAsync("refresh token #1 redeemed, #2 issued");

            await admin.GoBackAsync();
            await Expect(admin.Locator("#sessions .session")).ToHaveCountAsync(1);
            await Expect(admin.Locator("#sessions .session").First).ToContainTextAsync("sample-client");
            await Journey.SubmitAsync(admin, ".revoke-session");
            await Expect(admin.Locator("#status")).ToHaveTextAsync("Session revoked.");
            await Expect(admin.Locator("#sessions .session")).ToHaveCountAsync(0);

            await user.ClickAsync("#load-notes");
            await Expect(user).ToHaveURLAsync(new Regex(@"/login\?reason=session-ended$"));
            await Expect(user.Locator("#notice")).ToHaveTextAsync("Your session has ended, please sign in again");
            await admin.CloseAsync();
        });

    [Fact]
    public Task A_user_who_is_not_an_admin_cannot_open_the_admin_area() => Journey.RunAsync(site, nameof(A_user_who_is_not_an_admin_cannot_open_the_admin_area), async (_, page) =>
    {
        await SignInToAuthServerAsync(page, "alice", "Pass123$");

        var response = await page.GotoAsync($"{AuthServer}/admin");

        Assert.Equal(403, response!.Status);
        await Expect(page.Locator("#status-title")).ToHaveTextAsync("403 Forbidden: for administrators only");
        await Expect(page.Locator("#status-home")).ToBeVisibleAsync();
        await Expect(page.Locator("#status-sign-out")).ToBeVisibleAsync();
    });

    [Fact]
    public Task A_visitor_registers_and_changes_the_password_through_the_account_pages() => Journey.RunAsync(site, nameof(A_visitor_registers_and_changes_the_password_through_the_account_pages), async (_, page) =>
    {
        var email = $"reg-{Guid.NewGuid():N}"[..12] + "@example.com";
        await page.GotoAsync($"{AuthServer}/Identity/Account/Register");
        await page.FillAsync("#Input_Email", email);
        await page.FillAsync("#Input_Password", "Register123$");
        await page.FillAsync("#Input_ConfirmPassword", "Register123$");
        await Journey.SubmitAsync(page, "#registerSubmit");
        await Expect(page.Locator("#manage")).ToHaveTextAsync(email);

        await page.GotoAsync($"{AuthServer}/Identity/Account/Manage/ChangePassword");
        await page.FillAsync("#Input_OldPassword", "Register123$");
        await page.FillAsync("#Input_NewPassword", "Changed123$x");
        await page.FillAsync("#Input_ConfirmPassword", "Changed123$x");
        await Journey.SubmitAsync(page, "#change-password-form button[type=submit]");
        await Expect(page.Locator(".alert-success")).ToContainTextAsync("Your password has been changed.");

        // The new password signs in to SampleClient.
        await page.GotoAsync($"{site.Address}login");
        await Journey.SignInAsync(page, email, "Changed123$x");
        await Expect(page.Locator("#greeting")).ToBeVisibleAsync();
    });

    [Fact]
    public Task The_admin_pages_are_captured() => Journey.RunAsync(site, nameof(The_admin_pages_are_captured), async (context, page) =>
    {
        await page.SetViewportSizeAsync(1100, 700);
        await site.AuthServer.CreateTokenClient().LoginAsync(); // a session, and tokens on the chart
        await SignInToAuthServerAsync(page, "admin", "Admin123$");
        await page.GotoAsync($"{AuthServer}/admin/users");
        await Expect(page.Locator("#users .user").First).ToBeVisibleAsync();
        await ScreenshotTests.CaptureAsync(page, "admin.png");

        await page.GotoAsync($"{AuthServer}/admin");
        await Expect(page.Locator("#hours-chart .hour")).ToHaveCountAsync(24);
        await ScreenshotTests.CaptureAsync(page, "admin-dashboard.png");
        await page.GotoAsync($"{AuthServer}/admin/sessions?q=alice");
        await ScreenshotTests.CaptureAsync(page, "admin-sessions.png");
        await Journey.SubmitAsync(page, ".session-details");
        await Expect(page.Locator("#timeline .timeline-event").First).ToBeVisibleAsync();
        await ScreenshotTests.CaptureAsync(page, "admin-session-timeline.png");

        var alice = await context.Browser!.NewPageAsync();
        await SignInToAuthServerAsync(alice, "alice", "Pass123$");
        await alice.GotoAsync($"{AuthServer}/admin");
        await ScreenshotTests.CaptureAsync(alice, "admin-forbidden.png");
        await alice.CloseAsync();
    });

    private async Task SignInToAuthServerAsync(IPage page, string userName, string password)
    {
        await page.GotoAsync($"{AuthServer}/Identity/Account/Login");
        await page.FillAsync("#Input_UserName", userName);
        await page.FillAsync("#Input_Password", password);
        await Journey.SubmitAsync(page, "#login-submit");
        await Expect(page.Locator("#logout")).ToBeVisibleAsync();
    }
}
