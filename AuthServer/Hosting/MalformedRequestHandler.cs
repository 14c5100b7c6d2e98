using Microsoft.AspNetCore.Diagnostics;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AuthServer.Hosting;

/// <summary>
/// Answers a request whose body cannot be read (a form with invalid characters, a body over the
/// size limits, a truncated upload) with 400 and an RFC 6749 §5.2 error, instead of a 500: the
/// fault is the client's, and OpenIddict reads the form before any endpoint code runs.
/// </summary>
internal sealed partial class MalformedRequestHandler(ILogger<MalformedRequestHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not (InvalidDataException or BadHttpRequestException) || context.Response.HasStarted)
        {
            return false;
        }

        LogMalformed(logger, context.Request.Path, exception.GetType().Name);
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsJsonAsync(
            new Dictionary<string, string>
            {
                [Parameters.Error] = Errors.InvalidRequest,
                [Parameters.ErrorDescription] = "The request body is malformed.",
            },
            cancellationToken);
        return true;
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Refused a malformed request to {Path} ({Reason}).")]
    private static partial void LogMalformed(ILogger logger, PathString path, string reason);
}
