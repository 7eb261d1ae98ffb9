using System.Collections.Concurrent;
using System.Reflection;
using Prometheus;

namespace NuPlanBus.Hosting.Observability;

/// <summary>
/// The NuPlanBus series of one host, in a registry of its own: several hosts in one process (tests, the
/// embedded mode) each export only what they recorded. Label values must come from bounded sets (planner
/// names, storage back ends and operations, barrier kinds); run names appear only on the per-run progress
/// gauges, whose series are removed when the run finishes or goes quiet for <see cref="RunSeriesRetention"/>.
/// </summary>
public sealed class NuPlanBusMetrics : IDisposable
{
    public const string Prefix = "nuplanbus_";

    /// <summary>Label value of <c>outcome</c> on <c>nuplanbus_scenarios_simulated_total</c>.</summary>
    public const string Succeeded = "succeeded";

    /// <inheritdoc cref="Succeeded"/>
    public const string Failed = "failed";

    // A scenario of a few hundred steps runs in tens of milliseconds on a GPU worker and up to a minute on CPU.
    internal static readonly double[] ScenarioBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60];

    // A planner step is 0.1 ms (constant velocity) to about a second (a learned planner on CPU).
    internal static readonly double[] PlannerStepBuckets = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

    // A barrier releases within a poll interval when everyone is there, or waits up to its timeout (minutes).
    internal static readonly double[] BarrierBuckets = [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

    private readonly TimeProvider _time;
    private readonly IDisposable _meterExport;
    private readonly ConcurrentDictionary<string, long> _runLastUpdate = new(StringComparer.Ordinal);

    private readonly Counter _scenariosSimulated;
    private readonly Histogram _scenarioDuration;
    private readonly Histogram _plannerStepDuration;
    private readonly Gauge _partitionsInFlight;
    private readonly Gauge _callbacksPending;
    private readonly Counter _callbacksFailed;
    private readonly Counter _reportFlips;
    private readonly Gauge _runExpected;
    private readonly Gauge _runSettled;
    private readonly Counter _runsCompleted;
    private readonly Counter _barrierWaits;
    private readonly Counter _barrierReleases;
    private readonly Counter _barrierTimeouts;
    private readonly Histogram _barrierWaitDuration;
    private readonly Counter _storageOperations;
    private readonly Counter _storageRetries;
    private readonly Counter _storageFailures;

    private long _pendingCallbacks;

    public NuPlanBusMetrics(string serviceName, TimeProvider? time = null, TimeSpan? runSeriesRetention = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceName);
        ServiceName = serviceName;
        _time = time ?? TimeProvider.System;
        RunSeriesRetention = runSeriesRetention ?? TimeSpan.FromHours(24);
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);

        _scenariosSimulated = factory.CreateCounter(Prefix + "scenarios_simulated_total",
            "Scenarios simulated, by planner and outcome (succeeded or failed).", "planner", "outcome");
        _scenarioDuration = factory.CreateHistogram(Prefix + "scenario_duration_seconds",
            "Wall time of one scenario's simulation, in seconds.",
            new HistogramConfiguration { LabelNames = ["planner"], Buckets = ScenarioBuckets });
        _plannerStepDuration = factory.CreateHistogram(Prefix + "planner_step_duration_seconds",
            "Time of one planner step (ComputeTrajectory), in seconds.",
            new HistogramConfiguration { LabelNames = ["planner"], Buckets = PlannerStepBuckets });
        _partitionsInFlight = factory.CreateGauge(Prefix + "partitions_in_flight",
            "Scenario partitions being simulated by this process now.");
        _callbacksPending = factory.CreateGauge(Prefix + "callbacks_pending",
            "Asynchronous callback work (metric computations) requested and not yet settled.");
        _callbacksFailed = factory.CreateCounter(Prefix + "callbacks_failed_total",
            "Asynchronous callbacks that failed (each fails its scenario's report).");
        _reportFlips = factory.CreateCounter(Prefix + "report_flips_total",
            "Runner reports flipped from succeeded to failed by a late callback failure.");
        _runExpected = factory.CreateGauge(Prefix + "run_scenarios_expected",
            "Scenarios expected in an active run (series removed when the run finishes).", "run");
        _runSettled = factory.CreateGauge(Prefix + "run_scenarios_settled",
            "Scenarios settled (report and callbacks done) in an active run (series removed when the run finishes).", "run");
        _runsCompleted = factory.CreateCounter(Prefix + "runs_completed_total",
            "Simulation runs completed (outputs written, completion published).");
        _barrierWaits = factory.CreateCounter(Prefix + "barrier_waits_total",
            "Barrier waits finished, by barrier kind (file or broker).", "kind");
        _barrierReleases = factory.CreateCounter(Prefix + "barrier_releases_total",
            "Barrier waits that ended with the barrier released, by barrier kind.", "kind");
        _barrierTimeouts = factory.CreateCounter(Prefix + "barrier_timeouts_total",
            "Barrier waits that ended with a timeout, by barrier kind.", "kind");
        _barrierWaitDuration = factory.CreateHistogram(Prefix + "barrier_wait_seconds",
            "Time a participant waited at a barrier, in seconds.",
            new HistogramConfiguration { LabelNames = ["kind"], Buckets = BarrierBuckets });
        _storageOperations = factory.CreateCounter(Prefix + "storage_operations_total",
            "Storage operations attempted, by back end (local or s3) and operation.", "backend", "operation");
        _storageRetries = factory.CreateCounter(Prefix + "storage_retries_total",
            "Storage operation retries, by back end and operation.", "backend", "operation");
        _storageFailures = factory.CreateCounter(Prefix + "storage_failures_total",
            "Storage operations that failed after their retries, by back end and operation.", "backend", "operation");

        factory.CreateGauge(Prefix + "build_info", "Build of this process; always 1.", "version", "service")
            .WithLabels(Version, serviceName).Set(1);

        // Process CPU, memory, threads and GC counts: these pass promtool, unlike the default registry's
        // event-counter and meter adapters, which are never attached to this registry.
        DotNetStats.Register(Registry);
        _meterExport = MassTransitMeterExport.StartListening(Registry);
        Registry.AddBeforeCollectCallback(ExpireQuietRuns);
    }

    /// <summary>The registry the management server's <c>/metrics</c> serves.</summary>
    public CollectorRegistry Registry { get; }

    public string ServiceName { get; }

    /// <summary>Informational version of the NuPlanBus assemblies (label <c>version</c> of <c>nuplanbus_build_info</c>).</summary>
    public static string Version { get; } =
        typeof(NuPlanBusMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(NuPlanBusMetrics).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>A run whose progress has not changed for this long loses its per-run series (a run that never completes).</summary>
    public TimeSpan RunSeriesRetention { get; }

    /// <summary>One scenario simulated by the runner (whatever its outcome), with its wall time in seconds.</summary>
    public void ScenarioSimulated(string planner, bool succeeded, double wallSeconds)
    {
        _scenariosSimulated.WithLabels(planner, succeeded ? Succeeded : Failed).Inc();
        _scenarioDuration.WithLabels(planner).Observe(wallSeconds);
    }

    /// <summary>The planner step times of one scenario, in seconds.</summary>
    public void PlannerSteps(string planner, IReadOnlyList<double> seconds)
    {
        ArgumentNullException.ThrowIfNull(seconds);
        var histogram = _plannerStepDuration.WithLabels(planner);
        for (var i = 0; i < seconds.Count; i++)
        {
            histogram.Observe(seconds[i]);
        }
    }

    /// <summary>Counts a partition as in flight until the returned handle is disposed (once; further disposals do nothing).</summary>
    public IDisposable TrackPartition()
    {
        _partitionsInFlight.Inc();
        return new InFlight(_partitionsInFlight);
    }

    /// <summary>
    /// One asynchronous callback requested. Use this pair in the process that awaits the results; a process
    /// that only knows the current count (the run saga) calls <see cref="SetCallbacksPending"/> instead.
    /// </summary>
    public void CallbackRequested() => _callbacksPending.Set(Interlocked.Increment(ref _pendingCallbacks));

    /// <summary>One asynchronous callback settled; a failed one also counts in <c>nuplanbus_callbacks_failed_total</c>.</summary>
    public void CallbackFinished(bool failed)
    {
        var pending = Interlocked.Decrement(ref _pendingCallbacks);
        if (pending < 0)
        {
            // A result for a request counted before a restart: pending cannot go below zero.
            Interlocked.CompareExchange(ref _pendingCallbacks, 0, pending);
            pending = 0;
        }

        _callbacksPending.Set(pending);
        if (failed)
        {
            _callbacksFailed.Inc();
        }
    }

    /// <summary>Sets the number of pending callbacks outright (from the saga's own bookkeeping).</summary>
    public void SetCallbacksPending(int pending)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pending);
        Interlocked.Exchange(ref _pendingCallbacks, pending);
        _callbacksPending.Set(pending);
    }

    /// <summary>A succeeded runner report was flipped to failed by a late callback failure.</summary>
    public void ReportFlipped() => _reportFlips.Inc();

    /// <summary>Progress of an active run, by run name. Call on every change; <see cref="RunFinished"/> removes the series.</summary>
    public void RunProgress(string run, int expected, int settled)
    {
        ArgumentException.ThrowIfNullOrEmpty(run);
        _runLastUpdate[run] = _time.GetTimestamp();
        _runExpected.WithLabels(run).Set(expected);
        _runSettled.WithLabels(run).Set(settled);
    }

    /// <summary>A run completed: counts it and removes its per-run series. Call once per run.</summary>
    public void RunFinished(string run)
    {
        ArgumentException.ThrowIfNullOrEmpty(run);
        RemoveRunSeries(run);
        _runsCompleted.Inc();
    }

    /// <summary>A participant's wait at a barrier ended, released or timed out. <paramref name="kind"/>: file or broker.</summary>
    public void BarrierWaited(string kind, double seconds, bool released)
    {
        _barrierWaits.WithLabels(kind).Inc();
        (released ? _barrierReleases : _barrierTimeouts).WithLabels(kind).Inc();
        _barrierWaitDuration.WithLabels(kind).Observe(seconds);
    }

    /// <summary>One storage operation attempted. <paramref name="backend"/>: local or s3; <paramref name="operation"/>: a fixed verb (read, write, list, exists, delete …).</summary>
    public void StorageOperation(string backend, string operation) => _storageOperations.WithLabels(backend, operation).Inc();

    public void StorageRetry(string backend, string operation) => _storageRetries.WithLabels(backend, operation).Inc();

    /// <summary>A storage operation that failed for good (retries exhausted, circuit open, or not retryable).</summary>
    public void StorageFailure(string backend, string operation) => _storageFailures.WithLabels(backend, operation).Inc();

    public void Dispose() => _meterExport.Dispose();

    private void RemoveRunSeries(string run)
    {
        _runLastUpdate.TryRemove(run, out _);
        _runExpected.RemoveLabelled(run);
        _runSettled.RemoveLabelled(run);
    }

    private void ExpireQuietRuns()
    {
        foreach (var (run, lastUpdate) in _runLastUpdate)
        {
            if (_time.GetElapsedTime(lastUpdate) >= RunSeriesRetention
                && ((ICollection<KeyValuePair<string, long>>)_runLastUpdate).Remove(new KeyValuePair<string, long>(run, lastUpdate)))
            {
                // Removed only if not updated meanwhile (the pair must still match).
                _runExpected.RemoveLabelled(run);
                _runSettled.RemoveLabelled(run);
            }
        }
    }

    private sealed class InFlight(Gauge gauge) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                gauge.Dec();
            }
        }
    }
}
