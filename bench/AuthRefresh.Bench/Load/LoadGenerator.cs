using System.Diagnostics;

namespace AuthRefresh.Bench.Load;

/// <summary>
/// Closed-loop load: <see cref="LoadSettings.Concurrency"/> workers each send a request, wait for
/// the answer and send the next. Requests that start during the warm-up are not counted.
/// </summary>
public static class LoadGenerator
{
    public static async Task<LoadResult> RunAsync(IScenario scenario, LoadSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.Concurrency, 1);

        var workers = await Task.WhenAll(Enumerable.Range(0, settings.Concurrency)
            .Select(i => scenario.CreateWorkerAsync(i, cancellationToken)));
        try
        {
            return await RunAsync(scenario.Name, workers, settings, cancellationToken);
        }
        finally
        {
            foreach (var worker in workers.OfType<IAsyncDisposable>())
            {
                await worker.DisposeAsync();
            }
        }
    }

    private static async Task<LoadResult> RunAsync(string scenario, IWorker[] workers, LoadSettings settings, CancellationToken cancellationToken)
    {
        if (settings.Ready is { } ready)
        {
            await ready(cancellationToken);
        }

        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(settings.WarmUp.TotalSeconds * Stopwatch.Frequency);
        var end = measureFrom + (long)(settings.Duration.TotalSeconds * Stopwatch.Frequency);
        var cpu = MeasureCpuAsync(settings.CpuOf, measureFrom, end, cancellationToken);
        var records = await Task.WhenAll(workers.Select(worker =>
            Task.Run(() => LoopAsync(worker, measureFrom, end, settings.StopWhen, cancellationToken), cancellationToken)));

        var result = LoadResult.From(scenario, settings, records);
        var (before, after) = await cpu;
        return result with
        {
            Cpu = ProcessCpu.PerRequest(before.Processes, after.Processes, result.Requests),
            Machine = before.Machine is { } from && after.Machine is { } to ? MachineShares.Between(from, to) : null,
        };
    }

    /// <summary>
    /// Reads the processes' CPU time, and the machine's, when counting starts and when it ends, so
    /// that it covers the same window as the counted requests (those started in it). The readings
    /// take a thread of their own: workers that answer without yielding would hold the thread
    /// pool's threads, and a reading that waited for one would come late.
    /// </summary>
    private static Task<(CpuReading Before, CpuReading After)> MeasureCpuAsync(
        IReadOnlyDictionary<string, int> processes, long measureFrom, long end, CancellationToken cancellationToken)
    {
        if (processes.Count == 0)
        {
            return Task.FromResult((CpuReading.None, CpuReading.None));
        }

        CpuReading Read() => new(processes.ToDictionary(p => p.Key, p => ProcessCpu.Read(p.Value)), ProcessCpu.ReadMachine());
        void WaitUntil(long timestamp)
        {
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
            if (wait > TimeSpan.Zero && cancellationToken.WaitHandle.WaitOne(wait))
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        return Task.Factory.StartNew(
            () =>
            {
                WaitUntil(measureFrom);
                var before = Read();
                WaitUntil(end);
                return (before, Read());
            },
            cancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    private static async Task<WorkerRecord> LoopAsync(IWorker worker, long measureFrom, long end, Func<bool>? stopWhen, CancellationToken cancellationToken)
    {
        var record = new WorkerRecord();
        while (!cancellationToken.IsCancellationRequested)
        {
            var sent = Stopwatch.GetTimestamp();
            if (sent >= end || stopWhen?.Invoke() == true)
            {
                break;
            }

            int status;
            try
            {
                status = await worker.SendAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException or InvalidOperationException)
            {
                status = 0;
                record.Failures.Add(ex.GetType().Name + ": " + ex.Message);
            }

            if (sent >= measureFrom)
            {
                record.Add(Stopwatch.GetTimestamp() - sent, status);
            }
        }

        return record;
    }
}
