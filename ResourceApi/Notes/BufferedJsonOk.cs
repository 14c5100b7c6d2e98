using System.Buffers;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace ResourceApi.Notes;

/// <summary>
/// 200 with <see cref="Value"/> as JSON, as <see cref="Microsoft.AspNetCore.Http.HttpResults.Ok{TValue}"/>
/// answers it (same body, same content type, same OpenAPI metadata), but serialized whole by the
/// type's build-time serializer before anything is sent, so the response carries its
/// Content-Length and leaves in one write.
/// </summary>
/// <remarks>
/// Note: <c>Ok&lt;T&gt;</c> serializes through the application's <c>JsonOptions</c>, whose
/// options are not the generated context's own, so System.Text.Json runs the generated metadata
/// through its general converters rather than the generated writer, asynchronously, into a
/// chunked body, about twice the work of this one for the API's most frequent answer
/// (docs/PERFORMANCE.md). The body is
/// written before the handler returns, so one buffer per thread serves every request.
/// </remarks>
public sealed class BufferedJsonOk<TValue>(TValue value, JsonTypeInfo<TValue> typeInfo)
    : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<TValue>, IContentTypeHttpResult, IEndpointMetadataProvider
{
    public const string JsonContentType = "application/json; charset=utf-8";

    // Note: a buffer grown past this by an unusually large answer is not kept for the next one.
    private const int RetainedCapacity = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public TValue Value { get; } = value;

    object? IValueHttpResult.Value => Value;

    public int StatusCode => StatusCodes.Status200OK;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public string ContentType => JsonContentType;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        // Note: the strings are escaped and laid out as the application's JSON options say (ASP.NET
        // Core's relaxed escaping by default), so the bytes are those Ok<T> would have sent.
        var options = httpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        var writer = t_writer;
        if (writer is null || writer.Options.Encoder != options.Encoder || writer.Options.Indented != options.WriteIndented)
        {
            writer = t_writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = options.Encoder, Indented = options.WriteIndented });
        }

        try
        {
            writer.Reset(buffer);
            JsonSerializer.Serialize(writer, Value, typeInfo);
            writer.Flush();

            var response = httpContext.Response;
            response.StatusCode = StatusCode;
            response.ContentType = JsonContentType;
            response.ContentLength = buffer.WrittenCount;
            response.BodyWriter.Write(buffer.WrittenSpan);
        }
        finally
        {
            buffer.ResetWrittenCount();
            if (buffer.Capacity > RetainedCapacity)
            {
                t_buffer = null;
                t_writer = null;
            }
        }

        return Task.CompletedTask;
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(TValue), ["application/json"]));
    }
}
