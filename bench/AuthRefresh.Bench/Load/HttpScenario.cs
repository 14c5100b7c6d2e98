namespace AuthRefresh.Bench.Load;

/// <summary>
/// The ceiling of the api scenario on this machine: <c>GET /health/live</c> on ResourceApi, the same
/// client, server and middleware, but no token to validate and no database to read.
/// </summary>
internal sealed class HttpScenario(BenchTarget target) : IScenario
{
    public string Name => Scenarios.Http;

    public Task<IWorker> CreateWorkerAsync(int index, CancellationToken cancellationToken)
        => Task.FromResult<IWorker>(new HttpGetConnection(new Uri(target.ResourceApi, "health/live"), bearerToken: null));
}
