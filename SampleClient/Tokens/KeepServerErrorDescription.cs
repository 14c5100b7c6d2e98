using OpenIddict.Client;
using static OpenIddict.Client.OpenIddictClientEvents;

namespace SampleClient.Tokens;

/// <summary>
/// Keeps AuthServer's <c>error_description</c> of a refused token request. OpenIddict's client
/// replaces it with a generic text, but the login page needs it to tell a locked account from a
/// wrong password (AuthServer's texts are stable, see <c>AuthRefresh.Shared.TokenErrors</c>).
/// </summary>
internal sealed class KeepServerErrorDescription : IOpenIddictClientHandler<HandleTokenResponseContext>
{
    public static OpenIddictClientHandlerDescriptor Descriptor { get; }
        = OpenIddictClientHandlerDescriptor.CreateBuilder<HandleTokenResponseContext>()
            .UseSingletonHandler<KeepServerErrorDescription>()
            .SetOrder(OpenIddictClientHandlers.Exchange.HandleErrorResponse.Descriptor.Order - 1)
            .SetType(OpenIddictClientHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(HandleTokenResponseContext context)
    {
        if (context.Response.Error is OpenIddict.Abstractions.OpenIddictConstants.Errors.InvalidGrant)
        {
            context.Reject(context.Response.Error, context.Response.ErrorDescription, context.Response.ErrorUri);
        }

        return ValueTask.CompletedTask;
    }
}
