namespace AuthRefresh.Bench.Load;

/// <summary>
/// One simulated client: it sends one request at a time, as a real client does. A worker that is
/// <see cref="IAsyncDisposable"/> is disposed when its run ends.
/// </summary>
public interface IWorker
{
    /// <summary>Sends one request; returns its HTTP status code (0 when it failed below HTTP).</summary>
    Task<int> SendAsync(CancellationToken cancellationToken);
}

/// <summary>A kind of load: how each worker prepares (signs in once, say) and what it repeats.</summary>
public interface IScenario
{
    string Name { get; }

    Task<IWorker> CreateWorkerAsync(int index, CancellationToken cancellationToken);
}

/// <summary>The scenarios by name.</summary>
public static class Scenarios
{
    public const string Password = "password";
    public const string Refresh = "refresh";
    public const string Api = "api";
    public const string Http = "http";

    // Note: http before api, so that the api's verdict can quote the ceiling measured just before.
    public static IReadOnlyList<string> All { get; } = [Password, Refresh, Http, Api];

    public static IScenario Create(string name, BenchTarget target) => name switch
    {
        Password => new PasswordScenario(target),
        Refresh => new RefreshScenario(target),
        Api => new ApiScenario(target),
        Http => new HttpScenario(target),
        _ => throw new ArgumentException($"Unknown scenario '{name}'; use one of: {string.Join(", ", All)}.", nameof(name)),
    };
}

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

/// <summary>
/// The ceiling of the api scenario on this machine: <c>GET /health</c> on ResourceApi, the same
/// client, server and middleware, but no token to validate and no database to read.
/// </summary>
internal sealed class HttpScenario(BenchTarget target) : IScenario
{
    public string Name => Scenarios.Http;

    public Task<IWorker> CreateWorkerAsync(int index, CancellationToken cancellationToken)
        => Task.FromResult<IWorker>(new HttpGetConnection(new Uri(target.ResourceApi, "health"), bearerToken: null));
}
