namespace AuthRefresh.Bench.Load;

/// <summary>Posts the password grant in a loop, each worker as a user of its own.</summary>
internal sealed class PasswordScenario(BenchTarget target) : IScenario
{
    public string Name => Scenarios.Password;

    public Task<IWorker> CreateWorkerAsync(int index, CancellationToken cancellationToken)
        => Task.FromResult<IWorker>(new Worker(target, target.UserName(index)));

    private sealed class Worker(BenchTarget target, string userName) : IWorker
    {
        public async Task<int> SendAsync(CancellationToken cancellationToken)
            => (await target.Tokens.PasswordAsync(userName, cancellationToken)).Status;
    }
}
