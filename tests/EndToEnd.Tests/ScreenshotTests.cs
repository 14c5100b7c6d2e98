using AuthRefresh.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace EndToEnd.Tests;

/// <summary>
/// Takes screenshots of the main pages (login, home with tokens, after a rotation) into
/// <c>artifacts/docs-screenshots</c>, beside the admin pages' (AdministrationTests), so that a
/// reviewer can look at them after a run (docs/TESTING.md says how the docs' copies are taken).
/// </summary>
public sealed class ScreenshotTests(StandardSite site) : IClassFixture<StandardSite>
{
    public static readonly string Folder = Path.Combine(RepositoryPaths.Root, "artifacts", "docs-screenshots");

    [Fact]
    public Task The_main_pages_are_captured() => Journey.RunAsync(site, nameof(The_main_pages_are_captured), async (_, page) =>
    {
        Directory.CreateDirectory(Folder);
        await page.SetViewportSizeAsync(1100, 900);

        await page.GotoAsync("/");
        await Expect(page.Locator("#sign-in")).ToBeVisibleAsync();
        await CaptureAsync(page, "login.png");

        await Journey.SignInAsync(page);
        await Expect(page.Locator("#access-claims")).ToBeVisibleAsync();
        await CaptureAsync(page, "home.png");

        await page.FillAsync("#note-body", "Refresh tokens rotate on every use");
        await Journey.SubmitAsync(page, "#add-note");
        await Expect(page.Locator("#rotations .rotation")).ToHaveCountAsync(4);
        await CaptureAsync(page, "rotation.png");
    });

    /// <summary>Writes a full-page screenshot of <paramref name="page"/> to <see cref="Folder"/>.</summary>
    internal static async Task CaptureAsync(IPage page, string name)
    {
        Directory.CreateDirectory(Folder);
        var path = Path.Combine(Folder, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 10_000, $"{name} looks empty");
    }
}
