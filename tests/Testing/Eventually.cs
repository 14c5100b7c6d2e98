namespace AuthRefresh.Testing;

/// <summary>For what another process or a timer makes true in its own time: polls until it is.</summary>
public static class Eventually
{
    /// <summary>
    /// Checks <paramref name="condition"/> every <paramref name="poll"/> (100 ms) until it holds;
    /// throws <see cref="OperationCanceledException"/> when it has not within <paramref name="timeout"/>.
    /// </summary>
    public static async Task HoldsAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan? poll = null)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!await condition())
        {
            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(100), deadline.Token);
        }
    }
}
