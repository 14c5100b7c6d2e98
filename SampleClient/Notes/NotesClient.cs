using System.Net;
using System.Net.Http.Headers;

namespace SampleClient.Notes;

public sealed record Note(int Id, string Body, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>ResourceApi refused the access token (401): the session cannot go on.</summary>
public sealed class ApiUnauthorizedException() : Exception("ResourceApi refused the access token.");

/// <summary>Calls ResourceApi's <c>/api/notes</c> with the session's access token.</summary>
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
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            throw new ApiUnauthorizedException();
        }

        response.EnsureSuccessStatusCode();
        return response.StatusCode == HttpStatusCode.NoContent
            ? default!
            : (await response.Content.ReadFromJsonAsync<T>(cancellationToken))!;
    }
}
