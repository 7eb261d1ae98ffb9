using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using NuPlanBus.Common.Experiments;
using NuPlanBus.Contracts;
using NuPlanBus.Coordinator.Runs;
using NuPlanBus.Domain.IO;
using NuPlanBus.Metrics.Aggregation;
using NuPlanBus.Metrics.Output;

namespace NuPlanBus.Coordinator.Outputs;

/// <summary>
/// Writes a finished run's outputs from its settled state: the runner report, the merged metric tables and the JSON
/// summary. Everything is derived from persisted state and files, so writing twice gives the same result. One node of a
/// batch job writes only its part (<see cref="WriteNodePartAsync"/>); node 0 writes the run outputs from all parts.
/// </summary>
public sealed class RunOutputWriter(TimeProvider clock, ILogger<RunOutputWriter> logger)
{
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes the outputs of a completed run saga: the run outputs, or a batch node's part.</summary>
    public async Task WriteAsync(SimulationRunState run, CancellationToken cancellationToken)
    {
        var record = RunRecord.From(run, clock.GetUtcNow().UtcDateTime);
        if (run.NodeRank is { } rank)
        {
            await WriteNodePartAsync(record, rank, cancellationToken);
            return;
        }
        await WriteAsync(record, cancellationToken);
    }

    /// <summary>
    /// One node's part of a batch run: <c>runner_report_&lt;rank&gt;.parquet</c> (the devkit had every node overwrite one
    /// report) and <c>nodes/&lt;rank&gt;.json</c>, from which node 0 writes the run outputs.
    /// </summary>
    public async Task WriteNodePartAsync(RunRecord part, int rank, CancellationToken cancellationToken)
    {
        var reports = part.Scenarios.Select(s => s.Report).ToList();
        await RunnerReportParquet.WriteAsync(RunLayout.NodeRunnerReport(part.OutputDirectory, rank), reports, cancellationToken);
        var json = JsonSerializer.SerializeToUtf8Bytes(part, JsonOptions);
        await AtomicFile.WriteAllBytesAsync(RunLayout.NodePart(part.OutputDirectory, rank), json, cancellationToken);
        logger.LogInformation("Saved the part of node {Rank}: {Count} scenarios", rank, reports.Count);
    }

