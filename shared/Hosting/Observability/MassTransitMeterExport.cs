using System.Diagnostics.Metrics;
using MassTransit.Logging;
using MassTransit.Monitoring;
using Prometheus;

namespace NuPlanBus.Hosting.Observability;

/// <summary>
/// Exports MassTransit's own meter ("MassTransit", System.Diagnostics.Metrics) into a host's registry.
/// Names follow prometheus-net's adapter: <c>masstransit_messaging_masstransit_*</c>, with MassTransit's counters
/// as gauges (the adapter cannot know whether a meter counter was recreated) and its durations as
/// histograms in milliseconds, MassTransit's own unit (the HELP text starts with "(ms)").
/// </summary>
internal static class MassTransitMeterExport
{
    // MassTransit reports durations in milliseconds; these cover 1 ms … 5 min with few series per label set.
    internal static readonly double[] MillisecondBuckets = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000];

    public static IDisposable StartListening(CollectorRegistry registry)
    {
        EnsureProcessWideMeter();
        return MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = registry,
            // The default factory writes to prometheus-net's global registry, whatever Registry says.
            MetricFactory = Metrics.WithCustomRegistry(registry),
            InstrumentFilterPredicate = instrument => instrument.Meter.Name == InstrumentationOptions.MeterName,
            ResolveHistogramBuckets = instrument => instrument.Unit == "ms" ? MillisecondBuckets : MeterAdapterOptions.DefaultHistogramBuckets,
        });
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
}
