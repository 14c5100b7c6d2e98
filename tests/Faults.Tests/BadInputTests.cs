using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AuthRefresh.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Faults.Tests;

/// <summary>
/// A generated corpus of bad requests (seeded, so that a failure can be replayed) against the
/// AuthServer process's protocol endpoints and a ResourceApi trusting it: wrong content types,
/// duplicate parameters, 1 MB bodies, invalid UTF-8, unsigned, tampered, foreign-key, expired and
/// wrong-audience tokens. None gets a 5xx or a stack trace; every refusal has its standard shape:
/// RFC 6749 §5.2 JSON at the token, revocation and introspection endpoints, an RFC 6750
/// <c>WWW-Authenticate: Bearer</c> challenge at userinfo and at the API.
/// </summary>
public sealed partial class BadInputTests : IAsyncLifetime
{
    private const int Batches = 24;
    private const int PerBatch = 100;

    private static readonly string[] ProtocolPaths = ["/connect/token", "/connect/revoke", "/connect/introspect", "/connect/userinfo"];
    private static readonly string[] ApiPaths = ["/api/notes", "/api/notes/1", "/api/notes/999999", "/api/notes/-1", "/api/notes/abc", "/api/me"];
    private static readonly string[] Fields =
        ["grant_type", "username", "password", "client_id", "client_secret", "refresh_token", "token", "token_type_hint", "scope", "client_assertion", "client_assertion_type", "resource", "audience"];

    // RFC 6749 §5.2, and RFC 7009 §2.2.1's unsupported_token_type.
    private static readonly string[] ProtocolErrors =
        ["invalid_request", "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type", "invalid_scope", "unsupported_token_type"];

    // RFC 6750 §3.1.
    private static readonly string[] BearerErrors = ["invalid_request", "invalid_token", "insufficient_scope"];

    private readonly AuthServerProcess _server = new();
    private ResourceApiFactory? _api;
    private ResourceApiFactory? _futureApi;

