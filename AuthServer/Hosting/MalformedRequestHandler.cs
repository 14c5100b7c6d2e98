using Microsoft.AspNetCore.Diagnostics;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AuthServer.Hosting;

/// <summary>
/// Answers a request whose body cannot be read (a form with invalid characters, a body over the
/// size limits, a truncated upload) with 400 (413 for a body over the size limit) and an RFC 6749
/// §5.2 error, instead of a 500: the
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
        if (exception is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            await WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, TooLarge, cancellationToken);
        }
        else
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, "The request body is malformed.", cancellationToken);
        }

        return true;
    }

    public const string TooLarge = "The request body is larger than this endpoint accepts.";

    /// <summary>Writes an RFC 6749 §5.2 <c>invalid_request</c> error with the given status.</summary>
    public static Task WriteErrorAsync(HttpContext context, int status, string description, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = status;
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(
            new Dictionary<string, string>
            {
                [Parameters.Error] = Errors.InvalidRequest,
                [Parameters.ErrorDescription] = description,
            },
            cancellationToken);
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Refused a malformed request to {Path} ({Reason}).")]
    private static partial void LogMalformed(ILogger logger, PathString path, string reason);
}
