using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace AuthServer.Hosting;

/// <summary>
/// Caps the request body of the protocol endpoints (<c>/connect/*</c>) at
/// <see cref="ServerSettings.MaxProtocolRequestBodySize"/>: a declared length over it is answered
/// 413 at once, without reading; a chunked body is cut off by Kestrel when it grows past it, and
/// <see cref="MalformedRequestHandler"/> answers 413 then.
/// </summary>
internal static class ProtocolBodyLimit
{
    public static void UseProtocolBodyLimit(this WebApplication app)
    {
        var limit = app.Services.GetRequiredService<IOptions<ServerSettings>>().Value.MaxProtocolRequestBodySize;
        app.Use((context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments("/connect", StringComparison.OrdinalIgnoreCase))
            {
                return next(context);
            }

            if (context.Request.ContentLength > limit)
            {
                return MalformedRequestHandler.WriteErrorAsync(context, StatusCodes.Status413PayloadTooLarge, MalformedRequestHandler.TooLarge, context.RequestAborted);
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = limit;
            }

            return next(context);
        });
    }
}
