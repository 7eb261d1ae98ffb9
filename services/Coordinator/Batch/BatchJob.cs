using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NuPlanBus.Common.Distributed;
using NuPlanBus.Common.Experiments;
using NuPlanBus.Common.Storage;
using NuPlanBus.Contracts;
using NuPlanBus.Coordinator.Cli;
using NuPlanBus.Coordinator.Outputs;
using NuPlanBus.Coordinator.Submissions;
using NuPlanBus.Domain.Errors;

namespace NuPlanBus.Coordinator.Batch;

/// <summary>
/// One node of a coordinator-less batch job (a Kubernetes Indexed Job, or processes started by hand): it takes its share of
/// the scenarios with the multi-node scenario filter, simulates them with every service embedded in this process, writes its
/// part of the run, waits for the other nodes at a file-backed barrier, and node 0 then writes the run outputs — runner
/// report, metric tables, aggregator, nuPlan score and summary — over every node's scenarios.
/// </summary>
/// <remarks>
/// The devkit's flow (save reports, <c>distributed_sync</c>, node 0 runs the main callbacks) with its defects fixed: every
/// node writes <c>runner_report_&lt;rank&gt;.parquet</c> instead of overwriting one report, and node 0 joins the nodes' parts
/// into <c>runner_report.parquet</c>. With an s3:// output each node stages its run locally and uploads it; node 0 downloads
/// the other nodes' parts and metric files before joining.
/// </remarks>
public sealed class BatchJob(IServiceProvider services, ILogger<BatchJob> logger)
{
    private readonly IStorage _storage = services.GetRequiredService<IStorage>();

    public async Task<int> RunAsync(BatchSettings settings, CancellationToken cancellationToken)
    {
        var node = settings.Node;
        var output = StoragePath.Parse(settings.OutputRoot) / settings.RunName;
        var syncRoot = StoragePath.Parse(settings.SyncPath);
        var runDirectory = output.IsS3 ? Path.Combine(settings.WorkDirectory, "runs", settings.RunName) : output.Key;
        Directory.CreateDirectory(runDirectory);
        var barrier = new FileBackedBarrier(_storage, syncRoot / "barrier", logger: services.GetService<ILogger<FileBackedBarrier>>());

        var scenarios = await ShareAsync(settings, syncRoot, barrier, cancellationToken);
        logger.LogInformation("{Node} of job {JobId}: {Count} scenarios to simulate", node, settings.JobId, scenarios.Count);

        var nodeOutcome = await SimulateShareAsync(settings, runDirectory, scenarios, cancellationToken);
        if (output.IsS3)
        {
            var uploaded = await RunDirectoryMirror.UploadAsync(_storage, runDirectory, output, files: null, cancellationToken);
            logger.LogInformation("Uploaded {Count} files of node {Rank} to {Output}", uploaded, node.NodeRank, output);
        }

        await DistributedSync.SyncAsync(barrier, node, SimulationBarrierId(settings.JobId), generation: 0, settings.BarrierTimeout, cancellationToken);
        if (node.NodeRank != 0)
        {
            Console.WriteLine(
                $"Node {node.NodeRank} of {node.NumNodes}: {nodeOutcome.Expected} scenarios, {nodeOutcome.Succeeded} succeeded, " +
                $"{nodeOutcome.Failed} failed; node 0 writes the run outputs to {output}");
            return settings.Simulation.ExitOnFailure && nodeOutcome.Failed > 0 ? RunReport.Failure : RunReport.Success;
        }

        var completed = await JoinAsync(settings, output, runDirectory, cancellationToken);
        return RunReport.Print(new RunOutcome(completed, null), settings.Simulation.ExitOnFailure, output.Value);
    }

    private static IEnumerable<string> FilesIn(string directory, string pattern, SearchOption option) =>
        Directory.Exists(directory) ? Directory.EnumerateFiles(directory, pattern, option) : [];

    /// <summary>The barrier the nodes meet at once they have written their parts.</summary>
    public static string SimulationBarrierId(string jobId) => "simulation-" + jobId;

