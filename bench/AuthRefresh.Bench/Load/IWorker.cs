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
