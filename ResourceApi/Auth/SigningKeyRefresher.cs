using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Validation;
using static OpenIddict.Validation.OpenIddictValidationEvents;

namespace ResourceApi.Auth;

/// <summary>
/// When a token is signed with a key the cached JWKS does not have (AuthServer rotated its keys),
/// fetches the JWKS again before validating, so the first request after a rotation succeeds.
/// OpenIddict alone would reject that request and refresh in the background. Fetches happen at most
/// once per <see cref="MinimumInterval"/>, so tokens with made-up key ids cannot flood AuthServer.
/// </summary>
internal sealed partial class SigningKeyRefresher(IHttpClientFactory httpClients, TimeProvider time, ILogger<SigningKeyRefresher> logger)
    : IOpenIddictValidationHandler<ValidateTokenContext>
{
    public const string HttpClientName = "jwks";
    private static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private DateTimeOffset _lastFetch = DateTimeOffset.MinValue;
    private IList<SecurityKey> _fetched = [];

    public static OpenIddictValidationHandlerDescriptor Descriptor { get; }
        = OpenIddictValidationHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .UseSingletonHandler<SigningKeyRefresher>()
            .SetOrder(OpenIddictValidationHandlers.Protection.ValidateIdentityModelToken.Descriptor.Order - 1)
            .SetType(OpenIddictValidationHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateTokenContext context)
    {
        var parameters = context.TokenValidationParameters;
        if (parameters is null || KeyIdOf(context.Token) is not { } keyId ||
            parameters.IssuerSigningKeys?.Any(key => key.KeyId == keyId) == true)
        {
            return;
        }

        var keys = await FetchAsync(context, keyId);
        if (keys.Any(key => key.KeyId == keyId))
        {
            parameters.IssuerSigningKeys = keys;

            // The cached configuration catches up in the background for the next requests.
            context.Options.ConfigurationManager?.RequestRefresh();
        }
    }

    private async Task<IList<SecurityKey>> FetchAsync(ValidateTokenContext context, string keyId)
    {
        await _gate.WaitAsync(context.CancellationToken);
        try
        {
            if (time.GetUtcNow() - _lastFetch < MinimumInterval)
            {
                return _fetched;
            }

            _lastFetch = time.GetUtcNow();
            var configuration = await context.Options.ConfigurationManager!.GetConfigurationAsync(context.CancellationToken);
            if (configuration.JsonWebKeySetUri is not { } jwksUri)
            {
                return _fetched;
            }

            LogUnknownKey(logger, keyId);
            var json = await httpClients.CreateClient(HttpClientName).GetStringAsync(jwksUri, context.CancellationToken);
            _fetched = new JsonWebKeySet(json).GetSigningKeys();
            return _fetched;
        }
        catch (Exception exception) when (exception is HttpRequestException or ArgumentException or TaskCanceledException)
        {
            LogFetchFailed(logger, exception.Message);
            return _fetched;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static string? KeyIdOf(string? token)
    {
        try
        {
            return token is not null && token.Count(c => c == '.') == 2 ? new JsonWebToken(token).Kid : null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "A token is signed with the unknown key {KeyId}: fetching the JWKS again.")]
    private static partial void LogUnknownKey(ILogger logger, string keyId);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "The JWKS could not be fetched again: {Reason}")]
    private static partial void LogFetchFailed(ILogger logger, string reason);
}
