using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using MassTransit.Logging;
using MassTransit.Monitoring;
using Prometheus;

namespace NuPlanBus.Hosting.Observability;

/// <summary>
/// Exports MassTransit's own meter ("MassTransit", System.Diagnostics.Metrics) into a host's registry with Prometheus
/// naming: <c>messaging.masstransit.consume</c> (a counter) becomes <c>masstransit_consume_total</c>,
/// <c>messaging.masstransit.consume.duration</c> (milliseconds) the histogram <c>masstransit_consume_duration_seconds</c>,
/// <c>messaging.masstransit.consume.active</c> (a counter MassTransit moves up and down) the gauge <c>masstransit_consume_active</c>; tag names
/// lose their <c>messaging.masstransit.</c> prefix (<c>consumer_type</c>, <c>message_type</c>, <c>exception_type</c>, …).
/// The tags are code-level names (endpoints, message and consumer types), never message ids, so cardinality is bounded.
/// </summary>
internal sealed class MassTransitMeterExport : IDisposable
{
    /// <summary>1 ms … 5 min, in seconds.</summary>
    internal static readonly double[] SecondBuckets = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

    private static readonly ConcurrentDictionary<string, string> LabelNames = new(StringComparer.Ordinal);

    private readonly MeterListener _listener = new();
    private readonly IMetricFactory _factory;
    private readonly ConcurrentDictionary<Instrument, Family> _families = new();

    private MassTransitMeterExport(CollectorRegistry registry)
    {
        _factory = Metrics.WithCustomRegistry(registry);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == InstrumentationOptions.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public static IDisposable StartListening(CollectorRegistry registry)
    {
        EnsureProcessWideMeter();
        return new MassTransitMeterExport(registry);
    }

    /// <summary>
    /// MassTransit creates its meter once per process, from the IMeterFactory of the first bus's container when it
    /// has one; that factory disposes the meter with its host, and every later host in the process (tests, a CLI
    /// that runs several embedded hosts) would export no MassTransit series. Configuring it first with a meter of
    /// its own keeps it alive for the process. Idempotent; MassTransit ignores later configuration.
    /// </summary>
    public static void EnsureProcessWideMeter()
    {
        var options = new InstrumentationOptions();
        new ConfigureDefaultInstrumentationOptions().Configure(options);
        LogContextInstrumentationExtensions.TryConfigure(options);
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>Runs inside MassTransit's pipeline: it must never throw, or a consume would never complete.</summary>
    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        try
        {
            if (!_families.TryGetValue(instrument, out var family))
            {
                // The label names are fixed by the instrument's first measurement (MassTransit tags each instrument alike).
                var names = new string[tags.Length];
                for (var i = 0; i < tags.Length; i++)
                {
                    names[i] = LabelName(tags[i].Key);
                }
                family = _families.GetOrAdd(instrument, i => Family.Create(_factory, i, names.Distinct(StringComparer.Ordinal).ToArray()));
            }
            family.Record(value, tags);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            // A measurement that does not fit its family (e.g. other labels) is dropped; the message still flows.
        }
    }

    internal static string MetricName(string instrumentName)
    {
        var name = instrumentName.StartsWith("messaging.", StringComparison.Ordinal) ? instrumentName["messaging.".Length..] : instrumentName;
        return Sanitize(name);
    }

    /// <summary>The Prometheus label of a MassTransit tag; tags are a small fixed set, so each is mapped once.</summary>
    internal static string LabelName(string tag) => LabelNames.GetOrAdd(tag, ToLabelName);

    private static string ToLabelName(string tag)
    {
        foreach (var prefix in (ReadOnlySpan<string>)["messaging.masstransit.", "messaging."])
        {
            if (tag.StartsWith(prefix, StringComparison.Ordinal))
            {
                return Sanitize(tag[prefix.Length..]);
            }
        }
        return Sanitize(tag);
    }

    private static string Sanitize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? char.ToLowerInvariant(c) : '_');
        }
        return builder.ToString();
    }

    /// <summary>One exported family and how a measurement lands in it.</summary>
    private sealed class Family
    {
        private readonly string[] _labelNames;
        private readonly Action<string[], double> _record;

        private Family(string[] labelNames, Action<string[], double> record)
        {
            _labelNames = labelNames;
            _record = record;
        }

        public static Family Create(IMetricFactory factory, Instrument instrument, string[] labelNames)
        {
            var name = MetricName(instrument.Name);
            var help = string.IsNullOrWhiteSpace(instrument.Description) ? instrument.Name : instrument.Description!;
            var type = instrument.GetType().GetGenericTypeDefinition();
            // MassTransit counts messages in progress with a Counter it adds +1 and −1 to: that is a level, not a counter.
            if (type == typeof(UpDownCounter<>) || (type == typeof(Counter<>) && instrument.Name.EndsWith(".active", StringComparison.Ordinal)))
            {
                var level = factory.CreateGauge(name, help, labelNames);
                return new Family(labelNames, (labels, value) => level.WithLabels(labels).Inc(value));
            }
            if (type == typeof(Counter<>))
            {
                var counter = factory.CreateCounter(name + "_total", help, labelNames);
                return new Family(labelNames, (labels, value) => counter.WithLabels(labels).Inc(value));
            }
            if (type == typeof(Histogram<>) && instrument.Unit == "ms")
            {
                var histogram = factory.CreateHistogram(name + "_seconds", help + " (seconds)", labelNames, new HistogramConfiguration { Buckets = SecondBuckets });
                return new Family(labelNames, (labels, value) => histogram.WithLabels(labels).Observe(value / 1000.0));
            }
            if (type == typeof(Histogram<>))
            {
                var histogram = factory.CreateHistogram(name, help, labelNames);
                return new Family(labelNames, (labels, value) => histogram.WithLabels(labels).Observe(value));
            }
            // Observable instruments are only read on collection, which MassTransit's meter does not use.
            return new Family(labelNames, (_, _) => { });
        }

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var values = new string[_labelNames.Length];
            Array.Fill(values, string.Empty);
            foreach (var tag in tags)
            {
                var index = Array.IndexOf(_labelNames, LabelName(tag.Key));
                if (index >= 0)
                {
                    values[index] = Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? string.Empty;
                }
            }
            _record(values, value);
        }
    }
}
