using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AuthRefresh.Testing;

public static class Jwt
{
    public static JsonWebToken Read(string token) => new(token);

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
