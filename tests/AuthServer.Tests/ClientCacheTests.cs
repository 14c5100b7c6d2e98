using System.Net;
using AuthRefresh.Testing;
using AuthServer.Clients;
using AuthServer.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AuthServer.Tests;

/// <summary>
/// Token requests read their client from <see cref="ClientCache"/>, not from the database: a change
/// through OpenIddict's manager applies at once, one made behind its back (another node) once the
/// entry expires.
/// </summary>
public sealed class ClientCacheTests
{
    [Fact]
    public async Task A_client_changed_behind_the_server_serves_until_the_cache_lifetime_ends()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var factory = new AuthServerFactory(time: time);
        var client = factory.CreateTokenClient();
        var login = await client.LoginAsync();

        await RevokeAllPermissionsInTheDatabaseAsync(factory, TokenClient.PublicClient);
        var cached = await client.RefreshAsync(login.RefreshToken!);
        time.Advance(TimeSpan.FromSeconds(31));
        var reread = await client.RefreshAsync(cached.RefreshToken!);

        Assert.Equal(HttpStatusCode.OK, cached.Status);
        Assert.Equal(HttpStatusCode.BadRequest, reread.Status);
        Assert.Equal(Errors.UnauthorizedClient, reread.Error);
    }

    [Fact]
    public async Task With_a_lifetime_of_zero_every_request_reads_the_client()
    {
        using var factory = new AuthServerFactory(new Dictionary<string, string?> { ["Server:ClientCacheLifetime"] = "00:00:00" });
        var client = factory.CreateTokenClient();
        var login = await client.LoginAsync();

        await RevokeAllPermissionsInTheDatabaseAsync(factory, TokenClient.PublicClient);
        var refresh = await client.RefreshAsync(login.RefreshToken!);

        Assert.Equal(Errors.UnauthorizedClient, refresh.Error);
    }

    [Fact]
    public async Task A_client_changed_through_the_manager_applies_to_the_next_request()
    {
        using var factory = new AuthServerFactory();
        var client = factory.CreateTokenClient();
        var login = await client.LoginAsync();

        await WithManagerAsync(factory, async applications =>
        {
            var application = (await applications.FindByClientIdAsync(TokenClient.PublicClient))!;
            var descriptor = new OpenIddictApplicationDescriptor();
            await applications.PopulateAsync(descriptor, application);
            descriptor.Permissions.Remove(Permissions.GrantTypes.RefreshToken);
            await applications.UpdateAsync(application, descriptor);
        });
        var refresh = await client.RefreshAsync(login.RefreshToken!);

        Assert.Equal(Errors.UnauthorizedClient, refresh.Error);
        Assert.Equal(HttpStatusCode.OK, (await client.LoginAsync(scope: "openid notes")).Status);
    }

    [Fact]
    public async Task A_deleted_client_is_refused_at_once()
    {
        using var factory = new AuthServerFactory();
        var client = factory.CreateTokenClient();
        Assert.Equal(HttpStatusCode.OK, (await client.ClientCredentialsAsync(TokenClient.SampleClient, TokenClient.SampleSecret, "notes")).Status);

        await WithManagerAsync(factory, async applications =>
            await applications.DeleteAsync((await applications.FindByClientIdAsync(TokenClient.SampleClient))!));
        var after = await client.ClientCredentialsAsync(TokenClient.SampleClient, TokenClient.SampleSecret, "notes");

        Assert.Equal(Errors.InvalidClient, after.Error);
    }

    [Fact]
    public async Task A_caller_that_edits_its_client_without_saving_changes_nobody_elses()
    {
        using var factory = new AuthServerFactory();
        var client = factory.CreateTokenClient();
        await client.LoginAsync();

        await WithManagerAsync(factory, async applications =>
        {
            var application = (OpenIddictEntityFrameworkCoreApplication)(await applications.FindByClientIdAsync(TokenClient.PublicClient))!;
            application.Permissions = "[]";
            application.DisplayName = "edited, not saved";
        });

        await WithManagerAsync(factory, async applications =>
        {
            var application = (await applications.FindByClientIdAsync(TokenClient.PublicClient))!;
            Assert.NotEqual("edited, not saved", await applications.GetDisplayNameAsync(application));
        });
        Assert.Equal(HttpStatusCode.OK, (await client.LoginAsync()).Status);
    }

    [Fact]
    public void The_copy_carries_every_column_of_a_client()
    {
        var original = new OpenIddictEntityFrameworkCoreApplication();
        var columns = typeof(OpenIddictEntityFrameworkCoreApplication).GetProperties()
            .Where(property => property.PropertyType == typeof(string) && property.CanWrite)
            .ToList();
        foreach (var column in columns)
        {
            column.SetValue(original, "value of " + column.Name);
        }

        var copy = ClientCache.Copy(original);

        Assert.NotSame(original, copy);
        Assert.True(columns.Count >= 15, $"{columns.Count} columns");
        Assert.All(columns, column => Assert.Equal(column.GetValue(original), column.GetValue(copy)));
    }

    // Note: as another node's admin would change it, unseen by this node's application manager.
    private static async Task RevokeAllPermissionsInTheDatabaseAsync(AuthServerFactory factory, string clientId)
    {
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ApplicationDbContext>();
        var changed = await db.Set<OpenIddictEntityFrameworkCoreApplication>()
            .Where(application => application.ClientId == clientId)
            .ExecuteUpdateAsync(setters => setters.SetProperty(application => application.Permissions, "[]"));
        Assert.Equal(1, changed);
    }

    private static async Task WithManagerAsync(AuthServerFactory factory, Func<IOpenIddictApplicationManager, Task> action)
    {
        using var scope = factory.Services.CreateScope();
        await action(scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>());
    }
}
