using System.Diagnostics;
using System.Threading.Channels;
using AuthRefresh.Shared;
using AuthServer.Telemetry;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace AuthServer.Stores;

/// <summary>
/// Commits the token writes of concurrent grants on SQLite together: one transaction and one
/// durable commit for all the grants waiting when the previous commit ended, each behind a
/// savepoint of its own, so that a grant whose writes are not kept (or fail) leaves the others'
/// in place. No grant waits for company: the first one in an idle queue is committed alone.
/// </summary>
/// <remarks>
/// SQLite has one writer, and a refresh's commit is mostly fixed cost: the fsync, the WAL frames of
/// the pages it touched, the statements' compilation, the page cache a pooled connection finds stale
/// because others wrote since (docs/PERFORMANCE.md). Here one long-lived connection writes, so its
/// statements stay compiled and its pages cached, and a batch shares the commit. A grant's task
/// completes only after the commit is durable, so an answer sent is never undone by a crash.
/// </remarks>
internal sealed class SqliteGroupCommit(AuthServerMetrics metrics) : IAsyncDisposable
{
    // Note: a bound on a transaction's size, so that one commit never holds the lock for long.
    private const int MostGrantsPerCommit = 64;

    private readonly Channel<GroupCommitWork> _queue = Channel.CreateUnbounded<GroupCommitWork>();
    private readonly Lock _starting = new();

    // Note: cancelled when the host stops and the queue has not drained within the lock wait.
    private readonly CancellationTokenSource _stopping = new();
    private Task? _writer;

    /// <summary>The grants waiting for their commit (for tests).</summary>
    internal int Waiting => _queue.Reader.Count;

    /// <summary>The transactions committed so far (for tests).</summary>
    internal int Commits => Volatile.Read(ref _commits);

    private int _commits;

    /// <summary>
    /// Runs <paramref name="write"/> in the next commit on <paramref name="context"/>'s SQLite
    /// database, and returns its result once that commit is durable. Its writes are kept if
    /// <paramref name="keep"/> says so, and undone, alone, if not or if it throws.
    /// </summary>
    public Task<T> RunAsync<T>(
        DbContext context, Func<GroupCommitSession, CancellationToken, Task<T>> write, Func<T, bool> keep, CancellationToken cancellationToken)
    {
        Start(context);
        var work = new GroupCommitWork<T>(write, keep, cancellationToken);
        if (!_queue.Writer.TryWrite(work))
        {
            throw new ObjectDisposedException(nameof(SqliteGroupCommit));
        }

        return work.Task;
    }

    private void Start(DbContext context)
    {
        if (Volatile.Read(ref _writer) is not null)
        {
            return;
        }

        lock (_starting)
        {
            if (_writer is null)
            {
                // Note: read here, on the caller's thread, while the context is the caller's.
                var connectionString = context.Database.GetConnectionString()!;
                var gate = SqliteWriteGate.Of(context) ?? throw new InvalidOperationException("The context has no SQLite write gate.");
                Volatile.Write(ref _writer, Task.Run(() => WriteAsync(connectionString, gate)));
            }
        }
    }

    private async Task WriteAsync(string connectionString, SqliteWriteGate gate)
    {
        GroupCommitSession? session = null;
        var batch = new List<GroupCommitWork>(MostGrantsPerCommit);
        try
        {
            while (await _queue.Reader.WaitToReadAsync())
            {
                // Note: the turn first, then the queue: the grants that came while this waited for
                // the lock join this commit.
                SqliteWriteGate.Turn turn;
                try
                {
                    turn = await gate.EnterAsync(_stopping.Token);
                }
                catch (OperationCanceledException)
                {
                    break; // the host stops and the lock is not coming
                }

                using (turn)
                {
                    while (batch.Count < MostGrantsPerCommit && _queue.Reader.TryRead(out var work))
                    {
                        batch.Add(work);
                    }

                    session = await CommitOrFailAsync(session, connectionString, batch);
                }

                batch.Clear();
            }
        }
        finally
        {
            // Note: a grant is never left waiting: whatever ends this loop fails those still queued.
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var abandoned))
            {
                abandoned.Fail(new ObjectDisposedException(nameof(SqliteGroupCommit)));
            }

            Close(session);
        }
    }

    // Returns the session the next batch goes on: this one, or none after a failure.
    private async Task<GroupCommitSession?> CommitOrFailAsync(GroupCommitSession? session, string connectionString, List<GroupCommitWork> batch)
    {
        try
        {
            session ??= await GroupCommitSession.OpenAsync(connectionString);
            await CommitAsync(session, batch);
            return session;
        }
        catch (Exception exception)
        {
            // The transaction failed as a whole (the lock, the disk): every grant in it fails, and
            // the next one starts on a new connection.
            foreach (var work in batch)
            {
                work.Fail(exception);
            }

            Close(session);
            return null;
        }
    }

    private static void Close(GroupCommitSession? session)
    {
        try
        {
            session?.Dispose();
        }
        catch (SqliteException)
        {
            // Note: the rollback of a transaction SQLite has ended itself; the connection is gone.
        }
    }

    private async Task CommitAsync(GroupCommitSession session, List<GroupCommitWork> batch)
    {
        session.Begin();
        var outer = Activity.Current;
        foreach (var work in batch)
        {
            // Note: the grant's database spans belong to its own request's trace.
            Activity.Current = work.Parent;
            session.Savepoint();
            try
            {
                if (await work.RunAsync(session))
                {
                    session.Release();
                }
                else
                {
                    session.RollbackToSavepoint();
                }
            }
            catch (Exception exception)
            {
                session.RollbackToSavepoint();
                work.Fail(exception);
            }
            finally
            {
                Activity.Current = outer;
            }
        }

        session.Commit();
        Interlocked.Increment(ref _commits);
        metrics.TokenWritesCommitted(batch.Count);
        foreach (var work in batch)
        {
            work.Complete();
        }
    }

    /// <summary>
    /// Commits the grants still queued, waiting for the lock as long as any writer would, then
    /// fails those the lock did not come for.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (!_queue.Writer.TryComplete())
        {
            return; // stopped already
        }

        _stopping.CancelAfter(TimeSpan.FromSeconds(SqliteDatabase.LockWaitSeconds));
        if (Volatile.Read(ref _writer) is { } writer)
        {
            // Note: not back on the caller's context. The host is often stopped by a thread that
            // then blocks until it is (a synchronous Dispose), and that context cannot run this.
            await writer.ConfigureAwait(false);
        }
    }
}
