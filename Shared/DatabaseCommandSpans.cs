using System.Data.Common;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AuthRefresh.Shared;

/// <summary>
/// A span for each command EF Core sends to SQLite, with its SQL text (whose values are
/// parameters, never exported) and no parameter value; <see cref="StartCommand"/> makes the same
/// for a command sent on EF Core's connection by hand. On PostgreSQL, Npgsql's own spans do this.
/// </summary>
/// <remarks>
/// An interceptor, not the OpenTelemetry EF Core instrumentation: that one listens to EF Core's
/// DiagnosticListener, which then raises every one of its events for it to sift. Under the refresh
/// load that cost AuthServer more than the spans themselves (docs/PERFORMANCE.md).
/// </remarks>
public sealed class DatabaseCommandSpans : DbCommandInterceptor
{
    public const string SourceName = "AuthRefresh.Database";

    public static DatabaseCommandSpans Instance { get; } = new();

    private static readonly ActivitySource Source = new(SourceName);
    private readonly ConditionalWeakTable<DbCommand, Activity> _running = new();

    private DatabaseCommandSpans()
    {
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        => Start(command, result);

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Start(command, result));

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
        => Start(command, result);

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Start(command, result));

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
        => Start(command, result);

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Start(command, result));

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
        => Stop(command, result);

    public override ValueTask<DbDataReader> ReaderExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Stop(command, result));

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
        => Stop(command, result);

    public override ValueTask<int> NonQueryExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Stop(command, result));

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
        => Stop(command, result);

    public override ValueTask<object?> ScalarExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
        => ValueTask.FromResult(Stop(command, result));

    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Fail(command, eventData.Exception);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Fail(command, eventData.Exception);
        return Task.CompletedTask;
    }

    public override void CommandCanceled(DbCommand command, CommandEndEventData eventData) => Stop(command, 0);

    public override Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Stop(command, 0);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The span of a command sent on EF Core's connection but not through EF Core (plain
    /// ADO.NET), which the interceptor does not see; the caller stops it when the command has run.
    /// Null when nothing listens, and on PostgreSQL, where Npgsql makes the span itself.
    /// </summary>
    public static Activity? StartCommand(DbCommand command)
        => command is SqliteCommand && Source.HasListeners() ? StartActivity(command.CommandText) : null;

    /// <summary>Marks <paramref name="span"/> failed by <paramref name="exception"/>; false, so that it serves as an exception filter.</summary>
    public static bool Failed(Activity? span, Exception exception)
    {
        span?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
        return false;
    }

    private static Activity? StartActivity(string text)
    {
        var activity = Source.StartActivity(Operation(text), ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("db.system.name", "sqlite");
            activity.SetTag("db.query.text", text);
        }

        return activity;
    }

    private T Start<T>(DbCommand command, T result)
    {
        if (Source.HasListeners() && StartActivity(command.CommandText) is { } activity)
        {
            _running.AddOrUpdate(command, activity);
        }

        return result;
    }

    private T Stop<T>(DbCommand command, T result)
    {
        if (_running.TryGetValue(command, out var activity))
        {
            _running.Remove(command);
            activity.Stop();
        }

        return result;
    }

    private void Fail(DbCommand command, Exception exception)
    {
        if (_running.TryGetValue(command, out var activity))
        {
            Failed(activity, exception);
            Stop(command, 0);
        }
    }

    // Note: the span is named for the statement's first keyword (SELECT, INSERT, ...), as the
    // semantic conventions ask, read without allocating more than the name.
    private static string Operation(string text)
    {
        var span = text.AsSpan().TrimStart();
        var end = span.IndexOfAny(" \n\r\t(");
        var keyword = end < 0 ? span : span[..end];
        return keyword.Length is > 0 and <= 16 ? keyword.ToString().ToUpperInvariant() : "sqlite";
    }
}