    public async Task InitializeAsync()
    {
        await _server.StartAsync();
        _api = new ResourceApiFactory(_server.Address);

        // The same API with its clock 6 minutes ahead: to it, every access token has expired.
        _futureApi = new ResourceApiFactory(_server.Address, time: new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(6)));
    }

    public async Task DisposeAsync()
    {
        _futureApi?.Dispose();
        _api?.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task Thousands_of_bad_requests_get_no_server_error_and_standard_refusals()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var tokens = _server.CreateTokenClient();
        var targets = new[] { tokens.Http, _api!.CreateClient(), _futureApi!.CreateClient() };
        var sent = 0;
        var closed = 0;

        for (var batch = 0; batch < Batches; batch++)
        {
            var samples = await SamplesAsync(tokens, random);
            for (var i = 0; i < PerBatch; i++, sent++)
            {
                var http = targets[random.Next(targets.Length)];
                var isApi = http != tokens.Http;
                using var request = isApi ? ApiRequest(random, samples) : ProtocolRequest(random, samples);
                var path = request.RequestUri!.OriginalString;
                var description = $"seed {seed} #{sent}: {request.Method} {(isApi ? "ResourceApi" : "AuthServer")} {request.RequestUri} " +
                    $"{request.Content?.Headers.ContentType} {request.Content?.Headers.ContentLength} bytes";

                using var response = await SendAsync(http, request, description);
                if (response is null)
                {
                    closed++;
                    continue;
                }

                var body = await response.Content.ReadAsStringAsync();
                var status = (int)response.StatusCode;

                Assert.True(status < 500, $"{status} for {description}: {body[..Math.Min(body.Length, 300)]}");
                Assert.DoesNotMatch(StackTrace(), body);
                if (isApi || path == "/connect/userinfo")
                {
                    AssertBearerChallenge(response, description);
                }
                else if (request.Method == HttpMethod.Post && status >= 400 && status is not (405 or 431))
                {
                    // Note: 431 (headers over 32 KB) is Kestrel's own answer, before the app runs.
                    AssertProtocolError(body, $"{status} for {description}");
                }
            }
        }

        Assert.True(sent >= 2_000);
        Assert.True(closed <= sent / 100, $"{closed} of {sent} requests had their connection closed under them");
    }

    /// <summary>
    /// Sends a request; a body over the protocol limit goes with <c>Expect: 100-continue</c>, so that
    /// a declared length is refused before the client writes it. A chunked one cannot be judged
    /// before it is read: the server answers 413 once it passes the limit and closes the
    /// connection (RFC 9112 §9.6), and a client still writing may see the close before the answer.
    /// That, and only that, returns null.
    /// </summary>
    private static async Task<HttpResponseMessage?> SendAsync(HttpClient http, HttpRequestMessage request, string description)
    {
        var large = request.Content is { } content && (await content.ReadAsByteArrayAsync()).Length > 64 * 1024;
        request.Headers.ExpectContinue = large ? true : null;
        try
        {
            return await http.SendAsync(request);
        }
        catch (HttpRequestException e) when (large && request.Headers.TransferEncodingChunked == true && e.InnerException is IOException)
        {
            return null;
        }
        catch (HttpRequestException e)
        {
            throw new HttpRequestException($"{e.Message} ({description})", e);
        }
    }

    [Theory]
    [InlineData("/connect/token", true)]
    [InlineData("/connect/token", false)]
    [InlineData("/connect/revoke", true)]
    [InlineData("/connect/introspect", false)]
    public async Task A_body_over_the_limit_is_refused_with_413_and_an_invalid_request_error(string path, bool declaredLength)
    {
        var body = Encoding.ASCII.GetBytes("grant_type=password&client_id=public-client&username=" + new string('a', 1 << 20));
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Raw(body, "application/x-www-form-urlencoded") };
        request.Headers.TransferEncodingChunked = !declaredLength;
        request.Headers.ExpectContinue = true;

        using var response = await _server.CreateTokenClient().Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("invalid_request", json.RootElement.GetProperty("error").GetString());
    }

    /// <summary>RFC 6749 §5.2: a JSON object whose "error" is one of the registered codes.</summary>
    private static void AssertProtocolError(string body, string description)
    {
        Assert.True(body.StartsWith('{'), $"not a JSON error: '{body[..Math.Min(body.Length, 200)]}' ({description})");
        using var json = JsonDocument.Parse(body);
        var error = json.RootElement.GetProperty("error").GetString();
        Assert.True(ProtocolErrors.Contains(error), $"'{error}' for {description}");
    }

    /// <summary>RFC 6750 §3: a 401 carries a Bearer challenge; its error, if any, is a registered one.</summary>
    private static void AssertBearerChallenge(HttpResponseMessage response, string description)
    {
        if (response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
        {
            return;
        }

        var challenge = string.Join(", ", response.Headers.WwwAuthenticate.Select(h => h.ToString()));
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            Assert.True(challenge.StartsWith("Bearer", StringComparison.Ordinal), $"401 without a Bearer challenge for {description}");
        }

        if (BearerError().Match(challenge) is { Success: true } match)
        {
            Assert.True(BearerErrors.Contains(match.Groups[1].Value), $"'{match.Groups[1].Value}' for {description}");
        }
    }

    /// <summary>Tokens to put in requests, fresh for each batch: real ones, and ones that must be refused.</summary>
    private static async Task<string[]> SamplesAsync(TokenClient tokens, Random random)
    {
        var login = await tokens.LoginAsync(scope: "openid offline_access notes");
        var otherAudience = await tokens.PasswordAsync("alice", TokenClient.DemoPassword, scope: "other");
        return
        [
            login.AccessToken!,
            login.RefreshToken!,
            otherAudience.AccessToken ?? "",
            Tamper(login.AccessToken!, random),
            UnsignedCopy(login.AccessToken!),
            ForeignKeyCopy(login.AccessToken!),
        ];
    }

    private static HttpRequestMessage ProtocolRequest(Random random, string[] samples)
    {
        var path = ProtocolPaths[random.Next(ProtocolPaths.Length)];
        var method = random.Next(8) == 0 ? HttpMethod.Get : random.Next(12) == 0 ? HttpMethod.Put : HttpMethod.Post;
        var request = new HttpRequestMessage(method, path);
        if (method != HttpMethod.Get)
        {
            request.Content = Body(random, samples);
            request.Headers.TransferEncodingChunked = random.Next(10) == 0;
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

    private static HttpRequestMessage ApiRequest(Random random, string[] samples)
    {
        var methods = new[] { HttpMethod.Get, HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch };
        var method = methods[random.Next(methods.Length)];
        var request = new HttpRequestMessage(method, ApiPaths[random.Next(ApiPaths.Length)]);
        if (method != HttpMethod.Get && method != HttpMethod.Delete)
        {
            request.Content = random.Next(3) == 0
                ? new StringContent("""{"title":""" + JsonSerializer.Serialize(Value(random, samples)) + ""","body":"x"}""", Encoding.UTF8, "application/json")
                : Body(random, samples);
        }

        switch (random.Next(6))
        {
            case 0:
                break; // no token
            case 1:
                request.Headers.TryAddWithoutValidation("Authorization", Printable(Value(random, samples)));
                break;
            case 2:
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Printable(Value(random, samples)));
                break;
            default:
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + samples[random.Next(samples.Length)]);
                break;
        }

        return request;
    }

    private static HttpContent Body(Random random, string[] samples)
    {
        var pairs = Enumerable.Range(0, random.Next(0, 8))
            .Select(_ => (Key: Fields[random.Next(Fields.Length)], Value: Value(random, samples)))
            .ToList();

        switch (random.Next(9))
        {
            case 0:
                return new StringContent(JsonSerializer.Serialize(pairs.ToDictionary(p => p.Key + random.Next(), p => p.Value)), Encoding.UTF8, "application/json");
            case 1:
                return Raw(RandomBytes(random, random.Next(1, 512)), "application/x-www-form-urlencoded");
            case 2:
                return Raw(Encoding.UTF8.GetBytes(string.Join('&', pairs.Select(p => p.Key + "=" + p.Value))), "application/x-www-form-urlencoded");
            case 3:
                return Raw([], random.Next(3) switch { 0 => "text/plain", 1 => "multipart/form-data", _ => "application/xml" });
            case 4:
                // Duplicate parameters: RFC 6749 §3.1 says a parameter must not appear twice.
                var field = Fields[random.Next(Fields.Length)];
                return new FormUrlEncodedContent(pairs.Select(p => KeyValuePair.Create(p.Key, p.Value))
                    .Append(KeyValuePair.Create(field, "a")).Append(KeyValuePair.Create(field, "b")));
            case 5:
                // Invalid UTF-8, raw and percent-encoded.
                var invalid = new byte[] { 0xC3, 0x28, 0xFF, 0xFE, 0xED, 0xA0, 0x80 };
                return Raw([.. "grant_type=password&username="u8, .. invalid, .. "&password=%C3%28%FF&client_id=public-client"u8], "application/x-www-form-urlencoded");
            case 6 when random.Next(4) == 0:
                // 1 MB as one form value (ProtocolRequest sends some of them chunked).
                return Raw(Encoding.ASCII.GetBytes("grant_type=password&username=" + new string('a', 1 << 20)), "application/x-www-form-urlencoded");
            default:
                return new FormUrlEncodedContent(pairs.Select(p => KeyValuePair.Create(p.Key, p.Value)));
        }
    }

    private static ByteArrayContent Raw(byte[] bytes, string contentType)
        => new(bytes) { Headers = { ContentType = MediaTypeHeaderValue.Parse(contentType) } };

    private static string Value(Random random, string[] samples) => random.Next(12) switch
    {
        0 => "",
        1 => new string('a', random.Next(1_000, 20_000)),
        2 => "%ZZ%00%",
        3 => "\u0000\u0001\u202e☃𝄞",
        4 => random.Next(2) == 0 ? "password" : "client_credentials",
        5 => "refresh_token",
        6 => random.Next(2) == 0 ? "public-client" : "sample-client",
        7 => "resource-api",
        8 => "alice",
        9 => "openid offline_access notes unknown",
        10 => "Zm9vOmJhcg==",
        _ => samples[random.Next(samples.Length)],
    };

    /// <summary>Headers can only carry visible ASCII; the rest is dropped.</summary>
    private static string Printable(string value) => new(value.Where(c => c is > ' ' and < (char)127).Take(8_000).ToArray());

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
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

    /// <summary>The token's claims with <c>alg: none</c> and no signature.</summary>
    private static string UnsignedCopy(string jwt)
        => Encode("""{"alg":"none","typ":"at+jwt"}"""u8.ToArray()) + "." + jwt.Split('.')[1] + ".";

    /// <summary>The token's header and claims, signed ES256 by a key the server never saw.</summary>
    private static string ForeignKeyCopy(string jwt)
    {
        var parts = jwt.Split('.');
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signature = key.SignData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), HashAlgorithmName.SHA256);
        return $"{parts[0]}.{parts[1]}.{Encode(signature)}";
    }

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex(@"\bat [\w.<>`]+\(|Exception\b")]
    private static partial Regex StackTrace();

    [GeneratedRegex("error=\"([^\"]*)\"")]
    private static partial Regex BearerError();
}
