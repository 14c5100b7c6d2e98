using System.Diagnostics;

namespace AuthServer.Stores;

/// <summary>One grant's writes waiting in <see cref="SqliteGroupCommit"/>'s queue, and its answer.</summary>
internal abstract class GroupCommitWork
{
    /// <summary>The activity of the request that queued it.</summary>
    public Activity? Parent { get; } = Activity.Current;

    /// <summary>Runs the writes in the open transaction; whether they are kept.</summary>
    public abstract Task<bool> RunAsync(GroupCommitSession session);

    /// <summary>Answers the grant after the commit: its result, or how it failed.</summary>
    public abstract void Complete();

    public abstract void Fail(Exception exception);
}

/// <inheritdoc />
internal sealed class GroupCommitWork<T>(
    Func<GroupCommitSession, CancellationToken, Task<T>> write, Func<T, bool> keep, CancellationToken cancellationToken) : GroupCommitWork
{
    // Note: the grant's continuation must not run on the writer, which still holds the lock.
    private readonly TaskCompletionSource<T> _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;
    private bool _done;

    public Task<T> Task => _answer.Task;

    public override async Task<bool> RunAsync(GroupCommitSession session)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _result = await write(session, cancellationToken);
        return keep(_result);
    }

    public override void Complete()
    {
        if (!_done)
        {
            _answer.TrySetResult(_result!);
        }
    }

    public override void Fail(Exception exception)
    {
        _done = true;
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            _answer.TrySetCanceled(cancellationToken);
        }
        else
        {
            _answer.TrySetException(exception);
        }
    }
}
