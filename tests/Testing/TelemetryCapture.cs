using System.Collections.Concurrent;
using System.Diagnostics;
using AuthRefresh.Bench.Servers;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Xunit;

namespace AuthRefresh.Testing;

/// <summary>
/// What one app exports, read back: its settings send OTLP to a real <see cref="OtlpCollector"/>
/// (so the app registers OpenTelemetry as it would for any collector), and
/// <see cref="Services"/> adds in-memory exporters beside it, which the tests read.
/// </summary>
/// <remarks>
/// OpenTelemetry listens to every meter and activity source of the process, so a test that reads
/// it runs in the <c>Timing</c> collection, alone.
/// </remarks>
public sealed class TelemetryCapture : IAsyncDisposable
{
    private readonly List<MetricSnapshot> _metrics = [];
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly List<LogRecord> _logs = [];

    private TelemetryCapture(OtlpCollector collector) => Collector = collector;

    public OtlpCollector Collector { get; }

    public static async Task<TelemetryCapture> StartAsync() => new(await OtlpCollector.StartAsync());

    /// <summary>The app's settings that name the collector, as the standard variables would.</summary>
    public Dictionary<string, string?> Settings(string serviceName, IDictionary<string, string?>? more = null)
    {
        var settings = Collector.ExporterSettings(serviceName).ToDictionary(pair => pair.Key, pair => (string?)pair.Value);
        foreach (var (key, value) in more ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }

    public void Services(IServiceCollection services)
    {
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(_metrics));
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(new QueueCollection(_spans)));
        services.ConfigureOpenTelemetryLoggerProvider(logging => logging.AddInMemoryExporter(_logs));
    }

    /// <summary>Flushes the app's providers: what it measured so far is exported (to memory and to the collector).</summary>
    public void Flush(IServiceProvider app)
    {
        Assert.True(app.GetRequiredService<MeterProvider>().ForceFlush(5000));
        Assert.True(app.GetRequiredService<TracerProvider>().ForceFlush(5000));
        Assert.True(app.GetRequiredService<LoggerProvider>().ForceFlush(5000));
    }

    /// <summary>The sum of a counter's points whose attributes include every one of <paramref name="attributes"/> (as of the last flush).</summary>
    public long Sum(string instrument, params (string Key, string Value)[] attributes)
        => Points(instrument, attributes).Sum(point => point.GetSumLong());

    /// <summary>How many values a histogram recorded with those attributes.</summary>
    public long Count(string instrument, params (string Key, string Value)[] attributes)
        => Points(instrument, attributes).Sum(point => point.GetHistogramCount());

    /// <summary>Every attribute set of an instrument, as "key=value,…", to say what was there when an assertion fails.</summary>
    public IReadOnlyList<string> Series(string instrument)
        => [.. Points(instrument, []).Select(point => string.Join(",", Tags(point).Select(tag => $"{tag.Key}={tag.Value}")))];

    public IReadOnlyList<Activity> Spans => [.. _spans];

    public IReadOnlyList<LogRecord> Logs
    {
        get
        {
            lock (_logs)
            {
                return [.. _logs];
            }
        }
    }

    /// <summary>Every text an exported span, log record or metric point carries: names, attribute values, messages.</summary>
    public IEnumerable<string> ExportedTexts()
    {
        foreach (var span in Spans)
        {
            yield return span.DisplayName;
            foreach (var tag in span.TagObjects)
            {
                yield return $"{tag.Key}={tag.Value}";
            }

            foreach (var spanEvent in span.Events)
            {
                yield return spanEvent.Name;
                foreach (var tag in spanEvent.Tags)
                {
                    yield return $"{tag.Key}={tag.Value}";
                }
            }
        }

        foreach (var record in Logs)
        {
            yield return record.FormattedMessage ?? "";
            yield return record.Body ?? "";
            yield return record.Exception?.ToString() ?? "";
            foreach (var attribute in record.Attributes ?? [])
            {
                yield return $"{attribute.Key}={attribute.Value}";
            }
        }

        foreach (var point in _metrics.SelectMany(metric => metric.MetricPoints))
        {
            foreach (var tag in Tags(point))
            {
                yield return $"{tag.Key}={tag.Value}";
            }
        }
    }

    public async ValueTask DisposeAsync() => await Collector.DisposeAsync();

    private IEnumerable<MetricPoint> Points(string instrument, (string Key, string Value)[] attributes)
    {
        MetricSnapshot? last;
        lock (_metrics)
        {
            last = _metrics.LastOrDefault(metric => metric.Name == instrument);
        }

        return last is null
            ? []
            : last.MetricPoints.Where(point => attributes.All(wanted => Tags(point).Any(tag => tag.Key == wanted.Key && Equals(tag.Value?.ToString(), wanted.Value))));
    }

    private static List<KeyValuePair<string, object?>> Tags(MetricPoint point)
    {
        var tags = new List<KeyValuePair<string, object?>>();
        foreach (var tag in point.Tags)
        {
            tags.Add(tag);
        }

        return tags;
    }

    // Note: spans end on request threads; the in-memory exporter adds to the collection it is given.
    private sealed class QueueCollection(ConcurrentQueue<Activity> queue) : ICollection<Activity>
    {
        public int Count => queue.Count;

        public bool IsReadOnly => false;

        public void Add(Activity item) => queue.Enqueue(item);

        public void Clear() => queue.Clear();

        public bool Contains(Activity item) => queue.Contains(item);

        public void CopyTo(Activity[] array, int arrayIndex) => queue.CopyTo(array, arrayIndex);

        public bool Remove(Activity item) => throw new NotSupportedException();

        public IEnumerator<Activity> GetEnumerator() => queue.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
