extern alias SampleClientHost;

namespace AuthRefresh.Testing;

/// <summary>
/// A real SampleClient signing users in at the AuthServer at <c>issuer</c> and reading notes from
/// the ResourceApi at <c>api</c>.
/// </summary>
public sealed class SampleClientFactory(
    Uri issuer, Uri api, IDictionary<string, string?>? settings = null, string? databaseDirectory = null, int port = 0)
    : AppFactory<SampleClientHost::Program>(
        "SampleClient",
        new Dictionary<string, string?> { ["SampleClient:Issuer"] = issuer.ToString(), ["SampleClient:ResourceApi"] = api.ToString() },
        settings,
        databaseDirectory,
        port: port);
