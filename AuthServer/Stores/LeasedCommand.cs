using System.Data.Common;

namespace AuthServer.Stores;

/// <summary>
/// A command for one use: disposed after it if it was made for it, kept if it belongs to a
/// connection that reuses its compiled statements (<see cref="GroupCommitSession"/>).
/// </summary>
internal readonly struct LeasedCommand(DbCommand command, bool owned) : IDisposable, IAsyncDisposable
{
    public DbCommand Command { get; } = command;

    public static implicit operator DbCommand(LeasedCommand lease) => lease.Command;

    public void Dispose()
    {
        if (owned)
        {
            Command.Dispose();
        }
    }

    public ValueTask DisposeAsync() => owned ? Command.DisposeAsync() : ValueTask.CompletedTask;
}
