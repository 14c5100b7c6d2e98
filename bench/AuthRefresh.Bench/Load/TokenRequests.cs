using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace AuthRefresh.Bench.Load;

/// <summary>
/// The two grants the scenarios post, form-encoded by hand to keep the client cheap; with several
/// endpoints, each request goes to the next one.
/// </summary>
public sealed class TokenRequests(HttpClient http, IReadOnlyList<Uri> endpoints, string clientId, string password)
{
    private static readonly MediaTypeHeaderValue Form = new("application/x-www-form-urlencoded");
    private int _requests = -1;

    public Task<TokenAnswer> PasswordAsync(string userName, CancellationToken cancellationToken)
        => PostAsync(
            $"grant_type=password&client_id={Escape(clientId)}&username={Escape(userName)}&password={Escape(password)}&scope={Escape(BenchTarget.Scope)}",
            cancellationToken);

    /// <summary>
    /// Signs in as a well-behaved client does: a 429 (AuthServer sheds password requests it
    /// cannot hash soon, as when a run's workers all sign in at once) is retried after a second.
    /// </summary>
    public async Task<TokenAnswer> SignInAsync(string userName, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var answer = await PasswordAsync(userName, cancellationToken);
            if (answer.Status != (int)HttpStatusCode.TooManyRequests || attempt == 60)
            {
                return answer;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    public Task<TokenAnswer> RefreshAsync(string refreshToken, CancellationToken cancellationToken)
        => PostAsync($"grant_type=refresh_token&client_id={Escape(clientId)}&refresh_token={Escape(refreshToken)}", cancellationToken);

    private async Task<TokenAnswer> PostAsync(string form, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(Encoding.ASCII.GetBytes(form));
        content.Headers.ContentType = Form;
        var endpoint = endpoints.Count == 1 ? endpoints[0] : endpoints[(int)((uint)Interlocked.Increment(ref _requests) % (uint)endpoints.Count)];
        using var response = await http.PostAsync(endpoint, content, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return new((int)response.StatusCode, null, null);
        }

        using var json = JsonDocument.Parse(body);
        return new(200, Read(json, "access_token"), Read(json, "refresh_token"));
    }

    private static string? Read(JsonDocument json, string name)
        => json.RootElement.TryGetProperty(name, out var value) ? value.GetString() : null;

    private static string Escape(string value) => Uri.EscapeDataString(value);
}
