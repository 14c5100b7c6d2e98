using AuthServer.Stores;
using AuthServer.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace AuthServer.Handlers;

/// <summary>
/// Creates the entry of a token being generated, to be saved with the sign-in's other writes
/// (<see cref="SaveTokenEntries"/>), and issues refresh tokens in this server's format
/// (<see cref="RefreshTokenFormat"/>): the handle becomes the token, so OpenIddict's JWT generation
/// and payload handlers skip it. In place of OpenIddict's <c>CreateTokenEntry</c>, whose contract it
/// keeps: the entry has the principal's login, client, subject, type and dates, and its id becomes
/// the principal's token id.
/// </summary>
internal sealed class StageTokenEntry(IOpenIddictApplicationManager applications, TokenWrites writes, RefreshTokenFormat format)
    : IOpenIddictServerHandler<GenerateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; }
        = OpenIddictServerHandlerDescriptor.CreateBuilder<GenerateTokenContext>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireDegradedModeDisabled>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireTokenStorageEnabled>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireTokenEntryCreated>()
            .UseScopedHandler<StageTokenEntry>()
            .SetOrder(OpenIddictServerHandlers.Protection.CreateTokenEntry.Descriptor.Order)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(GenerateTokenContext context)
    {
        var refreshToken = context.TokenType == TokenTypeIdentifiers.RefreshToken;
        if (context.IsReferenceToken && !refreshToken)
        {
            throw new NotSupportedException($"Reference tokens of type '{context.TokenType}' are not supported: only refresh tokens are.");
        }

        var entry = new NewToken
        {
            Type = context.TokenType,
            ApplicationId = await StageAuthorization.ApplicationIdAsync(applications, context.ClientId, context.CancellationToken),
            AuthorizationId = context.Principal.GetAuthorizationId(),
            Subject = context.TokenType is TokenTypeIdentifiers.Private.DeviceCode or TokenTypeIdentifiers.Private.UserCode
                ? null
                : context.Principal.GetClaim(Claims.Subject),
            CreationDate = context.Principal.GetCreationDate(),
            ExpirationDate = context.Principal.GetExpirationDate(),
        };
        context.Principal.SetTokenId(entry.Id);

        if (refreshToken && context.IsReferenceToken)
        {
            // Note: the successor of the presented token in a refresh grant, so that every
            // presentation of that token answers with the same one; a new handle for a new login.
            var presented = writes.Redeeming;
            var handle = presented is not null && context.Request?.RefreshToken is { Length: > 0 } presentedHandle
                ? format.SuccessorOf(presentedHandle, presented.Payload)
                : RefreshTokenFormat.NewHandle();
            entry.ReferenceId = RefreshTokenFormat.Obfuscate(handle);
            entry.Payload = format.Protect(context.Principal, entry.Id);
            entry.MayExist = presented is not null;
            context.Token = handle;
            context.PersistTokenPayload = false;
        }

        writes.Tokens.Add(entry);
    }
}
