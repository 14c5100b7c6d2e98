using System.Collections.Concurrent;
using AuthRefresh.Bench.Load;
using AuthRefresh.Testing;

namespace Bench.Tests;

/// <summary>The order of a run: workers get ready (sign in), the suite's wait, then the load.</summary>
[Collection(TimingCollection.Name)]
public sealed class LoadGeneratorTests
{
    [Fact]
    public async Task The_run_waits_for_ready_after_the_workers_are_created_and_before_any_request()
    {
        var events = new ConcurrentQueue<string>();
        var settings = new LoadSettings(3, TimeSpan.FromSeconds(0.3), TimeSpan.Zero)
        {
            Ready = async cancellationToken =>
            {
                events.Enqueue("ready");
                await Task.Delay(TimeSpan.FromSeconds(0.5), cancellationToken);
            },
        };

        var result = await LoadGenerator.RunAsync(new RecordingScenario(events), settings);

        var order = events.ToArray();
        Assert.Equal(["create", "create", "create", "ready"], order[..4]);
        Assert.All(order[4..], e => Assert.Equal("send", e));
        Assert.True(result.Requests > 0);
    }

    private sealed class RecordingScenario(ConcurrentQueue<string> events) : IScenario
    {
        public string Name => "recording";

        public Task<IWorker> CreateWorkerAsync(int index, CancellationToken cancellationToken)
        {
            events.Enqueue("create");
            return Task.FromResult<IWorker>(new Worker(events));
        }

        private sealed class Worker(ConcurrentQueue<string> events) : IWorker
        {
            public async Task<int> SendAsync(CancellationToken cancellationToken)
            {
                events.Enqueue("send");
                await Task.Delay(10, cancellationToken);
                return 200;
            }
        }
    }
}
