using AuthServer.Accounts;
using AuthServer.Data;
using AuthServer.RateLimiting;
using AuthServer.Telemetry;
using AuthServer.Tokens;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;

namespace AuthServer.Endpoints;

/// <summary>What the token endpoint needs, resolved per request.</summary>
internal sealed record TokenServices(
    UserManager<ApplicationUser> Users,
    SignInManager<ApplicationUser> SignIn,
    IPasswordHasher<ApplicationUser> PasswordHasher,
    IOpenIddictApplicationManager Applications,
    TokenIdentityFactory Identities,
    IOptions<TokenSettings> Tokens,
    TimeProvider Time,
    PasswordHashingGate Hashing,
    TokenRequestLimits Limits,
    AuthServerMetrics Metrics);
