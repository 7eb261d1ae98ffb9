using System.CommandLine;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NuPlanBus.Contracts;
using NuPlanBus.Domain.Errors;
using NuPlanBus.Hosting.Messaging;
using NuPlanBus.Scenarios;
using NuPlanBus.Scenarios.Synthetic;
using Spectre.Console;

namespace NuPlanBus.Coordinator.Cli;

/// <summary><c>simulate</c>: run a whole evaluation embedded in this process and wait for it.</summary>
public static class SimulateCommand
{
    public const string DefaultSampleDirectory = "data/sample";

    public static Command Create()
    {
        var dataset = new Option<string?>("--dataset", "-d")
        {
            Description = "A nuPlan log database (.db) or a directory of them. Default: a generated sample dataset in data/sample.",
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Directory under which the run directory is created.",
            DefaultValueFactory = _ => "runs",
        };
        var name = new Option<string>("--name", "-n")
        {
            Description = "Run name; made unique (name, name_1, …) under the output directory.",
            DefaultValueFactory = _ => "simulation",
        };
        var planner = new Option<string>("--planner")
        {
            Description = "Planner: simple_planner or log_future_planner.",
            DefaultValueFactory = _ => "simple_planner",
        };
        var controller = new Option<string>("--controller")
        {
            Description = "Ego controller: two_stage_controller (LQR + kinematic bicycle), perfect_tracking_controller or log_play_back_controller.",
            DefaultValueFactory = _ => "two_stage_controller",
        };
        var observation = new Option<string>("--observation")
        {
            Description = "What the planner observes: box_observation (agents replayed from the log).",
            DefaultValueFactory = _ => "box_observation",
        };
        var metrics = new Option<string[]>("--metrics")
        {
            Description = "Metric names or sets (default, dynamics); 'none' for no metrics.",
            DefaultValueFactory = _ => ["default"],
            AllowMultipleArgumentsPerToken = true,
        };
        var types = new Option<string[]>("--scenario-types")
        {
            Description = "Only these scenario types (default: all 73 nuPlan types; untagged frames are not scenarios unless --include-untagged).",
            AllowMultipleArgumentsPerToken = true,
        };
        var includeUntagged = new Option<bool>("--include-untagged")
        {
            Description = "Without --scenario-types, also simulate every untagged 20 Hz frame (type 'unknown'), as the devkit's all_scenarios preset does.",
        };
        var tokens = new Option<string[]>("--scenario-tokens") { Description = "Only these scenario tokens (16 hex characters).", AllowMultipleArgumentsPerToken = true };
        var logs = new Option<string[]>("--log-names") { Description = "Only these logs (file names without .db).", AllowMultipleArgumentsPerToken = true };
        var perType = new Option<int?>("--scenarios-per-type") { Description = "At most this many scenarios of each type." };
        var limit = new Option<double?>("--limit") { Description = "At most this many scenarios in total (or a fraction in (0, 1))." };
        var partitionSize = new Option<int>("--partition-size")
        {
            Description = "Scenarios per partition message.",
            DefaultValueFactory = _ => 4,
        };
        var simWorkers = new Option<int>("--sim-workers")
        {
            Description = "Partitions simulated at once.",
            DefaultValueFactory = _ => Math.Max(1, Environment.ProcessorCount),
        };
        var sampleLogs = new Option<int>("--sample-logs")
        {
            Description = "Logs in a generated sample dataset.",
            DefaultValueFactory = _ => 4,
        };
        var seed = new Option<int>("--seed") { Description = "Seed of the generated sample dataset.", DefaultValueFactory = _ => 0 };
        var exitOnFailure = new Option<bool>("--exit-on-failure") { Description = "Stop at the first failed scenario and exit with code 1." };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Show service logs on the console." };

        var command = new Command("simulate", "Run closed-loop simulations of a planner on nuPlan scenarios and compute their metrics, all in this process.")
        {
            dataset, output, name, planner, controller, observation, metrics, types, includeUntagged, tokens, logs, perType, limit,
            partitionSize, simWorkers, sampleLogs, seed, exitOnFailure, verbose,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var datasetPath = parse.GetValue(dataset);
            if (datasetPath is null)
            {
                datasetPath = EnsureSampleDataset(DefaultSampleDirectory, parse.GetValue(sampleLogs), parse.GetValue(seed));
            }
            var metricNames = parse.GetValue(metrics) ?? [];
            var noMetrics = metricNames.Length == 1 && metricNames[0] == "none";
            var submission = new SubmitSimulationRun
            {
                RunId = NewId.NextGuid(),
                RunName = parse.GetValue(name)!,
                DatasetLocation = datasetPath,
                OutputRoot = parse.GetValue(output)!,
                PartitionSize = parse.GetValue(partitionSize),
                Filter = new ScenarioFilterSpec
                {
                    ScenarioTypes = DefaultTypes(parse.GetValue(types), parse.GetValue(includeUntagged)),
                    ScenarioTokens = parse.GetValue(tokens) ?? [],
                    LogNames = parse.GetValue(logs) ?? [],
                    NumScenariosPerType = parse.GetValue(perType),
                    LimitTotalScenarios = parse.GetValue(limit),
                },
                Simulation = new SimulationSpec
                {
                    Planner = parse.GetValue(planner)!,
                    Controller = parse.GetValue(controller)!,
                    Observation = parse.GetValue(observation)!,
                    Metrics = noMetrics ? [] : metricNames,
                    ExitOnFailure = parse.GetValue(exitOnFailure),
                },
            };
            var settings = new EmbeddedSettings
            {
                SimWorkers = Math.Max(1, parse.GetValue(simWorkers)),
                ConsoleLevel = parse.GetValue(verbose) ? Serilog.Events.LogEventLevel.Information : Serilog.Events.LogEventLevel.Warning,
            };
            return await RunEmbeddedAsync(submission, settings, cancellationToken);
        });
        return command;
    }

    private static IReadOnlyList<string> DefaultTypes(string[]? types, bool includeUntagged) =>
        types is { Length: > 0 } ? types : includeUntagged ? [] : ScenarioTypes.All;

    private static string EnsureSampleDataset(string directory, int logs, int seed)
    {
        if (logs < 1)
        {
            throw new NuPlanBus.Domain.Errors.ConfigurationException($"--sample-logs must be at least 1 (got {logs}).");
        }
        var existing = Directory.Exists(directory) ? Directory.GetFiles(directory, "*.db") : [];
        if (existing.Length != logs)
        {
            foreach (var file in existing)
            {
                File.Delete(file);
            }
            var written = SampleDataset.Generate(directory, logs, seed);
            AnsiConsole.MarkupLine($"Generated a sample dataset: [bold]{written.Count}[/] nuPlan log databases in [blue]{Markup.Escape(directory)}[/]");
        }
        return directory;
    }

    public static async Task<int> RunEmbeddedAsync(SubmitSimulationRun submission, EmbeddedSettings settings, CancellationToken cancellationToken)
    {
        var builder = EmbeddedHost.CreateBuilder(settings);
        builder.Services.AddNuPlanBus(builder.Configuration);
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        try
        {
            var bus = host.Services.GetRequiredService<IBus>();
            var outcome = await ProgressDisplay.FollowAsync(bus, submission, cancellationToken);
            return RunReport.Print(outcome, submission.Simulation.ExitOnFailure);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }
}
