namespace AuthRefresh.Testing;

public static class AtOnce
{
    /// <summary>Starts <paramref name="count"/> calls of <paramref name="send"/> released at the same moment, and waits for all.</summary>
    public static async Task<T[]> RunAsync<T>(int count, Func<Task<T>> send)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var requests = Enumerable.Range(0, count).Select(async _ =>
        {
            await start.Task;
            return await send();
        }).ToList();
        start.SetResult();
        return await Task.WhenAll(requests).WaitAsync(TimeSpan.FromSeconds(90));
    }
}
