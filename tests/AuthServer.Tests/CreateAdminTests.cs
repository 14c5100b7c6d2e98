using System.Diagnostics;
using AuthRefresh.Testing;
using AuthServer.Commands;
using AuthServer.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace AuthServer.Tests;

public sealed class CreateAdminTests(AuthServerFixture server) : IClassFixture<AuthServerFixture>
{
    [Fact]
    public async Task Create_admin_creates_an_administrator_who_can_sign_in()
    {
        var (code, output, _) = await RunAsync("create-admin", "--username", "root1", "--email", "root1@example.com", "--password", "Root123$x");

        Assert.Equal(0, code);
        Assert.Contains("Administrator 'root1' created.", output, StringComparison.Ordinal);
        using var scope = server.Factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        Assert.True(await users.IsInRoleAsync((await users.FindByNameAsync("root1"))!, "Admin"));
        var login = await server.Factory.CreateTokenClient().PasswordAsync("root1", "Root123$x", scope: "roles");
        Assert.Equal("Admin", Jwt.Read(login.AccessToken!).GetClaim("role").Value);
    }

    [Fact]
    public async Task Create_admin_asks_for_the_password_when_it_is_not_given()
    {
        var (code, output, _) = await RunAsync(["create-admin", "--username", "root2", "--email", "root2@example.com"], input: "Root123$y\n");

        Assert.Equal(0, code);
        Assert.StartsWith("Password: ", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2, "--username is required.", "create-admin", "--email", "x@example.com", "--password", "Root123$x")]
    [InlineData(2, "Unknown argument '--admin'.", "create-admin", "--admin", "x")]
    [InlineData(1, "error: Passwords must be at least 6 characters.", "create-admin", "--username", "weak", "--email", "weak@example.com", "--password", "a")]
    [InlineData(1, "error: Username 'alice' is already taken.", "create-admin", "--username", "alice", "--email", "a2@example.com", "--password", "Root123$x")]
    public async Task Create_admin_explains_a_failure_and_exits_non_zero(int expectedCode, string expectedError, params string[] args)
    {
        var (code, _, error) = await RunAsync(args);

        Assert.Equal(expectedCode, code);
        Assert.Contains(expectedError, error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_admin_runs_from_the_command_line()
    {
        using var directory = new TempDirectory();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "exec", Path.Combine(AppContext.BaseDirectory, "AuthServer.dll"), "create-admin", "--username", "cli", "--email", "cli@example.com", "--password", "Root123$z" },
            WorkingDirectory = RepositoryPaths.Project("AuthServer"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["ConnectionStrings__AuthServer"] = $"Data Source={Path.Combine(directory.Path, "cli.db")}",
            },
        };

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, error);
        Assert.Contains("Administrator 'cli' created.", output, StringComparison.Ordinal);
    }

    private async Task<(int Code, string Output, string Error)> RunAsync(string[] args, string input = "")
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CreateAdminCommand.RunAsync(server.Factory.Services, args, new StringReader(input), output, error);
        return (code, output.ToString(), error.ToString());
    }

    private Task<(int Code, string Output, string Error)> RunAsync(params string[] args) => RunAsync(args, "");
}
