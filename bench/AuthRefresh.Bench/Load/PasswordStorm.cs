using System.Collections.Concurrent;
using System.Diagnostics;

namespace AuthRefresh.Bench.Load;

/// <summary>
/// An open-loop burst of password grants: a given rate of requests a second, each sent on
/// its schedule whatever the answers before it (a storm does not wait for the server), each for
/// one of the seeded users with the right password. Counts the answers by status.
/// </summary>
public static class PasswordStorm
{
    public static async Task<StormResult> RunAsync(BenchTarget target, double rate, TimeSpan duration, CancellationToken cancellationToken)
    {
        var statuses = new ConcurrentDictionary<int, int>();
        var inFlight = new List<Task>();
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; ; i++)
        {
            var due = TimeSpan.FromSeconds(i / rate);
            if (due >= duration)
            {
                break;
            }

            var wait = due - Stopwatch.GetElapsedTime(start);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            var user = target.UserName(i);
            inFlight.Add(Task.Run(async () =>
            {
                int status;
                try
                {
                    status = (await target.Tokens.PasswordAsync(user, cancellationToken)).Status;
                }
                catch (HttpRequestException)
                {
                    status = 0;
                }

                statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            }, cancellationToken));
        }

        await Task.WhenAll(inFlight);
        return new StormResult(rate, duration, statuses.ToDictionary(p => p.Key, p => p.Value));
    }
}
