using System.Diagnostics;
using AuthServer.Telemetry;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Handlers;

/// <summary>
/// Counts each answer of the token endpoint (the tokens issued, or the error), records how long
/// it took, and tags the request's span with its grant type, client and outcome: never a token,
/// a code or a secret.
/// </summary>
internal sealed class MeasureTokenResponse(AuthServerMetrics metrics) : IOpenIddictServerHandler<ApplyTokenResponseContext>
{
    public const string Success = "success";
    public const string Rejected = "rejected";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
            .UseSingletonHandler<MeasureTokenResponse>()
            .SetOrder(OpenIddictServerHandlers.Exchange.NormalizeErrorResponse.Descriptor.Order + 2)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ApplyTokenResponseContext context)
    {
        var grantType = AuthServerMetrics.GrantOf(context.Request?.GrantType);
        var clientId = metrics.ClientOf(context.Request?.ClientId);
        var error = context.Error;
        if (string.IsNullOrEmpty(error))
        {
            Count(grantType, clientId, context.Response.AccessToken, "access");
            Count(grantType, clientId, context.Response.RefreshToken, "refresh");
            Count(grantType, clientId, context.Response.IdToken, "id");
        }
        else
        {
            metrics.TokenRequestRejected(grantType, clientId, error);
        }

        var outcome = string.IsNullOrEmpty(error) ? Success : Rejected;
        if (context.Transaction.Properties.TryGetValue(StartTokenRequestClock.StartedAt, out var started) && started is long startedAt)
        {
            metrics.TokenRequestCompleted(grantType, outcome, AuthServerMetrics.Since(startedAt));
        }

        if (Activity.Current is { IsAllDataRequested: true } span)
        {
            span.SetTag("authrefresh.grant_type", grantType);
            span.SetTag("authrefresh.client_id", clientId);
            span.SetTag("authrefresh.outcome", outcome);
            if (!string.IsNullOrEmpty(error))
            {
                span.SetTag("authrefresh.error", error);
            }
        }

        return ValueTask.CompletedTask;
    }

    private void Count(string grantType, string clientId, string? token, string tokenType)
    {
        if (!string.IsNullOrEmpty(token))
        {
            metrics.TokenIssued(grantType, clientId, tokenType);
        }
    }
}
