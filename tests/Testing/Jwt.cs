using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthRefresh.Testing;

public static class Jwt
{
    public static JsonWebToken Read(string token) => new(token);

    /// <summary>The key ids the server's JWKS publishes, in ordinal order.</summary>
    public static async Task<List<string>> KeyIdsAsync(HttpClient http)
        => [.. JsonDocument.Parse(await http.GetStringAsync("/.well-known/jwks")).RootElement.GetProperty("keys").EnumerateArray()
            .Select(k => k.GetProperty("kid").GetString()!).Order(StringComparer.Ordinal)];

    /// <summary>Validates a token against the server's published JWKS, as a resource server would.</summary>
    public static async Task<TokenValidationResult> ValidateAsync(HttpClient http, string token, string audience)
    {
        var jwks = new JsonWebKeySet(await http.GetStringAsync("/.well-known/jwks"));
        var discovery = JsonDocument.Parse(await http.GetStringAsync("/.well-known/openid-configuration"));
        return await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = discovery.RootElement.GetProperty("issuer").GetString(),
            ValidAudience = audience,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidTypes = ["at+jwt"],
        });
    }
}
