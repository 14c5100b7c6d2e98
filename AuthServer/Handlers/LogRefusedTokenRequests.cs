using AuthServer.Admin;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Handlers;

/// <summary>
/// Logs each refused token request once, with its error and the client, never a token or a
/// secret. OpenIddict's own log category is at Warning outside Development (appsettings.json):
/// at Information it writes every request and response as JSON, which costs a refresh more than
/// its database work; this keeps the refusals an operator needs, and counts them for the admin
/// dashboard (<see cref="RefusalCounter"/>).
/// </summary>
internal sealed partial class LogRefusedTokenRequests(RefusalCounter refusals, TimeProvider time, ILogger<LogRefusedTokenRequests> logger) : IOpenIddictServerHandler<ApplyTokenResponseContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .UseSingletonHandler<LogRefusedTokenRequests>()
            .SetOrder(OpenIddictServerHandlers.Exchange.NormalizeErrorResponse.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        if (!string.IsNullOrEmpty(context.Error))
        {
            refusals.Record(time.GetUtcNow());
            LogRefused(logger, context.Request?.GrantType, context.Request?.ClientId, context.Error, context.Response.ErrorDescription);
        }

        return ValueTask.CompletedTask;
    }

    [LoggerMessage(EventId = 7301, Level = LogLevel.Information,
        Message = "Token request refused: grant {GrantType}, client {ClientId}: {Error} ({Description}).")]
    private static partial void LogRefused(ILogger logger, string? grantType, string? clientId, string error, string? description);
}
