using AuthRefresh.Testing;
using SampleClient.Notes;

namespace SampleClient.Tests;

/// <summary>
/// SampleClient's notes client against a real ResourceApi and AuthServer over real HTTP: every
/// answer that is not the notes comes out as one of the exceptions the page can explain, never as
/// a raw HTTP failure.
/// </summary>
public sealed class NotesClientTests : IDisposable
{
    private readonly AuthServerFactory _authServer = new();
    private readonly ResourceApiFactory _api;

    public NotesClientTests() => _api = new ResourceApiFactory(_authServer.Address);

    public void Dispose()
    {
        _api.Dispose();
        _authServer.Dispose();
    }

    [Fact]
    public async Task A_token_for_the_notes_lists_adds_and_deletes_and_a_deleted_note_is_not_found()
    {
        var notes = NotesAt(_api.Address);
        var token = (await _authServer.CreateTokenClient().LoginAsync()).AccessToken!;

        var added = await notes.AddAsync(token, "From the notes client", CancellationToken.None);
        var listed = await notes.ListAsync(token, CancellationToken.None);
        await notes.DeleteAsync(token, added.Id, CancellationToken.None);

        Assert.Contains(listed, note => note.Id == added.Id && note.Body == "From the notes client");
        await Assert.ThrowsAsync<NoteNotFoundException>(() => notes.DeleteAsync(token, added.Id, CancellationToken.None));
        Assert.DoesNotContain(await notes.ListAsync(token, CancellationToken.None), note => note.Id == added.Id);
    }

    [Fact]
    public async Task A_token_without_the_notes_audience_is_unauthorized()
    {
        var token = (await _authServer.CreateTokenClient().LoginAsync(scope: "openid profile")).AccessToken!;

        await Assert.ThrowsAsync<ApiUnauthorizedException>(() => NotesAt(_api.Address).ListAsync(token, CancellationToken.None));
    }

    [Fact]
    public async Task A_server_that_is_not_ResourceApi_makes_the_notes_unavailable()
    {
        // AuthServer has no /api/notes: its 404 to a read is not "no such note" but a wrong address.
        var token = (await _authServer.CreateTokenClient().LoginAsync()).AccessToken!;

        var failure = await Assert.ThrowsAsync<NotesUnavailableException>(() => NotesAt(_authServer.Address).ListAsync(token, CancellationToken.None));

        Assert.Equal("ResourceApi answered 404.", failure.Message);
    }

    [Fact]
    public async Task An_address_nobody_listens_on_makes_the_notes_unavailable()
    {
        var nobody = new Uri($"http://127.0.0.1:{AuthServerFactory.FreePort()}/");

        var failure = await Assert.ThrowsAsync<NotesUnavailableException>(() => NotesAt(nobody).ListAsync("any-token", CancellationToken.None));

        Assert.Equal("ResourceApi did not answer.", failure.Message);
        Assert.IsType<HttpRequestException>(failure.InnerException);
    }

    private static NotesClient NotesAt(Uri address) => new(new HttpClient { BaseAddress = address });
}
