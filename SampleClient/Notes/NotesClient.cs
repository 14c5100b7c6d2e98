using System.Net;
using System.Net.Http.Headers;

namespace SampleClient.Notes;

/// <summary>
/// Calls ResourceApi's <c>/api/notes</c> with the session's access token, through the standard
/// resilience pipeline (<see cref="Hosting.SampleClientSetup"/>): each attempt has a timeout, and a
/// GET that failed is tried once more. What the page can tell the user comes out as one of the
/// exceptions above, never as a raw HTTP failure.
/// </summary>
public sealed class NotesClient(HttpClient http)
{
    public Task<List<Note>> ListAsync(string accessToken, CancellationToken cancellationToken)
        => SendAsync<List<Note>>(HttpMethod.Get, "api/notes", accessToken, null, cancellationToken);

    public Task<Note> AddAsync(string accessToken, string body, CancellationToken cancellationToken)
        => SendAsync<Note>(HttpMethod.Post, "api/notes", accessToken, JsonContent.Create(new { body }), cancellationToken);

    public Task DeleteAsync(string accessToken, int id, CancellationToken cancellationToken)
        => SendAsync<object>(HttpMethod.Delete, $"api/notes/{id}", accessToken, null, cancellationToken);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, string accessToken, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Note: whatever the send throws means no answer came: a refused or reset connection
            // (HttpRequestException), the pipeline's timeouts and its open circuit (Polly's
            // rejections). Only the page's own cancellation is not ResourceApi's fault.
            throw new NotesUnavailableException("ResourceApi did not answer.", exception);
        }

        using (response)
        {
            switch (response.StatusCode)
            {
                case HttpStatusCode.Unauthorized:
                    throw new ApiUnauthorizedException();
                case HttpStatusCode.NotFound when method != HttpMethod.Get:
                    throw new NoteNotFoundException();
                case HttpStatusCode.NoContent:
                    return default!;
                case var status when !response.IsSuccessStatusCode:
                    // Note: 5xx, and what a correct call never gets (a wrong address's 404, a 403
                    // without the notes scope): the notes cannot be had, and the page says so.
                    throw new NotesUnavailableException($"ResourceApi answered {(int)status}.");
            }

            try
            {
                return (await response.Content.ReadFromJsonAsync<T>(cancellationToken))!;
            }
            catch (Exception exception) when (exception is System.Text.Json.JsonException or NotSupportedException or HttpRequestException)
            {
                // Note: not ResourceApi's JSON (a proxy's page, say), or the body was cut off.
                throw new NotesUnavailableException("ResourceApi's answer could not be read.", exception);
            }
        }
    }
}
