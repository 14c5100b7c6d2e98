using System.Diagnostics;
using AuthRefresh.Bench.Load;
using AuthRefresh.Testing;

namespace Bench.Tests;

/// <summary>The CPU accounting of a run: read from /proc, divided by the requests counted.</summary>
[Collection(TimingCollection.Name)]
public sealed class ProcessCpuTests
{
    [Fact]
    public void The_times_are_read_past_a_name_that_holds_spaces_and_parentheses()
    {
        // Fields 14 and 15 (utime, stime) of a real stat line, behind a name that could fool a split.
        const string stat = "4242 (.NET TP (x) y) S 1 4242 4242 0 -1 4194560 1000 0 0 0 1234 567 0 0 20 0 30 0 100 0 0";

        Assert.Equal((1234L, 567L), ProcessCpu.ParseStat(stat));
    }

    [Fact]
    public void The_machine_times_are_read_from_the_first_line_of_proc_stat()
    {
        // A real line: user nice system idle iowait irq softirq steal guest guest_nice.
        const string line = "cpu  7586238 58443 1012304 2806768 109044 0 178409 52104 0 0";

        var time = ProcessCpu.ParseMachineStat(line);

        Assert.Equal(new MachineTime(Busy: 7586238 + 58443 + 1012304 + 178409, Idle: 2806768, IoWait: 109044, Steal: 52104), time);
    }

    [Fact]
    public void The_machine_shares_are_of_the_time_between_the_readings()
    {
        var before = new MachineTime(Busy: 1000, Idle: 500, IoWait: 10, Steal: 7);
        var after = new MachineTime(Busy: 1170, Idle: 520, IoWait: 14, Steal: 13);

        var shares = MachineShares.Between(before, after)!;

        Assert.Equal(10, shares.IdlePercent, precision: 6);
        Assert.Equal(2, shares.IoWaitPercent, precision: 6);
        Assert.Equal(3, shares.StealPercent, precision: 6);
        Assert.Null(MachineShares.Between(before, before));
    }

    [Fact]
    public void Cpu_per_request_is_the_time_used_between_the_readings_over_the_requests()
    {
        var before = new Dictionary<string, CpuTime?> { ["server"] = new CpuTime(10, 2), ["gone"] = new CpuTime(1, 1) };
        var after = new Dictionary<string, CpuTime?> { ["server"] = new CpuTime(12, 2.5), ["gone"] = null };

        var used = Assert.Single(ProcessCpu.PerRequest(before, after, requests: 1000));

        Assert.Equal("server", used.Process);
        Assert.Equal(2000, used.UserUs, precision: 6);
        Assert.Equal(500, used.SystemUs, precision: 6);
        Assert.Empty(ProcessCpu.PerRequest(before, after, requests: 0));
    }

    [Fact]
    public async Task A_busy_process_is_charged_its_cpu_and_never_more_than_the_machine_has()
    {
        var spin = new LoadSettings(2, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(0.5))
        {
            CpuOf = new Dictionary<string, int> { ["this process"] = Environment.ProcessId },
        };

        // Note: each spinning worker holds a pool thread for the whole run. Right after the test
        // host starts, the pool may have no thread free for the second one and add it only after
        // its injection delay, leaving a core idle for part of the window; so both get a thread.
        ThreadPool.GetMinThreads(out var workerThreads, out var completionThreads);
        ThreadPool.SetMinThreads(workerThreads + spin.Concurrency, completionThreads);
        LoadResult result;
        try
        {
            result = await LoadGenerator.RunAsync(new SpinScenario(), spin);
        }
        finally
        {
            ThreadPool.SetMinThreads(workerThreads, completionThreads);
        }

        var cpu = Assert.Single(result.Cpu);
        var machineUsPerRequest = Environment.ProcessorCount * result.DurationSeconds * 1e6 / result.Requests;
        // Each request spins 2 ms of wall time (less CPU if the core is shared), and the readings
        // have a 10 ms resolution over the 1 s window: a unit wrong by 100 fails either bound.
        Assert.InRange(cpu.TotalUs, 200, machineUsPerRequest * 1.1);

        // Two spinning workers keep at least one core busy, so at most the others can be idle.
        Assert.NotNull(result.Machine);
        Assert.InRange(result.Machine.IdlePercent, 0, 100.0 * (Environment.ProcessorCount - 1) / Environment.ProcessorCount);
    }

    /// <summary>Requests that cost CPU in this process and nothing else: 2 ms of spinning each.</summary>
    private sealed class SpinScenario : IScenario
    {
        public string Name => "spin";

        public Task<IWorker> CreateWorkerAsync(int index, CancellationToken cancellationToken) => Task.FromResult<IWorker>(new Worker());

        private sealed class Worker : IWorker
        {
            public Task<int> SendAsync(CancellationToken cancellationToken)
            {
                var until = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 500);
                while (Stopwatch.GetTimestamp() < until)
                {
                    Thread.SpinWait(100);
                }

                return Task.FromResult(200);
            }
        }
    }
}
