using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using SampleClient.Hosting;
using SampleClient.Notes;
using SampleClient.Tokens;

namespace SampleClient.Pages;

/// <summary>
/// The home page: the user's tokens (raw and decoded), their rotation history, and the notes from
/// ResourceApi. Every data request refreshes first in demonstration mode; a page load refreshes
/// only an expired (or nearly expired) access token.
/// </summary>
public sealed class IndexModel(TokenSessionService sessions, NotesClient notes, IOptions<SampleClientSettings> settings) : PageModel
{
    public SessionTokens Tokens { get; private set; } = null!;

    public JwtView? AccessToken { get; private set; }

    public List<Note>? Notes { get; private set; }

    public bool DemonstrationMode => settings.Value.RefreshOnEveryDataRequest;

    public string? Message { get; private set; }

    public Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
        => RunAsync(dataRequest: false, action: null, cancellationToken);

    public Task<IActionResult> OnPostLoadNotesAsync(CancellationToken cancellationToken)
        => RunAsync(dataRequest: true, async token => Notes = await notes.ListAsync(token, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostAddNoteAsync([FromForm] string? body, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body) || body.Length > 10_000)
        {
            Message = "A note needs between 1 and 10,000 characters.";
            return RunAsync(dataRequest: false, action: null, cancellationToken);
        }

        return RunAsync(dataRequest: true, async token =>
        {
            await notes.AddAsync(token, body, cancellationToken);
            Notes = await notes.ListAsync(token, cancellationToken);
        }, cancellationToken);
    }

    public Task<IActionResult> OnPostDeleteNoteAsync([FromForm] int id, CancellationToken cancellationToken)
        => RunAsync(dataRequest: true, async token =>
        {
            await notes.DeleteAsync(token, id, cancellationToken);
            Notes = await notes.ListAsync(token, cancellationToken);
        }, cancellationToken);

    private async Task<IActionResult> RunAsync(bool dataRequest, Func<string, Task>? action, CancellationToken cancellationToken)
    {
        var sessionId = User.FindFirstValue(SampleClientSetup.SessionClaim)!;
        try
        {
            Tokens = await sessions.GetAsync(sessionId, dataRequest, cancellationToken);
            if (action is not null)
            {
                await action(Tokens.AccessToken);
            }
        }
        catch (SessionEndedException)
        {
            return await EndSessionAsync();
        }
        catch (ApiUnauthorizedException)
        {
            // ResourceApi refused a token that was just checked or refreshed: its login was revoked.
            await sessions.SignOutAsync(sessionId, cancellationToken);
            return await EndSessionAsync();
        }

        AccessToken = JwtView.TryRead(Tokens.AccessToken);
        return Page();
    }

    private async Task<IActionResult> EndSessionAsync()
    {
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Redirect("/login?reason=session-ended");
    }
}
