using Microsoft.Extensions.Logging;
using NuPlanBus.Common.Experiments;
using NuPlanBus.Common.Storage;
using NuPlanBus.Contracts;
using NuPlanBus.Domain.IO;
using NuPlanBus.Domain.Registries;
using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.Simulation;
using NuPlanBus.Hosting.Messaging;
using NuPlanBus.Hosting.Observability;
using NuPlanBus.Maps;
using NuPlanBus.Scenarios;
using NuPlanBus.Simulation.Components;
using NuPlanBus.Simulation.Logs;
using NuPlanBus.Simulation.Runners;

namespace NuPlanBus.SimWorker;

/// <summary>The outcome of one scenario: its report and, when written, where its simulation log is.</summary>
public sealed record ScenarioOutcome(RunnerReportRecord Report, string? SimulationLogPath);

/// <summary>
/// Simulates one scenario with error isolation: loading, simulating and writing the log can each fail, and
/// every failure becomes a failed report carrying the full trace instead of an exception.
/// </summary>
public sealed class ScenarioSimulator(
    NamedRegistry<IPlannerFactory> planners,
    NamedRegistry<IEgoControllerFactory> controllers,
    NamedRegistry<IObservationFactory> observations,
    TimeProvider clock,
    NuPlanBusMetrics metrics,
    MapProvider maps,
    ILogger<ScenarioSimulator> logger)
{
    /// <summary>Simulates <paramref name="descriptor"/>'s scenario, loaded (or not) by a <see cref="PartitionScenarioLoader"/>.</summary>
    public async Task<ScenarioOutcome> SimulateAsync(
        ScenarioDescriptor descriptor,
        ScenarioLoad load,
        SimulationSpec spec,
        string outputDirectory,
        CancellationToken cancellationToken)
    {
        var start = SimulationRunner.UnixSeconds(clock);
        var plannerName = spec.Planner;
        if (load.Error is { } loadError)
        {
            // The error may be shared by a whole group, so it is reported as it is rather than rethrown per scenario.
            logger.LogWarning("Scenario {ScenarioId} could not be loaded: {Error}", descriptor.ScenarioId, loadError.Message);
            return new ScenarioOutcome(FailedReport(descriptor, plannerName, loadError.ToString(), start, SimulationRunner.UnixSeconds(clock)), null);
        }
        RecordedScenario scenario;
        SimulationRunner runner;
        byte[]? logBytes = null;
        try
        {
            var planner = planners.Get(spec.Planner);
            var controller = controllers.Get(spec.Controller);
            var observation = observations.Get(spec.Observation);
            scenario = load.GetOrThrow();
            var callbacks = spec.WriteSimulationLog
                ? new[] { new SimulationLogCallback(bytes => logBytes = bytes) }
                : [];
            runner = SimulationBuilder.Build(scenario, planner, controller, observation, callbacks, clock: clock, map: MapOf(spec.Maps, scenario.MapName));
            plannerName = runner.Planner.Name;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning("Scenario {ScenarioId} could not be set up: {Error}", descriptor.ScenarioId, ex.Message);
            return new ScenarioOutcome(FailedReport(descriptor, plannerName, ex.ToString(), start, SimulationRunner.UnixSeconds(clock)), null);
        }

        var report = RunnerExecutor.Run(runner, exitOnFailure: false, logger, clock);
        var record = ToRecord(report, descriptor);
        metrics.ScenarioSimulated(report.PlannerName, report.Succeeded, report.Duration ?? 0);
        if (report.PlannerReport is { } plannerReport)
        {
            metrics.PlannerSteps(report.PlannerName, plannerReport.ComputeTrajectoryRuntimes);
        }
        if (!report.Succeeded || logBytes is null)
        {
            return new ScenarioOutcome(record, null);
        }

        var logPath = RunLayout.SimulationLog(outputDirectory, plannerName, scenario.ScenarioType, scenario.LogName, scenario.Token);
        try
        {
            await AtomicFile.WriteAllBytesAsync(logPath, logBytes, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The log write is callback work: its failure fails the report, as a failed callback future does in nuPlan.
            logger.LogWarning(ex, "Writing the simulation log of {ScenarioId} failed", descriptor.ScenarioId);
            return new ScenarioOutcome(record with
            {
                Succeeded = false,
                ErrorMessage = ex.ToString(),
                EndTime = SimulationRunner.UnixSeconds(clock),
            }, null);
        }
        return new ScenarioOutcome(record, logPath);
    }

    /// <summary>The scenario's map from the run's maps root (loaded once per process), or null for a run without maps.</summary>
    private NuPlanMap? MapOf(MapSpec? spec, string mapName) =>
        spec is null ? null : maps.Find(spec.Root, spec.Version, spec.AllowMissing, mapName);

    /// <summary>The report of a scenario that failed before or instead of its simulation.</summary>
    public static RunnerReportRecord FailedReport(ScenarioDescriptor descriptor, string plannerName, string error, double start, double end) => new()
    {
        Succeeded = false,
        ErrorMessage = error,
        StartTime = start,
        EndTime = end,
        ScenarioName = descriptor.Token,
        PlannerName = plannerName,
        LogName = descriptor.LogName,
        ScenarioType = descriptor.ScenarioType,
    };

    public static RunnerReportRecord ToRecord(RunnerReport report, ScenarioDescriptor descriptor)
    {
        var statistics = report.PlannerReport?.Summary();
        return new RunnerReportRecord
        {
            Succeeded = report.Succeeded,
            ErrorMessage = report.ErrorMessage,
            StartTime = report.StartTime,
            EndTime = report.EndTime,
            ScenarioName = report.ScenarioName,
            PlannerName = report.PlannerName,
            LogName = report.LogName,
            ScenarioType = descriptor.ScenarioType,
            ComputeTrajectoryRuntimesMean = NullIfNaN(statistics?.Mean),
            ComputeTrajectoryRuntimesMedian = NullIfNaN(statistics?.Median),
            ComputeTrajectoryRuntimesStd = NullIfNaN(statistics?.Std),
        };
    }

    private static double? NullIfNaN(double? value) => value is { } v && double.IsNaN(v) ? null : value;
}
