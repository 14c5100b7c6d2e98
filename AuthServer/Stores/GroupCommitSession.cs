using AuthRefresh.Shared;
using Microsoft.Data.Sqlite;

namespace AuthServer.Stores;

/// <summary>
/// <see cref="SqliteGroupCommit"/>'s connection: long-lived, used by one writer at a time, with its
/// statements compiled once and kept.
/// </summary>
internal sealed class GroupCommitSession : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _commands = [];
    private SqliteTransaction? _transaction;

    private GroupCommitSession(SqliteConnection connection) => _connection = connection;

    public static async Task<GroupCommitSession> OpenAsync(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync();
            var session = new GroupCommitSession(connection);
            // Note: as EF Core sets them on its own connections.
            session.Execute(SqliteWriteGate.BusyTimeout);
            session.Execute("PRAGMA foreign_keys = 1;");
            return session;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The command of <paramref name="text"/> in the open transaction, without parameters. It stays
    /// this session's: disposing the lease does not dispose it.
    /// </summary>
    public LeasedCommand Command(string text)
    {
        if (!_commands.TryGetValue(text, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = text;
            _commands[text] = command;
        }

        command.Parameters.Clear();
        command.Transaction = _transaction;
        return new LeasedCommand(command, owned: false);
    }

    public void Begin() => _transaction = _connection.BeginTransaction(deferred: false);

    public void Savepoint() => Execute("SAVEPOINT grant_writes;");

    public void Release() => Execute("RELEASE grant_writes;");

    public void RollbackToSavepoint()
    {
        Execute("ROLLBACK TO grant_writes;");
        Execute("RELEASE grant_writes;");
    }

    public void Commit()
    {
        var transaction = _transaction!;
        _transaction = null;
        try
        {
            transaction.Commit();
        }
        finally
        {
            transaction.Dispose();
        }
    }

    private void Execute(string text)
    {
        Command(text).Command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        try
        {
            _transaction?.Dispose();
        }
        finally
        {
            foreach (var command in _commands.Values)
            {
                command.Dispose();
            }

            _connection.Dispose();
        }
    }
}