    private async Task<IReadOnlyList<ScenarioDescriptor>> ShareAsync(
        BatchSettings settings, StoragePath syncRoot, IBarrier barrier, CancellationToken cancellationToken)
    {
        var datasets = services.GetRequiredService<DatasetAccess>();
        var logFiles = await datasets.ListLogFilesAsync(settings.Dataset, cancellationToken);
        var filter = ScenarioEnumeration.ToFilter(settings.Filter);

        // Scenarios this node enumerated itself are described from that one metadata query, never built again.
        var known = new ConcurrentDictionary<(string Log, string Token), ScenarioDescriptor>();
        ScenarioKeyEnumerator<ScenarioKey> enumerate = async (files, ct) =>
        {
            var scenarios = await datasets.DescribeAsync(files, filter, ct);
            foreach (var scenario in scenarios)
            {
                known[(scenario.LogName, scenario.Token)] = scenario;
            }
            return scenarios.Select(s => new ScenarioKey(s.Token, s.LogName)).ToList();
        };
        var distributed = new DistributedScenarioFilter<ScenarioKey>(
            new DistributedScenarioFilterOptions
            {
                Mode = settings.Mode,
                Node = settings.Node,
                SynchronizationRoot = syncRoot,
                JobId = settings.JobId,
                Timeout = settings.BarrierTimeout,
            },
            _storage,
            barrier,
            services.GetService<ILogger<DistributedScenarioFilter<ScenarioKey>>>());
        var share = await distributed.GetShareAsync(logFiles, enumerate, cancellationToken);

        var missing = share.Keys.Where(k => !known.ContainsKey((k.LogName, k.Token))).ToList();
        if (missing.Count > 0)
        {
            // Scenario-based mode: keys that other nodes enumerated. Look up exactly those tokens in the logs that hold them.
            var byToken = settings.Filter with
            {
                ScenarioTokens = missing.Select(k => k.Token).Distinct(StringComparer.Ordinal).ToList(),
                LogNames = [],
                NumScenariosPerType = null,
                LimitTotalScenarios = null,
                TimestampThresholdS = null,
                Shuffle = false,
            };
            var wantedLogs = missing.Select(k => k.LogName).ToHashSet(StringComparer.Ordinal);
            var files = share.LogFiles.Where(f => wantedLogs.Contains(DistributedScenarioLayout.LogName(f))).ToList();
            foreach (var scenario in await datasets.DescribeAsync(files, ScenarioEnumeration.ToFilter(byToken), cancellationToken))
            {
                known[(scenario.LogName, scenario.Token)] = scenario;
            }
        }
        return share.Keys.Select(k => known.TryGetValue((k.LogName, k.Token), out var scenario)
                ? scenario
                : throw new ScenarioDataException(k.LogName, $"scenario {k.Token} assigned to this node was not found in its log"))
            .ToList();
    }

    private async Task<SimulationRunCompleted> SimulateShareAsync(
        BatchSettings settings, string runDirectory, IReadOnlyList<ScenarioDescriptor> scenarios, CancellationToken cancellationToken)
    {
        var bus = services.GetRequiredService<IBus>();
        var accepted = new SimulationRunAccepted
        {
            RunId = NewId.NextGuid(),
            RunName = settings.RunName,
            OutputDirectory = runDirectory,
            Simulation = settings.Simulation,
            PartitionSize = settings.PartitionSize,
            Scenarios = scenarios,
            AcceptedAt = DateTime.UtcNow,
            NodeRank = settings.Node.NodeRank,
        };
        var outcome = await ProgressDisplay.FollowAsync(
            bus, accepted.RunId, $"{settings.RunName} (node {settings.Node.NodeRank})", () => bus.Publish(accepted, cancellationToken), cancellationToken);
        return outcome.Completed ?? throw new NuPlanBusException($"The run of node {settings.Node.NodeRank} ended without completing.");
    }

    /// <summary>Node 0, after every node arrived: joins the parts in rank order and writes the run outputs.</summary>
    private async Task<SimulationRunCompleted> JoinAsync(BatchSettings settings, StoragePath output, string runDirectory, CancellationToken cancellationToken)
    {
        if (output.IsS3)
        {
            var fetched = await RunDirectoryMirror.DownloadMissingAsync(_storage, output / RunLayout.NodesDirectoryName, Path.Combine(runDirectory, RunLayout.NodesDirectoryName), cancellationToken);
            fetched += await RunDirectoryMirror.DownloadMissingAsync(
                _storage, output / RunLayout.MetricsDirectoryName, RunLayout.MetricsDirectory(runDirectory), cancellationToken);
            logger.LogInformation("Fetched {Count} files of the other nodes from {Output}", fetched, output);
        }
        var parts = new List<RunRecord>();
        for (var rank = 0; rank < settings.Node.NumNodes; rank++)
        {
            var path = RunLayout.NodePart(runDirectory, rank);
            if (!File.Exists(path))
            {
                throw new NuPlanBusException(
                    $"Node {rank} passed the barrier but its part {path} is missing; was {Common.Helpers.JobId.EnvironmentVariable} or the output shared by another job?");
            }
            parts.Add(await RunOutputWriter.ReadNodePartAsync(path, cancellationToken));
        }
        var run = RunRecord.Join(parts, runDirectory);
        var claim = RunLayout.ClaimFile(runDirectory);
        if (!File.Exists(claim))
        {
            await File.WriteAllBytesAsync(claim, [], cancellationToken);
        }
        var summary = await services.GetRequiredService<RunOutputWriter>().WriteAsync(run, cancellationToken);
        if (output.IsS3)
        {
            var written = new[] { RunLayout.RunnerReport(runDirectory), RunLayout.Summary(runDirectory), claim }
                .Concat(FilesIn(RunLayout.MetricsDirectory(runDirectory), "*.parquet", SearchOption.TopDirectoryOnly))
                .Concat(FilesIn(RunLayout.AggregatorDirectory(runDirectory), "*", SearchOption.AllDirectories))
                .ToList();
            await RunDirectoryMirror.UploadAsync(_storage, runDirectory, output, written, cancellationToken);
            logger.LogInformation("Uploaded the run outputs to {Output}", output);
        }
        return new SimulationRunCompleted
        {
            RunId = run.RunId,
            RunName = run.RunName,
            OutputDirectory = runDirectory,
            Expected = summary.Scenarios,
            Succeeded = summary.Succeeded,
            Failed = summary.Failed,
            StartedAt = run.StartedAt,
            CompletedAt = run.CompletedAt,
        };
    }
}
