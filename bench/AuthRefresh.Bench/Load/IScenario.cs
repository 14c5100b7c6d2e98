namespace AuthRefresh.Bench.Load;

/// <summary>A kind of load: how each worker prepares (signs in once, say) and what it repeats.</summary>
public interface IScenario
{
    string Name { get; }

    Task<IWorker> CreateWorkerAsync(int index, CancellationToken cancellationToken);
}
