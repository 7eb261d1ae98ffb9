using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NuPlanBus.Common.Distributed;
using NuPlanBus.Common.Experiments;
using NuPlanBus.Common.Helpers;
using NuPlanBus.Coordinator.Batch;
using NuPlanBus.Coordinator.Submissions;
using NuPlanBus.Domain.Errors;
using NuPlanBus.Hosting.Messaging;

namespace NuPlanBus.Coordinator.Cli;

/// <summary><c>batch</c>: one node of a coordinator-less multi-node job (see <see cref="BatchJob"/>).</summary>
public static class BatchCommand
{
    public static Command Create()
    {
        var run = new SubmissionOptions();
        // One run directory shared by every node: named after the job, never made unique per node.
        run.Name.Description = "Name of the run directory under --output, the same on every node. Default: NUPLAN_JOB_ID (or batch-<job id>).";
        run.Name.DefaultValueFactory = null;
        run.Dataset.Description = "A nuPlan log database (.db), a directory or an s3:// prefix of them.";
        var syncPath = new Option<string>("--sync-path")
        {
            Description = "Directory or s3:// prefix every node can reach; the nodes exchange scenario tokens and meet at barriers there.",
            Required = true,
        };
        var mode = new Option<string>("--distributed-mode")
        {
            Description = "How nodes split the scenarios: SCENARIO_BASED (equal scenario counts), LOG_FILE_BASED (equal log counts) " +
                          "or SINGLE_NODE (every node runs everything).",
            DefaultValueFactory = _ => DistributedMode.ScenarioBased.ToConfigName(),
        };
        var workDirectory = new Option<string?>("--work-dir")
        {
            Description = "Local scratch directory of this node: downloaded logs, the run staged before upload to an s3:// output, the saga store. " +
                          "Default: a directory under the system's temporary directory.",
        };
        var barrierTimeout = new Option<double>("--barrier-timeout")
        {
            Description = "Seconds a node waits for the others at a barrier; must cover the slowest node's simulation.",
            DefaultValueFactory = _ => DistributedSync.DefaultTimeout.TotalSeconds,
        };
        var simWorkers = new Option<int>("--sim-workers")
        {
            Description = "Partitions simulated at once on this node.",
            DefaultValueFactory = _ => Math.Max(1, Environment.ProcessorCount),
        };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Show service logs on the console." };

        var command = new Command(
            "batch",
            "Run one node of a multi-node batch job without a Coordinator service or broker (e.g. a Kubernetes Indexed Job). " +
            "NUM_NODES, NODE_RANK (or JOB_COMPLETION_INDEX) and NUPLAN_JOB_ID say which node this is and which job it belongs to. " +
            "Each node simulates its share of the scenarios in this process and writes its part of the run under --output/--name; " +
            "node 0 then writes the run's report, metrics and score over all nodes.");
        run.AddTo(command);
        command.Options.Add(syncPath);
        command.Options.Add(mode);
        command.Options.Add(workDirectory);
        command.Options.Add(barrierTimeout);
        command.Options.Add(simWorkers);
        command.Options.Add(verbose);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var node = NodeContext.FromEnvironment();
            var jobId = JobId.GetShared(node.NumNodes);
            var dataset = parse.GetValue(run.Dataset)
                ?? throw new ConfigurationException("--dataset is required in batch mode: a log database, a directory or an s3:// prefix of them.");
            var timeout = parse.GetValue(barrierTimeout);
            if (!(timeout > 0) || double.IsInfinity(timeout))
            {
                throw new ConfigurationException($"--barrier-timeout must be a positive number of seconds (got {timeout}).");
            }
            var output = parse.GetValue(run.Output)!;
            var submission = run.Build(parse, dataset);
            var name = parse.GetValue(run.Name) ?? DefaultRunName(jobId);
            var work = parse.GetValue(workDirectory) ?? Path.Combine(Path.GetTempPath(), "nuplanbus-batch", jobId[..16]);
            var settings = new BatchSettings
            {
                Node = node,
                JobId = jobId,
                SyncPath = parse.GetValue(syncPath)!,
                Dataset = dataset,
                OutputRoot = output,
                RunName = name,
                WorkDirectory = Path.GetFullPath(work),
                Mode = DistributedModes.Parse(parse.GetValue(mode)),
                BarrierTimeout = TimeSpan.FromSeconds(timeout),
                Simulation = submission.Simulation,
                Filter = submission.Filter,
                PartitionSize = submission.PartitionSize,
            };

            var embedded = new EmbeddedSettings
            {
                SimWorkers = Math.Max(1, parse.GetValue(simWorkers)),
                SagaStoreFile = Path.Combine(settings.WorkDirectory, ".nuplanbus", $"sagas-node{node.NodeRank}.db"),
                ConsoleLevel = parse.GetValue(verbose) ? Serilog.Events.LogEventLevel.Information : Serilog.Events.LogEventLevel.Warning,
                InstanceSuffix = $"node{node.NodeRank}",
            };
            Directory.CreateDirectory(Path.GetDirectoryName(embedded.SagaStoreFile)!);
            var builder = EmbeddedHost.CreateBuilder(embedded);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [NuPlanBus.Hosting.Storage.StorageServiceExtensions.LogDatabaseCacheSection + ":Directory"] = Path.Combine(settings.WorkDirectory, "log-cache"),
            });
            builder.Services.AddSingleton<BatchJob>();
            builder.Services.AddNuPlanBus(builder.Configuration);
            using var host = builder.Build();
            // Planner, controller, observation and metric names as for any run; a batch node may write to S3 (checked by parsing it).
            host.Services.GetRequiredService<SubmissionValidator>().Validate(submission with { RunName = name, OutputRoot = settings.WorkDirectory });
            NuPlanBus.Common.Storage.StoragePath.Parse(output);
            await EnsureNotFinishedAsync(host.Services, settings, cancellationToken);
            await host.StartAsync(cancellationToken);
            try
            {
                return await host.Services.GetRequiredService<BatchJob>().RunAsync(settings, cancellationToken);
            }
            catch (NuPlanBusException ex) when (ex is not UserInputException)
            {
                // A barrier timeout, a node's missing part, unreachable storage: this node failed, and says why.
                Console.Error.WriteLine($"error: {ex.Message}");
                return RunReport.Failure;
            }
            finally
            {
                await host.StopAsync(CancellationToken.None);
            }
        });
        return command;
    }

    /// <summary><c>NUPLAN_JOB_ID</c> when it is a valid run name (every node agrees on it), else <c>batch-</c> and the job id's start.</summary>
    public static string DefaultRunName(string jobId)
    {
        var raw = Environment.GetEnvironmentVariable(JobId.EnvironmentVariable);
        return RunNames.IsValid(raw) ? raw! : "batch-" + jobId[..12];
    }

    /// <summary>A job id whose run already has its summary must not run again into the same directory: its outputs would mix.</summary>
    private static async Task EnsureNotFinishedAsync(IServiceProvider services, BatchSettings settings, CancellationToken cancellationToken)
    {
        var storage = services.GetRequiredService<NuPlanBus.Common.Storage.IStorage>();
        var summary = NuPlanBus.Common.Storage.StoragePath.Parse(settings.OutputRoot) / settings.RunName / RunLayout.SummaryFile;
        if (await storage.ExistsAsync(summary, includeDirectories: false, cancellationToken))
        {
            throw new ConfigurationException(
                $"{summary} exists: job '{settings.RunName}' already finished there. Use a new {JobId.EnvironmentVariable} or --name.");
        }
    }
}
