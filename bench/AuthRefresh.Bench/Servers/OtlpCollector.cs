using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace AuthRefresh.Bench.Servers;

/// <summary>
/// A stand-in OpenTelemetry collector on 127.0.0.1: it accepts OTLP over HTTP with protobuf
/// (<c>/v1/traces</c>, <c>/v1/metrics</c>, <c>/v1/logs</c>), as any collector would, keeps every
/// payload and reads the spans out of the trace exports. The benchmark points the apps at it to
/// measure what exporting costs; the tests read what the apps sent.
/// </summary>
public sealed class OtlpCollector : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(string Signal, byte[] Body)> _payloads = new();

    private OtlpCollector(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The value for <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (with <c>OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf</c>).</summary>
    public Uri Address { get; }

    public static async Task<OtlpCollector> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var collector = (OtlpCollector?)null;
        app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            await using var body = new MemoryStream();
            var source = request.Headers.ContentEncoding == "gzip" ? new GZipStream(request.Body, CompressionMode.Decompress) : request.Body;
            await source.CopyToAsync(body, request.HttpContext.RequestAborted);
            collector!._payloads.Enqueue((signal, body.ToArray()));
            return Results.Bytes([], "application/x-protobuf");
        });
        await app.StartAsync(cancellationToken);
        collector = new OtlpCollector(app, new Uri(app.Urls.First()));
        return collector;
    }

    /// <summary>
    /// The settings that send an app's telemetry here, as the standard variables: with the SDK's
    /// default export intervals, as a deployment runs (the benchmark), or <paramref name="quickly"/>,
    /// every fraction of a second (the tests, which wait for what was sent).
    /// </summary>
    public IReadOnlyDictionary<string, string> ExporterSettings(string serviceName, bool quickly = true)
    {
        var settings = new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Address.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = serviceName,
        };
        if (quickly)
        {
            settings["OTEL_BSP_SCHEDULE_DELAY"] = "200";
            settings["OTEL_BLRP_SCHEDULE_DELAY"] = "200";
            settings["OTEL_METRIC_EXPORT_INTERVAL"] = "1000";
        }

        return settings;
    }

    /// <summary>How many exports of <paramref name="signal"/> (traces, metrics, logs) arrived.</summary>
    public int Exports(string signal) => _payloads.Count(payload => payload.Signal == signal);

    /// <summary>Whether any payload received, of any signal, holds <paramref name="text"/> in UTF-8.</summary>
    public bool AnyPayloadContains(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return _payloads.Any(payload => payload.Body.AsSpan().IndexOf(bytes) >= 0);
    }

    /// <summary>Every span received so far.</summary>
    public IReadOnlyList<CollectedSpan> Spans()
        => [.. _payloads.Where(payload => payload.Signal == "traces").SelectMany(payload => ReadTraces(payload.Body))];

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    // ExportTraceServiceRequest { 1: ResourceSpans[] }; ResourceSpans { 1: Resource, 2: ScopeSpans[] };
    // Resource { 1: KeyValue[] }; ScopeSpans { 2: Span[] };
    // Span { 1: trace_id, 2: span_id, 4: parent_span_id, 5: name, 9: KeyValue[] }.
    private static IEnumerable<CollectedSpan> ReadTraces(byte[] request)
    {
        foreach (var resourceSpans in Protobuf.Messages(request, 1))
        {
            var service = Protobuf.Messages(resourceSpans, 1).SelectMany(resource => Protobuf.Attributes(resource, 1))
                .FirstOrDefault(attribute => attribute.Key == "service.name").Value ?? "";
            foreach (var span in Protobuf.Messages(resourceSpans, 2).SelectMany(scope => Protobuf.Messages(scope, 2)))
            {
                yield return new CollectedSpan(
                    service,
                    Convert.ToHexStringLower(Protobuf.Bytes(span, 1)),
                    Convert.ToHexStringLower(Protobuf.Bytes(span, 2)),
                    Convert.ToHexStringLower(Protobuf.Bytes(span, 4)),
                    Encoding.UTF8.GetString(Protobuf.Bytes(span, 5)),
                    Protobuf.Attributes(span, 9).GroupBy(attribute => attribute.Key).ToDictionary(group => group.Key, group => group.First().Value));
            }
        }
    }

    /// <summary>Just enough of the protobuf wire format to read the fields above.</summary>
    private static class Protobuf
    {
        public static IEnumerable<byte[]> Messages(byte[] message, int field)
            => Fields(message).Where(f => f.Number == field && f.Value is not null).Select(f => f.Value!);

        public static byte[] Bytes(byte[] message, int field) => Messages(message, field).FirstOrDefault() ?? [];

        // KeyValue { 1: key, 2: AnyValue { 1: string_value, 2: bool, 3: int, 4: double } }: strings and numbers as text.
        public static IEnumerable<KeyValuePair<string, string>> Attributes(byte[] message, int field)
        {
            foreach (var keyValue in Messages(message, field))
            {
                var key = Encoding.UTF8.GetString(Bytes(keyValue, 1));
                var value = Fields(Bytes(keyValue, 2)).FirstOrDefault();
                yield return new(key, value.Value is not null ? Encoding.UTF8.GetString(value.Value) : value.Number == 0 ? "" : value.Scalar.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        private static List<(int Number, byte[]? Value, ulong Scalar)> Fields(byte[] message)
        {
            var fields = new List<(int, byte[]?, ulong)>();
            var position = 0;
            while (position < message.Length)
            {
                var tag = Varint(message, ref position);
                var number = (int)(tag >> 3);
                switch (tag & 7)
                {
                    case 0:
                        fields.Add((number, null, Varint(message, ref position)));
                        break;
                    case 1:
                        fields.Add((number, null, BitConverter.ToUInt64(message, position)));
                        position += 8;
                        break;
                    case 2:
                        var length = (int)Varint(message, ref position);
                        fields.Add((number, message[position..(position + length)], 0));
                        position += length;
                        break;
                    case 5:
                        fields.Add((number, null, BitConverter.ToUInt32(message, position)));
                        position += 4;
                        break;
                    default:
                        throw new InvalidDataException($"Unknown protobuf wire type {tag & 7}.");
                }
            }

            return fields;
        }

        private static ulong Varint(byte[] message, ref int position)
        {
            ulong value = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = message[position++];
                value |= (ulong)(b & 0x7f) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }
        }
    }
}
