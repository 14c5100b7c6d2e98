using static Microsoft.Playwright.Assertions;

namespace EndToEnd.Tests;

/// <summary>ResourceApi's API reference page (Development), in Chromium, with no server but ours.</summary>
public sealed class ApiReferenceTests(StandardSite site) : IClassFixture<StandardSite>
{
    [Fact]
    public Task The_API_reference_renders_from_ResourceApi_alone() => Journey.RunAsync(site, nameof(The_API_reference_renders_from_ResourceApi_alone), async (_, page) =>
    {
        var elsewhere = new List<string>();
        page.Request += (_, request) =>
        {
            var url = new Uri(request.Url);
            if (url.Scheme is "http" or "https" && url.Host != site.Api.Address.Host)
            {
                elsewhere.Add(request.Url);
            }
        };

        var response = await page.GotoAsync(new Uri(site.Api.Address, "/scalar").ToString());

        Assert.Equal(200, response!.Status);
        await Expect(page.GetByText("/api/notes").First).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await page.WaitForLoadStateAsync(Microsoft.Playwright.LoadState.NetworkIdle);
        Assert.Empty(elsewhere);
    });
}
