using System.Security.Claims;
using AuthRefresh.Shared;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using SampleClient.Notes;
using SampleClient.Tokens;

namespace SampleClient.Pages;

/// <summary>
/// The home page: the user's notes from ResourceApi, their tokens (raw and decoded) and their
/// rotation history. A GET lists the notes (one data request: in demonstration mode, one
/// refresh). Add and Delete are posts that redirect back here (Post/Redirect/Get), so that a
/// reload never posts again; what the post did is the notice the page shows next. A failure of
/// ResourceApi or of AuthServer is a notice too, and the user stays signed in.
/// </summary>
public sealed class IndexModel(TokenSessionService sessions, NotesClient notes, IOptions<SampleClientSettings> settings) : PageModel
{
    public const string NotesUnavailable = "The notes service is unavailable. You are still signed in; try again in a moment.";
    public const string AuthServerUnavailable = "The sign-in service is unavailable, so your tokens could not be refreshed. You are still signed in; try again in a moment.";
    public const string NoteAdded = "Note added.";
    public const string NoteDeleted = "Note deleted.";
    public const string NoteGone = "That note no longer exists: it was deleted meanwhile.";
    public const string NoteLength = "A note needs between 1 and 10,000 characters.";

    public SessionTokens Tokens { get; private set; } = null!;

    public JwtView? AccessToken { get; private set; }

    public List<Note>? Notes { get; private set; }

    public bool DemonstrationMode => settings.Value.RefreshOnEveryDataRequest;

    /// <summary>What the last post did, carried across its redirect.</summary>
    [TempData]
    public string? Notice { get; set; }

    /// <summary>Whether <see cref="Notice"/> reports a failure.</summary>
    [TempData]
    public bool NoticeIsError { get; set; }

    /// <summary>What failed while this page was made (the notes could not be listed, say).</summary>
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var outcome = await RunAsync(async token => Notes = await notes.ListAsync(token, cancellationToken), cancellationToken);
        if (outcome.Ended is { } ended)
        {
            return ended;
        }

        Problem = outcome.Problem;
        AccessToken = JwtView.TryRead(Tokens.AccessToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAddNoteAsync([FromForm] string? body, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body) || body.Length > NotesContract.MaxBodyLength)
        {
            return Back(NoteLength, error: true);
        }

        var outcome = await RunAsync(token => notes.AddAsync(token, body, cancellationToken), cancellationToken);
        return outcome.Ended ?? Back(outcome.Problem ?? NoteAdded, error: outcome.Problem is not null);
    }

    public async Task<IActionResult> OnPostDeleteNoteAsync([FromForm] int id, CancellationToken cancellationToken)
    {
        var outcome = await RunAsync(token => notes.DeleteAsync(token, id, cancellationToken), cancellationToken);
        return outcome.Ended ?? Back(outcome.Problem ?? NoteDeleted, error: outcome.Problem is not null);
    }

    private RedirectToPageResult Back(string notice, bool error)
    {
        Notice = notice;
        NoticeIsError = error;
        return RedirectToPage();
    }

    /// <summary>
    /// A data request: the session's tokens (refreshed as the policy says), then <paramref name="call"/>
    /// with the access token. Ends the sign-in when the session is gone; any other failure is a
    /// problem to tell the user, with the tokens as they are.
    /// </summary>
    private async Task<(IActionResult? Ended, string? Problem)> RunAsync(Func<string, Task> call, CancellationToken cancellationToken)
    {
        var sessionId = User.FindFirstValue(SessionClaim.Type)!;
        try
        {
            Tokens = await sessions.GetAsync(sessionId, dataRequest: true, cancellationToken);
            await call(Tokens.AccessToken);
            return (null, null);
        }
        catch (SessionEndedException)
        {
            return (await EndSessionAsync(), null);
        }
        catch (ApiUnauthorizedException)
        {
            // ResourceApi refused a token that was just checked or refreshed: its login was revoked.
            await sessions.SignOutAsync(sessionId, cancellationToken);
            return (await EndSessionAsync(), null);
        }
        catch (NotesUnavailableException)
        {
            return (null, NotesUnavailable);
        }
        catch (NoteNotFoundException)
        {
            return (null, NoteGone);
        }
        catch (AuthServerUnavailableException)
        {
            try
            {
                Tokens = await sessions.PeekAsync(sessionId, cancellationToken);
            }
            catch (SessionEndedException)
            {
                return (await EndSessionAsync(), null);
            }

            return (null, AuthServerUnavailable);
        }
    }

    private async Task<IActionResult> EndSessionAsync()
    {
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Redirect("/login?reason=session-ended");
    }
}
