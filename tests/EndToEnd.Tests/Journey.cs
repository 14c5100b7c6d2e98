using AuthRefresh.Testing;
using Microsoft.Playwright;

namespace EndToEnd.Tests;

/// <summary>What a user does in the browser, and a screenshot when a journey fails.</summary>
public static class Journey
{
    public static readonly string ScreenshotFolder = Path.Combine(RepositoryPaths.Root, "artifacts", "screenshots");

    /// <summary>Runs a journey in a fresh browser context; on failure saves a screenshot of every page.</summary>
    public static async Task RunAsync(Site site, string name, Func<IBrowserContext, IPage, Task> journey, BrowserNewContextOptions? options = null)
    {
        var context = await site.Browser.NewContextAsync(options ?? new BrowserNewContextOptions { BaseURL = site.Address.ToString() });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        try
        {
            await journey(context, page);
        }
        catch
        {
            Directory.CreateDirectory(ScreenshotFolder);
            var index = 0;
            foreach (var open in context.Pages)
            {
                await open.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, $"{name}-{index++}.png"), FullPage = true });
            }

            throw;
        }
        finally
        {
            await context.DisposeAsync();
        }
    }

    public static async Task SignInAsync(IPage page, string username = "alice", string password = "Pass123$", bool rememberMe = false)
    {
        if (!page.Url.Contains("/login", StringComparison.Ordinal))
        {
            await page.GotoAsync("/login");
        }

        await page.FillAsync("#Username", username);
        await page.FillAsync("#Password", password);
        if (rememberMe)
        {
            await page.CheckAsync("#RememberMe");
        }

        await SubmitAsync(page, "#sign-in");
    }

    /// <summary>Clicks a submit button and waits until the answer has replaced the page.</summary>
    public static async Task SubmitAsync(IPage page, string selector)
    {
        await page.EvaluateAsync("() => { window.beforeSubmit = true; }");
        await page.ClickAsync(selector);
        await page.WaitForFunctionAsync("() => window.beforeSubmit === undefined && document.readyState !== 'loading'");
    }

    public static async Task<string> TextAsync(IPage page, string selector) => (await page.Locator(selector).InnerTextAsync()).Trim();
}
