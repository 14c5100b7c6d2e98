extern alias ResourceApiHost;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace AuthRefresh.Testing;

/// <summary>A real ResourceApi trusting the AuthServer at <c>issuer</c> over real HTTP.</summary>
public sealed class ResourceApiFactory(
    Uri issuer,
    IDictionary<string, string?>? settings = null,
    FakeTimeProvider? time = null,
    Action<IServiceCollection>? services = null,
    string? databaseDirectory = null,
    int port = 0)
    : AppFactory<ResourceApiHost::Program>(
        "ResourceApi",
        new Dictionary<string, string?> { ["AuthServer:Issuer"] = issuer.ToString(), ["DemoData:Enabled"] = "false" },
        settings,
        databaseDirectory,
        time,
        services: services,
        port: port);
