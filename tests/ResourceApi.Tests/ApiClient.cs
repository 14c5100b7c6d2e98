using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace ResourceApi.Tests;

/// <summary>Calls ResourceApi over HTTP with a bearer token, as any client would.</summary>
public sealed class ApiClient(HttpClient http)
{
    public Task<ApiResponse> GetAsync(string path, string? token) => SendAsync(HttpMethod.Get, path, token);

    public Task<ApiResponse> PostAsync(string path, string? token, object body) => SendAsync(HttpMethod.Post, path, token, JsonContent.Create(body));

    public Task<ApiResponse> PutAsync(string path, string? token, object body) => SendAsync(HttpMethod.Put, path, token, JsonContent.Create(body));

    public Task<ApiResponse> DeleteAsync(string path, string? token) => SendAsync(HttpMethod.Delete, path, token);

    public async Task<ApiResponse> SendAsync(HttpMethod method, string path, string? token, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request);
        var raw = await response.Content.ReadAsStringAsync();
        var json = raw.Length > 0 && response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true
            ? JsonDocument.Parse(raw).RootElement.Clone()
            : default;
        return new ApiResponse(response.StatusCode, response.Headers.WwwAuthenticate.ToString(), response.Headers.Location, raw, json);
    }
}
