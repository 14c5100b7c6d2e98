using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace AuthRefresh.Shared;

/// <summary>
/// Lets one write transaction of this process at a time reach the SQLite file, the others waiting
/// their turn in order.
/// </summary>
/// <remarks>
/// SQLite has one writer. Without this, concurrent writers collide on the lock, and
/// Microsoft.Data.Sqlite answers SQLITE_BUSY by sleeping 150 ms before it tries again: under load,
/// most requests that write wait a multiple of 150 ms. A queue in the process hands the lock from
/// one writer to the next without sleeping. <c>PRAGMA busy_timeout</c> (set on every connection)
/// makes SQLite itself wait for the other writers: other processes, such as the admin commands,
/// and explicit transactions that do not take their turn with <see cref="EnterAsync(DbContext, CancellationToken)"/>.
/// </remarks>
public sealed class SqliteWriteGate : DbConnectionInterceptor, ISaveChangesInterceptor
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    // The contexts saving now: each releases the gate once, whichever way its save ends.
    private readonly ConcurrentDictionary<DbContext, byte> _holders = new(ReferenceEqualityComparer.Instance);

    // Note: a SaveChanges inside an explicit transaction must not wait for the gate: the
    // transaction took its turn (EnterAsync) or is left to busy_timeout (migrations, deletions).
    private static bool InTransaction(DbContext? context) => context?.Database.CurrentTransaction is not null;

    /// <summary>
    /// Waits for the turn of an explicit write transaction on <paramref name="context"/>'s database
    /// and holds it until the result is disposed. A context without a gate (not SQLite) gets its
    /// turn at once: the database orders its writers itself.
    /// </summary>
    public static ValueTask<Turn> EnterAsync(DbContext context, CancellationToken cancellationToken)
        => Of(context) is { } gate ? gate.EnterAsync(cancellationToken) : default;

    /// <summary>The gate of <paramref name="context"/>'s database; none if it is not SQLite.</summary>
    public static SqliteWriteGate? Of(DbContext context)
        => context.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?
            .Interceptors?.OfType<SqliteWriteGate>().FirstOrDefault();

    /// <summary>Waits for the turn of a write transaction, held until the result is disposed.</summary>
    public async ValueTask<Turn> EnterAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        return new Turn(_gate);
    }

    /// <summary>A held turn of <see cref="EnterAsync(DbContext, CancellationToken)"/>; disposing it lets the next writer in.</summary>
    public readonly struct Turn(SemaphoreSlim? gate) : IDisposable
    {
        public void Dispose() => gate?.Release();
    }

    // The native connections that have their busy timeout: a pooled connection is opened again for
    // every query, but the setting stays with the native handle, so it is set once per handle.
    private readonly ConditionalWeakTable<object, object> _timedOut = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        => SetBusyTimeout(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        SetBusyTimeout(connection);
        return Task.CompletedTask;
    }

    /// <summary>The statement that makes a connection wait for the write lock (<see cref="SqliteDatabase.LockWaitSeconds"/>).</summary>
    public static readonly string BusyTimeout = $"PRAGMA busy_timeout = {SqliteDatabase.LockWaitSeconds * 1000};";

    private void SetBusyTimeout(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle } && _timedOut.TryAdd(handle, handle))
        {
            using var command = connection.CreateCommand();
            command.CommandText = BusyTimeout;
            command.ExecuteNonQuery();
        }
    }

    // SaveChanges without an explicit transaction: the gate is held around it.
    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { } context && !InTransaction(context))
        {
            _gate.Wait();
            _holders[context] = 0;
        }

        return result;
    }

    public async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context && !InTransaction(context))
        {
            await _gate.WaitAsync(cancellationToken);
            _holders[context] = 0;
        }

        return result;
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        ReleaseAfterSave(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        ReleaseAfterSave(eventData.Context);
        return ValueTask.FromResult(result);
    }

    // Note: a save that loses an optimistic concurrency check (EF Core's DbUpdateConcurrencyException)
    // does not count as failed: this is the only notice it gives. Without it, the gate stayed held
    // and every later write of the process waited for ever.
    public InterceptionResult ThrowingConcurrencyException(ConcurrencyExceptionEventData eventData, InterceptionResult result)
    {
        ReleaseAfterSave(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult> ThrowingConcurrencyExceptionAsync(
        ConcurrencyExceptionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        ReleaseAfterSave(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => ReleaseAfterSave(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ReleaseAfterSave(eventData.Context);
        return Task.CompletedTask;
    }

    public void SaveChangesCanceled(DbContextEventData eventData) => ReleaseAfterSave(eventData.Context);

    public Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default)
    {
        ReleaseAfterSave(eventData.Context);
        return Task.CompletedTask;
    }

    private void ReleaseAfterSave(DbContext? context)
    {
        if (context is not null && _holders.TryRemove(context, out _))
        {
            _gate.Release();
        }
    }
}
