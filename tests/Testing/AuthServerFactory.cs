using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AuthRefresh.Testing;

/// <summary>
/// A real AuthServer. Settings are the Development ones (demo users, http allowed) with rate
/// limiting and pruning off, plus what a test passes in.
/// </summary>
public sealed class AuthServerFactory(
    IDictionary<string, string?>? settings = null,
    string? databaseDirectory = null,
    FakeTimeProvider? time = null,
    string environment = "Development",
    Action<IServiceCollection>? services = null,
    int port = 0)
    : AppFactory<Program>("AuthServer", Defaults, settings, databaseDirectory, time, environment, services, port)
{
    private static readonly Dictionary<string, string?> Defaults = new()
    {
        // The issuer is taken from the request, since the port is chosen at start.
        ["Server:Issuer"] = "",
        ["RateLimiting:Enabled"] = "false",
        ["Pruning:Enabled"] = "false",
    };

    public TokenClient CreateTokenClient() => new(CreateClient());
}
