using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AuthRefresh.Testing;

namespace AuthServer.Tests;

/// <summary>
/// Hundreds of generated malformed requests (seeded, so a failure can be replayed): none gets a
/// 5xx, and the token endpoint always answers with an RFC 6749 §5.2 JSON error.
/// </summary>
public sealed class MalformedRequestTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    private static readonly string[] Paths = ["/connect/token", "/connect/revoke", "/connect/introspect", "/connect/userinfo"];
    private static readonly string[] Fields =
        ["grant_type", "username", "password", "client_id", "client_secret", "refresh_token", "token", "token_type_hint", "scope", "client_assertion", "client_assertion_type", "resource", "audience"];
    private static readonly string[] TokenErrors =
        ["invalid_request", "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type", "invalid_scope"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Generated_malformed_requests_never_get_a_server_error(int seed)
    {
        var random = new Random(seed);
        var http = server.Factory.CreateClient();
        var login = await server.Factory.CreateTokenClient().LoginAsync();
        var samples = new[] { login.AccessToken!, login.RefreshToken!, Tamper(login.AccessToken!, random), UnsignedJwt() };

        for (var i = 0; i < 120; i++)
        {
            using var request = Generate(random, samples);
            var content = request.Content is null ? "" : await request.Content.ReadAsStringAsync();
            var description = $"seed {seed} #{i}: {request.Method} {request.RequestUri} {content[..Math.Min(content.Length, 400)]}";
            using var response = await http.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();

            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode} for {description}: {body}");
            Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);

            if (request.RequestUri!.OriginalString == "/connect/token" && request.Method == HttpMethod.Post && !response.IsSuccessStatusCode)
            {
                var error = JsonDocument.Parse(body).RootElement.GetProperty("error").GetString();
                Assert.True(TokenErrors.Contains(error), $"'{error}' for {description}");
            }
        }
    }

    private static HttpRequestMessage Generate(Random random, string[] samples)
    {
        var path = Paths[random.Next(Paths.Length)];
        var method = random.Next(8) == 0 ? HttpMethod.Get : random.Next(10) == 0 ? HttpMethod.Put : HttpMethod.Post;
        var request = new HttpRequestMessage(method, path);

        var pairs = Enumerable.Range(0, random.Next(0, 8))
            .Select(_ => (Fields[random.Next(Fields.Length)], Value(random, samples)))
            .ToList();

        request.Content = random.Next(6) switch
        {
            0 => new StringContent(JsonSerializer.Serialize(pairs.ToDictionary(p => p.Item1 + random.Next(), p => p.Item2)), Encoding.UTF8, "application/json"),
            1 => new ByteArrayContent(RandomBytes(random)) { Headers = { ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded") } },
            2 => new StringContent(string.Join("&", pairs.Select(p => p.Item1 + "=" + p.Item2)), Encoding.UTF8, "application/x-www-form-urlencoded"),
            3 => method == HttpMethod.Get ? null : new StringContent("", Encoding.UTF8, random.Next(2) == 0 ? "text/plain" : "multipart/form-data"),
            _ => new FormUrlEncodedContent(pairs.Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2))),
        };

        if (method == HttpMethod.Get && request.Content is not null)
        {
            request.Content = null;
        }

        switch (random.Next(5))
        {
            case 0:
                request.Headers.TryAddWithoutValidation("Authorization", "Basic " + Printable(Value(random, samples)));
                break;
            case 1:
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + samples[random.Next(samples.Length)]);
                break;
            case 2:
                request.Headers.TryAddWithoutValidation("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(Value(random, samples) + ":" + Value(random, samples))));
                break;
        }

        return request;
    }

    private static string Value(Random random, string[] samples) => random.Next(12) switch
    {
        0 => "",
        1 => new string('a', random.Next(1_000, 20_000)),
        2 => "%ZZ%00%",
        3 => "\u0000\u0001\u202e☃𝄞",
        4 => "password",
        5 => "refresh_token",
        6 => "public-client",
        7 => "sample-client",
        8 => "alice",
        9 => "openid offline_access notes unknown",
        10 => "Zm9vOmJhcg==",
        _ => samples[random.Next(samples.Length)],
    };

    /// <summary>Headers can only carry visible ASCII; the rest is dropped.</summary>
    private static string Printable(string value) => new(value.Where(c => c is > ' ' and < (char)127).Take(8_000).ToArray());

    private static byte[] RandomBytes(Random random)
    {
        var bytes = new byte[random.Next(1, 512)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static string Tamper(string jwt, Random random)
    {
        var parts = jwt.Split('.');
        var payload = parts[1].ToCharArray();
        payload[random.Next(payload.Length)] = payload[0] == 'A' ? 'B' : 'A';
        return $"{parts[0]}.{new string(payload)}.{parts[2]}";
    }

    private static string UnsignedJwt()
    {
        static string Encode(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return Encode("""{"alg":"none","typ":"at+jwt"}""") + "." + Encode("""{"sub":"admin","aud":"resource-api"}""") + ".";
    }
}
