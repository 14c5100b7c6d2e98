namespace AuthRefresh.Bench.Load;

/// <summary>
/// Each worker signs in once, then loops the refresh grant, always presenting the refresh token it
/// received last (rotation). After a failure it signs in again, so that one error is one error.
/// </summary>
internal sealed class RefreshScenario(BenchTarget target) : IScenario
{
    public string Name => Scenarios.Refresh;

    public async Task<IWorker> CreateWorkerAsync(int index, CancellationToken cancellationToken)
    {
        var worker = new Worker(target, target.UserName(index));
        await worker.SignInAsync(cancellationToken);
        return worker;
    }

    private sealed class Worker(BenchTarget target, string userName) : IWorker
    {
        private string _refreshToken = "";

        public async Task SignInAsync(CancellationToken cancellationToken)
        {
            var answer = await target.Tokens.SignInAsync(userName, cancellationToken);
            _refreshToken = answer.RefreshToken
                ?? throw new InvalidOperationException($"The password grant for {userName} gave {answer.Status} and no refresh token.");
        }

        public async Task<int> SendAsync(CancellationToken cancellationToken)
        {
            var answer = await target.Tokens.RefreshAsync(_refreshToken, cancellationToken);
            if (answer.RefreshToken is { } next)
            {
                _refreshToken = next;
            }
            else if (!cancellationToken.IsCancellationRequested)
            {
                await SignInAsync(cancellationToken);
            }

            return answer.Status;
        }
    }
}
