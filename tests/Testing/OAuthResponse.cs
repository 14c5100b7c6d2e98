using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace AuthRefresh.Testing;

public sealed record OAuthResponse(HttpStatusCode Status, HttpResponseHeaders Headers, string Raw, JsonElement Json)
{
    public string? Error => Get("error");
    public string? ErrorDescription => Get("error_description");
    public string? AccessToken => Get("access_token");
    public string? RefreshToken => Get("refresh_token");

    public string? Get(string name)
        => Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    public static async Task<OAuthResponse> ReadAsync(HttpResponseMessage response)
    {
        var raw = await response.Content.ReadAsStringAsync();
        JsonElement json = default;
        if (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) == true && raw.Length > 0)
        {
            json = JsonDocument.Parse(raw).RootElement.Clone();
        }

        return new OAuthResponse(response.StatusCode, response.Headers, raw, json);
    }
}
