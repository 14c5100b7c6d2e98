using System.Net;
using AuthRefresh.Testing;
using AuthServer.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AuthServer.Tests;

/// <summary>Each admin action through the pages, as an administrator's browser would post it.</summary>
public sealed class AdminAreaTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    private readonly TokenClient _tokens = server.Factory.CreateTokenClient();

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_sign_in_and_non_admins_get_403()
    {
        var anonymous = await NewSession().GetAsync("/admin/users");
        var alice = NewSession();
        await alice.SignInAsync("alice", "Pass123$");
        var forbidden = await alice.GetAsync("/admin/users");

        Assert.Contains("/Identity/Account/Login", anonymous.Location!.AbsolutePath, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.Status);
        Assert.Contains("403 Forbidden: for administrators only", forbidden.Html, StringComparison.Ordinal);
        Assert.Contains("id=\"status-home\"", forbidden.Html, StringComparison.Ordinal);
        Assert.Contains("id=\"status-sign-out\"", forbidden.Html, StringComparison.Ordinal);
        Assert.Contains("Signed in as <strong>alice</strong>", forbidden.Html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TestDatabase.Sqlite)]
    [PostgreSqlData]
    public async Task The_dashboard_counts_users_sessions_tokens_and_detected_reuse(string database)
    {
        // No leeway, so that a replay is detected at once.
        var settings = await TestDatabase.SettingsAsync(database, "AuthServer");
        settings["Tokens:RefreshTokenReuseLeeway"] = "00:00:00";
        using var factory = new AuthServerFactory(settings);
        var tokens = factory.CreateTokenClient();
        var login = await tokens.LoginAsync();
        await tokens.RefreshAsync(login.RefreshToken!);
        Assert.Equal("invalid_grant", (await tokens.RefreshAsync(login.RefreshToken!)).Error);
        var admin = new HtmlSession(factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = factory.Address }));
        await admin.SignInAsync("admin", "Admin123$");

        var page = await admin.GetAsync("/admin");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("id=\"users-count\">2<", page.Html, StringComparison.Ordinal); // alice and admin
        Assert.Contains("id=\"reuse-count\">1<", page.Html, StringComparison.Ordinal);
        Assert.Matches("id=\"tokens-count\">[1-9]", page.Html);
        Assert.Contains("id=\"sessions-count\">", page.Html, StringComparison.Ordinal);

        // The chart: 24 hours whose counts add up to the totals; the replay was refused and reused.
        var hours = System.Text.RegularExpressions.Regex.Matches(page.Html, "data-issued=\"(\\d+)\" data-refused=\"(\\d+)\" data-reused=\"(\\d+)\"")
            .Select(m => (Issued: int.Parse(m.Groups[1].Value), Refused: int.Parse(m.Groups[2].Value), Reused: int.Parse(m.Groups[3].Value)))
            .ToList();
        var issued = System.Text.RegularExpressions.Regex.Match(page.Html, "id=\"tokens-count\">(\\d+)<").Groups[1].Value;
        using var scope = factory.Services.CreateScope();
        var stored = await scope.ServiceProvider.GetRequiredService<ApplicationDbContext>().Set<OpenIddict.EntityFrameworkCore.Models.OpenIddictEntityFrameworkCoreToken>().CountAsync();
        Assert.Equal(24, hours.Count);
        Assert.Equal(stored, int.Parse(issued)); // every token of this fresh server is of the last hours
        Assert.Equal(stored, hours.Sum(h => h.Issued));
        Assert.Equal(1, hours.Sum(h => h.Reused));
        Assert.Equal(1, hours.Sum(h => h.Refused));
        Assert.Contains("id=\"refused-count\">1<", page.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_admin_creates_a_user_who_can_then_sign_in_and_the_action_is_audited()
    {
        var admin = await AdminAsync();
        var name = "created-" + Guid.NewGuid().ToString("N")[..6];

        var created = await admin.SubmitAsync("/admin/users/create", "/admin/users/create",
            ("Input.UserName", name), ("Input.Email", $"{name}@example.com"), ("Input.DisplayName", "Created User"),
            ("Input.Password", "Created123$"), ("Input.Roles", "User"));
        var login = await _tokens.PasswordAsync(name, "Created123$", scope: "roles");
        var audit = await admin.GetAsync("/admin/audit");

        Assert.Contains($"User {name} created.", created.Html, StringComparison.Ordinal);
        Assert.Equal("User", Jwt.Read(login.AccessToken!).GetClaim("role").Value);
        Assert.Contains("user.create", audit.Html, StringComparison.Ordinal);
        Assert.Contains(name, audit.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Users_can_be_searched()
    {
        var admin = await AdminAsync();
        var name = await TestUsers.CreateAsync(server.Factory, "findme-" + Guid.NewGuid().ToString("N")[..6]);

        var found = await admin.GetAsync($"/admin/users?q={name[..10]}");
        var notFound = await admin.GetAsync("/admin/users?q=nobody-has-this-name");

        Assert.Contains(name, found.Html, StringComparison.Ordinal);
        Assert.Contains("0 user(s)", notFound.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Editing_roles_changes_the_next_tokens()
    {
        var admin = await AdminAsync();
        var (name, id) = await NewUserAsync();

        await admin.SubmitAsync($"/admin/users/{id}", $"/admin/users/{id}?handler=Save",
            ("Input.UserName", name), ("Input.Email", $"{name}@example.com"), ("Input.DisplayName", "Renamed"), ("Input.Roles", "Admin"));
        var login = await _tokens.PasswordAsync(name, TestUsers.Password, scope: "roles profile");

        var jwt = Jwt.Read(login.AccessToken!);
        Assert.Equal("Admin", jwt.GetClaim("role").Value);
        Assert.Equal("Renamed", jwt.GetClaim("name").Value);
    }

    [Theory]
    [InlineData("Lock")]
    [InlineData("SignOutEverywhere")]
    [InlineData("ResetPassword")]
    [InlineData("Delete")]
    public async Task Locking_signing_out_resetting_and_deleting_revoke_the_users_tokens(string handler)
    {
        var admin = await AdminAsync();
        var (name, id) = await NewUserAsync();
        var login = await _tokens.LoginAsync(name, TestUsers.Password);

        var (status, _, _) = await admin.SubmitAsync($"/admin/users/{id}", $"/admin/users/{id}?handler={handler}", ("NewPassword", "Reset123$x"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False((await _tokens.IntrospectAsync(login.AccessToken!)).Json.GetProperty("active").GetBoolean());
        Assert.Equal("invalid_grant", (await _tokens.RefreshAsync(login.RefreshToken!)).Error);
        var audit = await admin.GetAsync("/admin/audit");
        Assert.Contains(name, audit.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unlocking_lets_the_user_sign_in_again()
    {
        var admin = await AdminAsync();
        var (name, id) = await NewUserAsync();
        await admin.SubmitAsync($"/admin/users/{id}", $"/admin/users/{id}?handler=Lock");
        Assert.Equal("invalid_grant", (await _tokens.PasswordAsync(name, TestUsers.Password)).Error);

        await admin.SubmitAsync($"/admin/users/{id}", $"/admin/users/{id}?handler=Unlock");

        Assert.Equal(HttpStatusCode.OK, (await _tokens.PasswordAsync(name, TestUsers.Password)).Status);
    }

    [Fact]
    public async Task Revoking_one_session_ends_that_login_only()
    {
        var admin = await AdminAsync();
        var (name, id) = await NewUserAsync();
        var revoked = await _tokens.LoginAsync(name, TestUsers.Password);
        var kept = await _tokens.LoginAsync(name, TestUsers.Password);
        var authorization = Jwt.Read(revoked.AccessToken!).GetClaim("oi_au_id").Value;

        var sessions = await admin.GetAsync($"/admin/sessions?userId={id}");
        await admin.SubmitAsync($"/admin/sessions?userId={id}", $"/admin/sessions?userId={id}&handler=Revoke", ("authorizationId", authorization));

        Assert.Contains(authorization, sessions.Html, StringComparison.Ordinal);
        Assert.Equal("invalid_grant", (await _tokens.RefreshAsync(revoked.RefreshToken!)).Error);
        Assert.Equal(HttpStatusCode.OK, (await _tokens.RefreshAsync(kept.RefreshToken!)).Status);

        // The audit log names the user and links to the session, whose timeline says who revoked it.
        var audit = await admin.GetAsync("/admin/audit");
        Assert.Contains($"href=\"/admin/sessions/{authorization}\"", audit.Html, StringComparison.Ordinal);
        Assert.Contains($"{name} through public-client", audit.Html, StringComparison.Ordinal);
        var timeline = await admin.GetAsync($"/admin/sessions/{authorization}");
        Assert.Contains("Revoked by an administrator", timeline.Html, StringComparison.Ordinal);
        Assert.Contains("— by admin", timeline.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sessions_are_found_by_user_name_or_email_and_show_their_family_as_a_timeline()
    {
        // No leeway, so that a replay is detected at once.
        using var factory = new AuthServerFactory(new Dictionary<string, string?> { ["Tokens:RefreshTokenReuseLeeway"] = "00:00:00" });
        var tokens = factory.CreateTokenClient();
        var name = await TestUsers.CreateAsync(factory);
        var replayed = await tokens.LoginAsync(name, TestUsers.Password);
        var refreshed = await tokens.RefreshAsync(replayed.RefreshToken!);
        var loggedOut = await tokens.LoginAsync(name, TestUsers.Password);
        var admin = new HtmlSession(factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = factory.Address }));
        await admin.SignInAsync("admin", "Admin123$");
        var live = Jwt.Read(refreshed.AccessToken!).GetClaim("oi_au_id").Value;

        var byName = await admin.GetAsync($"/admin/sessions?q={name[..7].ToUpperInvariant()}");
        var byEmail = await admin.GetAsync($"/admin/sessions?q={name}@example");
        var nobody = await admin.GetAsync("/admin/sessions?q=no-such-user");

        Assert.Equal(2, CountOf(byName.Html, "class=\"session\""));
        Assert.Equal(2, CountOf(byEmail.Html, "class=\"session\""));
        Assert.Contains("id=\"no-sessions\"", nobody.Html, StringComparison.Ordinal);
        Assert.Contains($"/admin/sessions/{live}", byName.Html, StringComparison.Ordinal);

        // The replay ends the first login; the second ends at logout, by its client.
        Assert.Equal("invalid_grant", (await tokens.RefreshAsync(replayed.RefreshToken!)).Error);
        Assert.Equal(HttpStatusCode.OK, (await tokens.RevokeAsync(loggedOut.RefreshToken!)).Status);
        var ended = Jwt.Read(loggedOut.AccessToken!).GetClaim("oi_au_id").Value;
        var reused = await admin.GetAsync($"/admin/sessions/{live}");
        var revoked = await admin.GetAsync($"/admin/sessions/{ended}");

        Assert.Equal(["signed-in", "refreshed", "reuse"], Kinds(reused.Html));
        Assert.Contains("Reuse detected", reused.Html, StringComparison.Ordinal);
        Assert.Contains("id=\"session-status\">revoked<", reused.Html, StringComparison.Ordinal);
        Assert.Equal(["signed-in", "revoked"], Kinds(revoked.Html));
        Assert.Contains("Ended by its client", revoked.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/admin/sessions/no-such-session")).Status);
        Assert.Contains("id=\"no-sessions\"", (await admin.GetAsync($"/admin/sessions?q={name}")).Html, StringComparison.Ordinal);

        static int CountOf(string html, string text) => System.Text.RegularExpressions.Regex.Matches(html, System.Text.RegularExpressions.Regex.Escape(text)).Count;
        static string[] Kinds(string html) => [.. System.Text.RegularExpressions.Regex.Matches(html, "timeline-event ([a-z-]+)\"").Select(m => m.Groups[1].Value)];
    }

    [Fact]
    public async Task A_client_is_created_with_a_secret_shown_once_rotated_and_deleted()
    {
        var admin = await AdminAsync();
        var clientId = "service-" + Guid.NewGuid().ToString("N")[..6];

        var created = await admin.SubmitAsync("/admin/clients/edit", "/admin/clients/edit?handler=Save",
            ("ClientId", clientId), ("Input.Type", "confidential"), ("Input.DisplayName", "A service"),
            ("Input.Endpoints", "token"), ("Input.GrantTypes", "client_credentials"), ("Input.Scopes", "notes"));
        var secret = SecretOf(created.Html);
        var first = await _tokens.ClientCredentialsAsync(clientId, secret, "notes");

        var rotated = await admin.SubmitAsync($"/admin/clients/edit/{clientId}", $"/admin/clients/edit/{clientId}?handler=RotateSecret&existing={clientId}");
        var newSecret = SecretOf(rotated.Html);
        var withOld = await _tokens.ClientCredentialsAsync(clientId, secret, "notes");
        var withNew = await _tokens.ClientCredentialsAsync(clientId, newSecret, "notes");
        var page = await admin.GetAsync($"/admin/clients/edit/{clientId}");

        await admin.SubmitAsync($"/admin/clients/edit/{clientId}", $"/admin/clients/edit/{clientId}?handler=Delete&existing={clientId}");
        var deleted = await _tokens.ClientCredentialsAsync(clientId, newSecret, "notes");

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal("invalid_client", withOld.Error);
        Assert.Equal(HttpStatusCode.OK, withNew.Status);
        Assert.DoesNotContain(newSecret, page.Html, StringComparison.Ordinal); // shown once
        Assert.Equal("invalid_client", deleted.Error);
    }

    [Fact]
    public async Task Editing_a_client_changes_its_permissions_and_keeps_its_secret()
    {
        var admin = await AdminAsync();
        var clientId = "editable-" + Guid.NewGuid().ToString("N")[..6];
        var created = await admin.SubmitAsync("/admin/clients/edit", "/admin/clients/edit?handler=Save",
            ("ClientId", clientId), ("Input.Type", "confidential"), ("Input.Endpoints", "token"),
            ("Input.GrantTypes", "client_credentials"), ("Input.Scopes", "notes"));
        var secret = SecretOf(created.Html);

        await admin.SubmitAsync($"/admin/clients/edit/{clientId}", $"/admin/clients/edit/{clientId}?handler=Save&existing={clientId}",
            ("Input.DisplayName", "Renamed"), ("Input.Endpoints", "token"), ("Input.GrantTypes", "client_credentials"));

        var withNotes = await _tokens.ClientCredentialsAsync(clientId, secret, "notes");
        var withoutScope = await _tokens.ClientCredentialsAsync(clientId, secret, "");

        // The notes permission is gone, and the secret still authenticates the client.
        Assert.Equal("invalid_request", withNotes.Error);
        Assert.Contains("scope", withNotes.ErrorDescription, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, withoutScope.Status);
    }

    private static string SecretOf(string html)
        => System.Text.RegularExpressions.Regex.Match(html, "id=\"new-secret\">([^<]+)<").Groups[1].Value is { Length: > 0 } secret
            ? secret
            : throw new InvalidOperationException("No secret on the page.");

    private HtmlSession NewSession() => new(server.Factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = server.Factory.Address }));

    private async Task<HtmlSession> AdminAsync()
    {
        var session = NewSession();
        var (_, html, _) = await session.SignInAsync("admin", "Admin123$");
        Assert.Contains("logout", html, StringComparison.Ordinal);
        return session;
    }

    private async Task<(string Name, string Id)> NewUserAsync()
    {
        var name = await TestUsers.CreateAsync(server.Factory);
        using var scope = server.Factory.Services.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByNameAsync(name);
        return (name, user!.Id);
    }
}
