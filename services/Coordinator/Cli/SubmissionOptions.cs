using System.CommandLine;
using MassTransit;
using NuPlanBus.Contracts;
using NuPlanBus.Scenarios;

namespace NuPlanBus.Coordinator.Cli;

/// <summary>The options that describe a run, shared by <c>simulate</c> (embedded) and <c>submit</c> (over a broker).</summary>
public sealed class SubmissionOptions
{
    public Option<string?> Dataset { get; } = new("--dataset", "-d")
    {
        Description = "A nuPlan log database (.db), a directory or an s3:// prefix of them. Default for simulate: a generated sample dataset in data/sample.",
    };

    public Option<string> Output { get; } = new("--output", "-o")
    {
        Description = "Directory under which the run directory is created.",
        DefaultValueFactory = _ => "runs",
    };

    public Option<string> Name { get; } = new("--name", "-n")
    {
        Description = "Run name; made unique (name, name_1, …) under the output directory.",
        DefaultValueFactory = _ => "simulation",
    };

    public Option<string> Planner { get; } = new("--planner")
    {
        Description = "Planner: simple_planner, idm_planner or log_future_planner.",
        DefaultValueFactory = _ => "simple_planner",
    };

    public Option<string> Controller { get; } = new("--controller")
    {
        Description = "Ego controller: two_stage_controller (LQR + kinematic bicycle), perfect_tracking_controller or log_play_back_controller.",
        DefaultValueFactory = _ => "two_stage_controller",
    };

    public Option<string> Observation { get; } = new("--observation")
    {
        Description = "What the planner observes: box_observation (agents replayed from the log) or idm_agents_observation (reactive agents).",
        DefaultValueFactory = _ => "box_observation",
    };

    public Option<string[]> Metrics { get; } = new("--metrics")
    {
        Description = "Metric names or sets (closed_loop_nonreactive_agents, closed_loop_reactive_agents, open_loop_boxes, default, dynamics, …); 'none' for no metrics.",
        DefaultValueFactory = _ => ["closed_loop_nonreactive_agents"],
        AllowMultipleArgumentsPerToken = true,
    };

    /// <summary>--maps-root, --map-version, --allow-missing-maps.</summary>
    public MapOptions Maps { get; } = new();

    public Option<string[]> Types { get; } = new("--scenario-types")
    {
        Description = "Only these scenario types (default: all 73 nuPlan types; untagged frames are not scenarios unless --include-untagged).",
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<bool> IncludeUntagged { get; } = new("--include-untagged")
    {
        Description = "Without --scenario-types, also run every untagged 20 Hz frame (type 'unknown'), as the devkit's all_scenarios preset does.",
    };

    public Option<string[]> Tokens { get; } = new("--scenario-tokens")
    {
        Description = "Only these scenario tokens (16 hex characters).",
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<string[]> Logs { get; } = new("--log-names")
    {
        Description = "Only these logs (file names without .db).",
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<int?> PerType { get; } = new("--scenarios-per-type") { Description = "At most this many scenarios of each type." };

    public Option<double?> Limit { get; } = new("--limit") { Description = "At most this many scenarios in total (or a fraction in (0, 1))." };

    public Option<int> PartitionSize { get; } = new("--partition-size")
    {
        Description = "Scenarios per partition message.",
        DefaultValueFactory = _ => SubmitSimulationRun.DefaultPartitionSize,
    };

    public Option<bool> ExitOnFailure { get; } = new("--exit-on-failure")
    {
        Description = "Stop a partition at its first failed scenario (the rest are reported as not run) and exit with code 1.",
    };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[]
                 {
                     Dataset, Output, Name, Planner, Controller, Observation, Metrics, Types,
                     IncludeUntagged, Tokens, Logs, PerType, Limit, PartitionSize, ExitOnFailure,
                 })
        {
            command.Options.Add(option);
        }
        Maps.AddTo(command);
    }

    /// <summary>
    /// The submission the options describe. The maps root is --maps-root when given; else a <c>maps</c> directory beside
    /// the logs when it holds a map version file (as the generated sample has), else NUPLAN_MAPS_ROOT.
    /// </summary>
    public SubmitSimulationRun Build(ParseResult parse, string dataset)
    {
        var metricNames = parse.GetValue(Metrics) ?? [];
        var noMetrics = metricNames.Length == 1 && metricNames[0] == "none";
        var types = parse.GetValue(Types);
        return new SubmitSimulationRun
        {
            RunId = NewId.NextGuid(),
            RunName = parse.GetValue(Name)!,
            DatasetLocation = FullPathUnlessUri(dataset),
            OutputRoot = FullPathUnlessUri(parse.GetValue(Output)!),
            PartitionSize = parse.GetValue(PartitionSize),
            Filter = new ScenarioFilterSpec
            {
                ScenarioTypes = types is { Length: > 0 } ? types : parse.GetValue(IncludeUntagged) ? [] : ScenarioTypes.All,
                ScenarioTokens = parse.GetValue(Tokens) ?? [],
                LogNames = parse.GetValue(Logs) ?? [],
                NumScenariosPerType = parse.GetValue(PerType),
                LimitTotalScenarios = parse.GetValue(Limit),
            },
            Simulation = new SimulationSpec
            {
                Planner = parse.GetValue(Planner)!,
                Controller = parse.GetValue(Controller)!,
                Observation = parse.GetValue(Observation)!,
                Metrics = noMetrics ? [] : metricNames,
                ExitOnFailure = parse.GetValue(ExitOnFailure),
                Maps = Maps.Build(parse, MapOptions.BesideLogs(dataset)),
            },
        };
    }

    /// <summary>Local paths are made absolute where the command runs; s3:// URIs are passed on as they are.</summary>
    public static string FullPathUnlessUri(string location) =>
        location.StartsWith("s3:", StringComparison.Ordinal) ? location : Path.GetFullPath(location);
}
