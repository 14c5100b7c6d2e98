namespace AuthRefresh.Bench.Servers;

/// <summary>One span as an OTLP exporter sent it: its service, trace, parent and attributes.</summary>
public sealed record CollectedSpan(
    string Service, string TraceId, string SpanId, string ParentSpanId, string Name, IReadOnlyDictionary<string, string> Attributes);
