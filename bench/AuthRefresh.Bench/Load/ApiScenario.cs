namespace AuthRefresh.Bench.Load;

/// <summary>
/// Each worker gets an access token once, then calls <c>GET /api/notes</c>: the worker is a
/// connection of its own (<see cref="HttpGetConnection"/>).
/// </summary>
internal sealed class ApiScenario(BenchTarget target) : IScenario
{
    public string Name => Scenarios.Api;

    public async Task<IWorker> CreateWorkerAsync(int index, CancellationToken cancellationToken)
    {
        var answer = await target.Tokens.SignInAsync(target.UserName(index), cancellationToken);
        var accessToken = answer.AccessToken
            ?? throw new InvalidOperationException($"The password grant gave {answer.Status} and no access token.");
        return new HttpGetConnection(new Uri(target.ResourceApi, "api/notes"), accessToken);
    }
}
