using Microsoft.Extensions.Options;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Handlers;

/// <summary>
/// OpenIddict's server dispatcher, with its walk done once (<see cref="DispatchPlan"/>). The
/// contract is OpenIddict's <see cref="OpenIddictServerDispatcher"/>: the handlers of the event's
/// exact context type, in their order; a handler runs when every one of its filters is active; the
/// dispatch stops after the handler that handles, skips or rejects the request; what a handler
/// throws goes to the caller. Its debug messages go to the same category.
/// </summary>
internal sealed partial class IndexedDispatcher(
    ILogger<OpenIddictServerDispatcher> logger,
    IOptionsMonitor<OpenIddictServerOptions> options,
    IServiceProvider provider,
    DispatchPlan plan) : IOpenIddictServerDispatcher
{
    public async ValueTask DispatchAsync<TContext>(TContext context) where TContext : BaseContext
    {
        ArgumentNullException.ThrowIfNull(context);

        var debug = logger.IsEnabled(LogLevel.Debug);
        foreach (var step in plan.For<TContext>(options.CurrentValue))
        {
            if (!await IsActiveAsync(step, context))
            {
                continue;
            }

            var handler = step.Handler(provider);
            try
            {
                await handler.HandleAsync(context);
            }
            catch (Exception exception) when (debug)
            {
                LogHandlerFailed(exception, handler.GetType().FullName, typeof(TContext).FullName);
                throw;
            }

            if (debug)
            {
                LogHandled(typeof(TContext).FullName, handler.GetType().FullName);
            }

            var stop = context switch
            {
                BaseRequestContext { IsRequestHandled: true } => "handled the request",
                BaseRequestContext { IsRequestSkipped: true } => "skipped the request",
                BaseValidatingContext { IsRejected: true } => "rejected the request",
                _ => null,
            };
            if (stop is not null)
            {
                if (debug)
                {
                    LogStopped(typeof(TContext).FullName, handler.GetType().FullName, stop);
                }

                return;
            }
        }
    }

    private ValueTask<bool> IsActiveAsync<TContext>(DispatchStep<TContext> step, TContext context)
        where TContext : BaseContext
    {
        for (var index = 0; index < step.FilterCount; index++)
        {
            var active = step.Filter(index, provider).IsActiveAsync(context);
            if (!active.IsCompletedSuccessfully)
            {
                return AwaitFiltersAsync(step, context, index, active);
            }

            if (!active.Result)
            {
                return ValueTask.FromResult(false);
            }
        }

        return ValueTask.FromResult(true);
    }

    private async ValueTask<bool> AwaitFiltersAsync<TContext>(
        DispatchStep<TContext> step, TContext context, int index, ValueTask<bool> pending)
        where TContext : BaseContext
    {
        if (!await pending)
        {
            return false;
        }

        for (index++; index < step.FilterCount; index++)
        {
            if (!await step.Filter(index, provider).IsActiveAsync(context))
            {
                return false;
            }
        }

        return true;
    }

    [LoggerMessage(EventId = 6132, Level = LogLevel.Debug, Message = "The handler {Handler} threw while processing the event {Event}.")]
    private partial void LogHandlerFailed(Exception exception, string? handler, string? @event);

    [LoggerMessage(EventId = 6133, Level = LogLevel.Debug, Message = "The event {Event} was processed by {Handler}.")]
    private partial void LogHandled(string? @event, string? handler);

    [LoggerMessage(EventId = 6134, Level = LogLevel.Debug, Message = "The event {Event} stopped after {Handler}, which {Outcome}.")]
    private partial void LogStopped(string? @event, string? handler, string outcome);
}
