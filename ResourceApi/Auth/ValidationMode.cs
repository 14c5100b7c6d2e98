namespace ResourceApi.Auth;

public enum ValidationMode
{
    /// <summary>Signed JWTs are validated locally from the JWKS: no call to AuthServer per request.</summary>
    Jwt,

    /// <summary>Each token is checked at AuthServer's introspection endpoint (cached briefly).</summary>
    Introspection,
}
