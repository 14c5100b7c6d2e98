using System.Net;
using AuthRefresh.Testing;
using AuthServer.Data;
using AuthServer.Stores;
using AuthServer.Tokens;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AuthServer.Tests;

/// <summary>
/// The token and authorization entries are written in plain SQL (<c>TokenLedger</c>). They must be
/// the rows OpenIddict's own stores write and read: the managers, the admin pages and the pruning
/// job work on them. Here OpenIddict's managers and plain EF Core queries read what a grant wrote.
/// </summary>
public sealed class TokenLedgerTests : IDisposable
{
    private readonly AuthServerFactory _factory = new();
    private readonly List<IServiceScope> _scopes = [];

    public void Dispose()
    {
        _scopes.ForEach(scope => scope.Dispose());
        _factory.Dispose();
    }

    [Fact]
    public async Task A_password_grant_writes_a_login_and_tokens_that_OpenIddicts_managers_read_as_their_own()
    {
        var tokens = _factory.CreateTokenClient();
        var login = await tokens.LoginAsync(scope: "openid offline_access notes");
        var services = Scope();
        var authorizations = services.GetRequiredService<IOpenIddictAuthorizationManager>();
        var tokenManager = services.GetRequiredService<IOpenIddictTokenManager>();
        var applications = services.GetRequiredService<IOpenIddictApplicationManager>();
        var jwt = Jwt.Read(login.AccessToken!);
        var client = await applications.FindByClientIdAsync(TokenClient.PublicClient);

        var authorization = await authorizations.FindByIdAsync(jwt.GetClaim(Claims.Private.AuthorizationId).Value);
        Assert.NotNull(authorization);
        Assert.Equal(Statuses.Valid, await authorizations.GetStatusAsync(authorization));
        Assert.Equal(AuthorizationTypes.AdHoc, await authorizations.GetTypeAsync(authorization));
        Assert.Equal(jwt.Subject, await authorizations.GetSubjectAsync(authorization));
        Assert.Equal(await applications.GetIdAsync(client!), await authorizations.GetApplicationIdAsync(authorization));
        Assert.Equal(["notes", "offline_access", "openid"], (await authorizations.GetScopesAsync(authorization)).Order().ToArray());

        var refresh = await tokenManager.FindByReferenceIdAsync(login.RefreshToken!);
        Assert.NotNull(refresh);
        Assert.Equal(TokenTypeIdentifiers.RefreshToken, await tokenManager.GetTypeAsync(refresh));
        Assert.Equal(Statuses.Valid, await tokenManager.GetStatusAsync(refresh));
        Assert.Equal(jwt.Subject, await tokenManager.GetSubjectAsync(refresh));
        Assert.Equal(await authorizations.GetIdAsync(authorization), await tokenManager.GetAuthorizationIdAsync(refresh));
        Assert.Equal(await applications.GetIdAsync(client!), await tokenManager.GetApplicationIdAsync(refresh));
        var created = await tokenManager.GetCreationDateAsync(refresh);
        Assert.Equal(TimeSpan.FromDays(14), await tokenManager.GetExpirationDateAsync(refresh) - created);
        Assert.StartsWith("ar1.", await tokenManager.GetPayloadAsync(refresh));

        var access = await tokenManager.FindByIdAsync(jwt.GetClaim(Claims.Private.TokenId).Value);
        Assert.NotNull(access);
        Assert.Equal(TokenTypeIdentifiers.AccessToken, await tokenManager.GetTypeAsync(access));
        Assert.Equal(Statuses.Valid, await tokenManager.GetStatusAsync(access));
        Assert.Null(await tokenManager.GetReferenceIdAsync(access));
        Assert.Null(await tokenManager.GetPayloadAsync(access));
        Assert.Equal(jwt.ValidTo, (await tokenManager.GetExpirationDateAsync(access))!.Value.UtcDateTime, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task The_ledger_reads_an_entry_and_its_logins_status_as_EF_Core_does()
    {
        var tokens = _factory.CreateTokenClient();
        var login = await tokens.LoginAsync();
        var refreshed = await tokens.RefreshAsync(login.RefreshToken!);
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        var ledger = Scope().GetRequiredService<TokenLedger>();
        var db = Scope().GetRequiredService<ApplicationDbContext>();

        foreach (var handle in new[] { login.RefreshToken!, refreshed.RefreshToken! })
        {
            var found = await ledger.FindByReferenceIdAsync(RefreshTokenFormat.Obfuscate(handle), default);
            Assert.NotNull(found);
            var expected = await db.Set<OpenIddictEntityFrameworkCoreToken>().AsNoTracking()
                .Include(t => t.Application).Include(t => t.Authorization).SingleAsync(t => t.Id == found.Id);
            Assert.Equal(expected.Type, found.Type);
            Assert.Equal(expected.Status, found.Status);
            Assert.Equal(expected.Subject, found.Subject);
            Assert.Equal(expected.ReferenceId, found.ReferenceId);
            Assert.Equal(expected.Payload, found.Payload);
            Assert.Equal(expected.Application!.Id, found.ApplicationId);
            Assert.Equal(expected.Authorization!.Id, found.AuthorizationId);
            Assert.Equal(expected.Authorization.Status, found.AuthorizationStatus);
            Assert.Equal(expected.CreationDate, found.CreationDate?.UtcDateTime);
            Assert.Equal(expected.ExpirationDate, found.ExpirationDate?.UtcDateTime);
            Assert.Equal(expected.RedemptionDate, found.RedemptionDate?.UtcDateTime);
            Assert.Equal(found, await ledger.FindByIdAsync(found.Id, default));
        }

        Assert.Null(await ledger.FindByReferenceIdAsync(RefreshTokenFormat.Obfuscate(login.RefreshToken! + "x"), default));
        Assert.Equal(Statuses.Redeemed, (await ledger.FindByReferenceIdAsync(RefreshTokenFormat.Obfuscate(login.RefreshToken!), default))!.Status);
    }

    [Fact]
    public async Task A_refresh_payload_reads_back_with_its_claims_and_only_for_its_own_entry()
    {
        var login = await _factory.CreateTokenClient().LoginAsync(scope: "openid profile roles offline_access notes");
        var services = Scope();
        var format = services.GetRequiredService<RefreshTokenFormat>();
        var entry = await services.GetRequiredService<TokenLedger>().FindByReferenceIdAsync(RefreshTokenFormat.Obfuscate(login.RefreshToken!), default);

        var principal = format.Unprotect(entry!.Payload!, entry.Id);

        Assert.NotNull(principal);
        Assert.Equal(Jwt.Read(login.AccessToken!).Subject, principal.GetClaim(Claims.Subject));
        Assert.Equal(["notes", "offline_access", "openid", "profile", "roles"], principal.GetScopes().Order().ToArray());
        Assert.Equal(["resource-api"], principal.GetResources().ToArray());
        Assert.Equal([TokenClient.PublicClient], principal.GetPresenters().ToArray());
        Assert.Equal(ClaimValueTypes.Integer64, principal.FindFirst(Claims.AuthenticationTime)!.ValueType);
        Assert.Contains(Destinations.AccessToken, principal.FindFirst(Claims.Name)!.GetDestinations());
        Assert.Null(principal.GetTokenId()); // the entry's own columns hold it

        // Another entry's id, a changed byte or an unknown key: nothing is read.
        Assert.Null(format.Unprotect(entry.Payload!, Guid.NewGuid().ToString()));
        var tampered = entry.Payload![..^3] + (entry.Payload[^3] == 'A' ? 'B' : 'A') + entry.Payload[^2..];
        Assert.Null(format.Unprotect(tampered, entry.Id));
        Assert.Null(format.Unprotect("ar1.no-such-key." + entry.Payload.Split('.')[2], entry.Id));
    }

    [Fact]
    public void A_successor_is_derived_from_its_predecessor_alike_every_time_and_reveals_nothing_of_it()
    {
        var format = Scope().GetRequiredService<RefreshTokenFormat>();
        var handle = RefreshTokenFormat.NewHandle();

        var successor = format.SuccessorOf(handle, payload: null);

        Assert.Equal(successor, format.SuccessorOf(handle, payload: null));
        Assert.NotEqual(handle, successor);
        Assert.NotEqual(successor, format.SuccessorOf(RefreshTokenFormat.NewHandle(), payload: null));
        Assert.Equal(43, successor.Length); // 256 bits in base64url, as a new handle
        Assert.Equal(43, handle.Length);
    }

    private IServiceProvider Scope()
    {
        var scope = _factory.Services.CreateScope();
        _scopes.Add(scope);
        return scope.ServiceProvider;
    }
}

/// <summary>Claim value types as OpenIddict and IdentityModel name them.</summary>
file static class ClaimValueTypes
{
    public const string Integer64 = "http://www.w3.org/2001/XMLSchema#integer64";
}