    public static async Task<RunRecord> ReadNodePartAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<RunRecord>(stream, JsonOptions, cancellationToken)
            ?? throw new InvalidDataException($"{path} holds no run part.");
    }

    public async Task<RunSummary> WriteAsync(RunRecord run, CancellationToken cancellationToken)
    {
        var directory = run.OutputDirectory;
        var reports = run.Scenarios.Select(s => s.Report).ToList();
        await RunnerReportParquet.WriteAsync(RunLayout.RunnerReport(directory), reports, cancellationToken);
        logger.LogInformation("Saved runner reports to {Path}", RunLayout.RunnerReport(directory));

        var outputs = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["runner_report"] = RunLayout.RunnerReport(directory),
            ["summary"] = RunLayout.Summary(directory),
            ["logs"] = RunLayout.LogsDirectory(directory),
        };
        IReadOnlyList<NuPlanBus.Metrics.Output.MetricAggregate> metricAggregates = [];
        NuPlanScore? score = null;
        var metricsDirectory = RunLayout.MetricsDirectory(directory);
        if (MetricResultFiles.ListScenarioFiles(metricsDirectory).Count > 0)
        {
            var merge = await MetricResultFiles.MergeToParquetAsync(metricsDirectory, cancellationToken);
            metricAggregates = merge.Aggregates;
            outputs["metrics"] = metricsDirectory;
            var aggregator = WeightedAverageMetricAggregator.ForMetricSelection(run.Simulation.Metrics, run.CompletedAt);
            var table = await aggregator.RunAsync(metricsDirectory, RunLayout.AggregatorDirectory(directory), cancellationToken);
            outputs["aggregator_metric"] = RunLayout.AggregatorDirectory(directory);
            score = new NuPlanScore
            {
                Aggregator = aggregator.Name,
                ScoreKind = table.ScoreKind,
                MissingMetrics = table.MissingMetrics,
                Final = table.FinalScore,
                PerScenarioType = table.ScenarioTypeRows
                    .Where(r => r.Score is not null)
                    .ToDictionary(r => r.ScenarioType, r => r.Score!.Value, StringComparer.Ordinal),
                PerScenario = table.ScenarioRows
                    .Where(r => r.Score is not null)
                    .ToDictionary(r => r.Scenario, r => r.Score!.Value, StringComparer.Ordinal),
            };
            logger.LogInformation("Merged {Scenarios} metric files into {Tables} tables", merge.ScenarioFileCount, merge.ParquetFiles.Count);
        }
        if (Directory.Exists(Path.Combine(directory, RunLayout.SimulationLogDirectoryName)))
        {
            outputs["simulation_logs"] = Path.Combine(directory, RunLayout.SimulationLogDirectoryName);
        }

        var summary = Summarise(run, reports, metricAggregates, outputs) with { Score = score };
        var json = JsonSerializer.SerializeToUtf8Bytes(summary, JsonOptions);
        await AtomicFile.WriteAllBytesAsync(RunLayout.Summary(directory), json, cancellationToken);
        return summary;
    }

    private static RunSummary Summarise(
        RunRecord run,
        IReadOnlyList<RunnerReportRecord> reports,
        IReadOnlyList<NuPlanBus.Metrics.Output.MetricAggregate> metricAggregates,
        IReadOnlyDictionary<string, string> outputs)
    {
        var completedAt = run.CompletedAt;
        var succeeded = reports.Count(r => r.Succeeded);
        var durations = reports.Where(r => r.Duration is not null).Select(r => r.Duration!.Value).ToList();
        var stepMeans = reports.Where(r => r.ComputeTrajectoryRuntimesMean is not null).Select(r => r.ComputeTrajectoryRuntimesMean!.Value).ToList();
        return new RunSummary
        {
            RunId = run.RunId,
            RunName = run.RunName,
            Status = RunStatus.Completed,
            Planner = run.Simulation.Planner,
            Controller = run.Simulation.Controller,
            Observation = run.Simulation.Observation,
            Metrics = run.Simulation.Metrics,
            Maps = run.Simulation.Maps,
            RouteSource = run.Simulation.Maps is null ? NuPlanBus.Simulation.Routes.RouteSources.ExpertPath : NuPlanBus.Simulation.Routes.RouteSources.Lanes,
            Scenarios = reports.Count,
            Succeeded = succeeded,
            Failed = reports.Count - succeeded,
            SuccessRate = reports.Count == 0 ? 0 : (double)succeeded / reports.Count,
            StartedAt = run.StartedAt,
            CompletedAt = completedAt,
            WallTimeSeconds = (completedAt - run.StartedAt).TotalSeconds,
            ScenarioDurationSeconds = DurationSummary.Of(durations),
            MeanPlannerStepSeconds = stepMeans.Count == 0 ? null : stepMeans.Average(),
            ScenariosPerType = run.Scenarios
                .GroupBy(s => s.Descriptor.ScenarioType, StringComparer.Ordinal)
                .OrderBy(g => g.Key, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            MetricAggregates = metricAggregates.Select(a => new Outputs.MetricAggregate
            {
                Name = a.MetricStatisticsName,
                Scenarios = a.ScenarioCount,
                MeanScore = a.MeanScore,
                StatisticMeans = a.MeanStatisticValues,
            }).ToList(),
            Failures = run.Scenarios
                .Where(s => !s.Report.Succeeded)
                .Select(s => new ScenarioFailure(s.Descriptor.ScenarioId, s.Descriptor.ScenarioType, FirstLine(s.Report.ErrorMessage)))
                .ToList(),
            Outputs = outputs,
        };
    }

    private static string FirstLine(string? error) =>
        error is null ? "" : error.Split('\n', 2)[0].TrimEnd('\r');
}
