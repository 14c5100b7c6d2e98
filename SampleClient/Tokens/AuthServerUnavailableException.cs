using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SampleClient.Tokens;

/// <summary>
/// AuthServer did not answer the refresh (unreachable, timed out, or a 5xx): the session is kept,
/// with its tokens as they were, and the next request tries again.
/// </summary>
public sealed class AuthServerUnavailableException(string message) : Exception(message)
{
    /// <summary>
    /// Whether OpenIddict's client reported AuthServer itself as failing rather than refusing:
    /// the client reports a network error, a timeout and an answer that is not OAuth's JSON as
    /// <c>server_error</c>, which a token endpoint also sends for its own faults (RFC 6749 §5.2
    /// has no other code for them), and a server that sheds load says <c>temporarily_unavailable</c>.
    /// </summary>
    public static bool IsUnavailable(OpenIddictExceptions.ProtocolException exception)
        => exception.Error is Errors.ServerError or Errors.TemporarilyUnavailable;
}
