using System.Net;
using System.Text.RegularExpressions;

namespace AuthRefresh.Testing;

/// <summary>
/// A browser without JavaScript: keeps cookies, reads the antiforgery token from a page's form and
/// posts forms with it, as the server-rendered pages expect.
/// </summary>
public sealed partial class HtmlSession(HttpClient http)
{
    public HttpClient Http { get; } = http;

    public async Task<(HttpStatusCode Status, string Html, Uri? Location)> GetAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.RequestMessage?.RequestUri);
    }

    /// <summary>Opens <paramref name="page"/>, then posts <paramref name="fields"/> with its antiforgery token to <paramref name="action"/>.</summary>
    public async Task<(HttpStatusCode Status, string Html, Uri? Location)> SubmitAsync(string page, string action, params (string Name, string Value)[] fields)
    {
        var (_, html, _) = await GetAsync(page);
        var token = AntiforgeryToken().Match(html);
        if (!token.Success)
        {
            throw new InvalidOperationException($"No antiforgery token on {page}.");
        }

        var form = fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))
            .Append(new("__RequestVerificationToken", WebUtility.HtmlDecode(token.Groups[1].Value)));
        using var response = await Http.PostAsync(action, new FormUrlEncodedContent(form));
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.RequestMessage?.RequestUri);
    }

    public Task<(HttpStatusCode Status, string Html, Uri? Location)> SignInAsync(string userName, string password)
        => SubmitAsync("/Identity/Account/Login", "/Identity/Account/Login",
            ("Input.UserName", userName), ("Input.Password", password), ("Input.RememberMe", "false"));

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();
}
