using System.Diagnostics;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Handlers;

/// <summary>Notes when OpenIddict starts on a token request, for <c>authrefresh.token_request.duration</c>.</summary>
internal sealed class StartTokenRequestClock : IOpenIddictServerHandler<ProcessRequestContext>
{
    public const string StartedAt = ".authrefresh_started_at";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessRequestContext>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireTokenRequest>()
            .UseSingletonHandler<StartTokenRequestClock>()
            .SetOrder(OpenIddictServerHandlers.Exchange.ExtractTokenRequest.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ProcessRequestContext context)
    {
        context.Transaction.Properties[StartedAt] = Stopwatch.GetTimestamp();
        return ValueTask.CompletedTask;
    }
}
