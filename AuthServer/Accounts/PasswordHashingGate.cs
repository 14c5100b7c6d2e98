using System.Threading.RateLimiting;
using AuthServer.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AuthServer.Accounts;

/// <summary>
/// Password verification as a bounded resource (<see cref="PasswordHashingSettings"/>): a
/// <see cref="ConcurrencyLimiter"/> with a short queue in front of every hash the token endpoint
/// computes, for a known user and for an unknown one alike.
/// </summary>
/// <remarks>
/// A request whose password is being verified holds its thread-pool thread while the hash runs
/// (<see cref="LowPriorityPasswordHasher"/>; Identity's hasher is synchronous). The pool starts
/// with one thread per core and adds more only slowly, so the gate raises the pool's minimum by
/// the verifications it lets run at once: a burst of logins leaves a thread per core to the rest.
/// </remarks>
public sealed class PasswordHashingGate : IDisposable
{
    private readonly IOptions<PasswordHashingSettings> _settings;
    private readonly ConcurrencyLimiter _limiter;

    public PasswordHashingGate(IOptions<PasswordHashingSettings> settings)
    {
        _settings = settings;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = settings.Value.MaxConcurrent,
            QueueLimit = settings.Value.QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        ReserveThreads(settings.Value.MaxConcurrent);
    }

    private static int s_reserved;

    /// <summary>Raises the thread pool's minimum once per process (tests start several servers in one).</summary>
    private static void ReserveThreads(int count)
    {
        if (Interlocked.CompareExchange(ref s_reserved, count, 0) == 0)
        {
            ThreadPool.GetMinThreads(out var workers, out var completionPorts);
            ThreadPool.SetMinThreads(workers + count, completionPorts);
        }
    }

    // The time a turn takes (a verification, and what the request does around it), as a moving
    // average in ticks; it starts at 100 ms, about one PBKDF2 verification on today's cores.
    private long _turnTicks = TimeSpan.FromMilliseconds(100).Ticks;

    /// <summary>
    /// Whether a verification asked for now would be refused: every permit is taken, and the queue
    /// is full or already holds more than <see cref="PasswordHashingSettings.QueueTimeout"/> of
    /// work. Cheap enough to ask before a request is even parsed.
    /// </summary>
    public bool IsFull
    {
        get
        {
            var statistics = _limiter.GetStatistics();
            if (statistics is null || statistics.CurrentAvailablePermits > 0)
            {
                return false;
            }

            var settings = _settings.Value;
            var wait = TimeSpan.FromTicks(Interlocked.Read(ref _turnTicks) * (statistics.CurrentQueuedCount + 1) / settings.MaxConcurrent);
            return statistics.CurrentQueuedCount >= settings.QueueLimit || wait > settings.QueueTimeout;
        }
    }

    /// <summary>
    /// A turn to verify one password, or null when the server has none to give soon enough (see
    /// <see cref="IsFull"/>; a turn that still is not given within the timeout is refused too):
    /// then the caller answers at once, without hashing. Dispose the turn when done.
    /// </summary>
    public async ValueTask<IDisposable?> EnterAsync(CancellationToken cancellationToken)
    {
        if (IsFull)
        {
            return null;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_settings.Value.QueueTimeout);
        RateLimitLease lease;
        try
        {
            lease = await _limiter.AcquireAsync(1, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        if (lease.IsAcquired)
        {
            return new Turn(this, lease);
        }

        lease.Dispose();
        return null;
    }

    private void Record(TimeSpan turn)
    {
        // Note: an average over the last eight turns or so; races between turns only blur it.
        var average = Interlocked.Read(ref _turnTicks);
        Interlocked.Exchange(ref _turnTicks, average + ((turn.Ticks - average) / 8));
    }

    private sealed class Turn(PasswordHashingGate gate, RateLimitLease lease) : IDisposable
    {
        private readonly long _start = System.Diagnostics.Stopwatch.GetTimestamp();

        public void Dispose()
        {
            gate.Record(System.Diagnostics.Stopwatch.GetElapsedTime(_start));
            lease.Dispose();
        }
    }

    /// <summary>
    /// Verifies <paramref name="password"/> against the hash of a random password, for a caller
    /// that has no account to check (unknown, or locked): it then takes as long to answer as a
    /// wrong password, and cannot be told apart by timing.
    /// </summary>
    public static void VerifyDecoy(IPasswordHasher<ApplicationUser> hasher, string password)
        => hasher.VerifyHashedPassword(new ApplicationUser(), DecoyHash.Value, password);

    public void Dispose() => _limiter.Dispose();

    private static class DecoyHash
    {
        public static readonly string Value = new PasswordHasher<ApplicationUser>().HashPassword(new ApplicationUser(), Guid.NewGuid().ToString());
    }
}
