using System.CommandLine;
using MassTransit;
using NuPlanBus.Contracts;
using NuPlanBus.Coordinator.Outputs;

namespace NuPlanBus.Coordinator.Cli;

/// <summary><c>metrics</c>: recompute metrics from stored simulation logs (the devkit's metric run), embedded in this process.</summary>
public static class MetricsCommand
{
    public static Command Create()
    {
        var location = new Argument<string>("simulation-logs")
        {
            Description = "A finished run's directory, its simulation_log directory, or an s3:// prefix holding simulation logs " +
                          "(<planner>/<scenario type>/<log>/<scenario>/<scenario>.msgpack.zst).",
        };
        var metrics = new Option<string[]>("--metrics")
        {
            Description = "Metric names or sets (closed_loop_nonreactive_agents, closed_loop_reactive_agents, open_loop_boxes, default, dynamics, …).",
            DefaultValueFactory = _ => ["closed_loop_nonreactive_agents"],
            AllowMultipleArgumentsPerToken = true,
        };
        var output = new Option<string>("--output", "-o")
        {
            Description = "Directory under which the run directory is created.",
            DefaultValueFactory = _ => "runs",
        };
        var name = new Option<string>("--name", "-n")
        {
            Description = "Run name; made unique (name, name_1, …) under the output directory.",
            DefaultValueFactory = _ => "metrics",
        };
        var workers = new Option<int>("--metric-workers")
        {
            Description = "Logs processed at once.",
            DefaultValueFactory = _ => Math.Max(1, Environment.ProcessorCount),
        };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Show service logs on the console." };
        var maps = new MapOptions();

        var command = new Command(
            "metrics",
            "Compute metrics from the simulation logs of an earlier run, without simulating again, through the MetricWorker and " +
            "the run saga. Writes the same outputs as 'simulate' (metric files, metric tables, aggregator, nuPlan score, summary); " +
            "the runner report has no planner statistics. Exits with 1 when a log could not be processed (truncated, foreign).")
        {
            location, metrics, output, name, workers, verbose,
        };
        maps.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var submission = new SubmitMetricRun
            {
                RunId = NewId.NextGuid(),
                RunName = parse.GetValue(name)!,
                SimulationLogLocation = parse.GetValue(location)!,
                OutputRoot = SubmissionOptions.FullPathUnlessUri(parse.GetValue(output)!),
                Metrics = parse.GetValue(metrics) ?? [],
                Maps = maps.Build(parse, RecordedMapsRoot(parse.GetValue(location)!)),
            };
            Submissions.SubmissionValidator.ValidateOutputRoot(submission.OutputRoot);
            var settings = new EmbeddedSettings
            {
                MetricWorkers = Math.Max(1, parse.GetValue(workers)),
                SagaStoreFile = Path.Combine(submission.OutputRoot, ".nuplanbus", "sagas.db"),
                ConsoleLevel = parse.GetValue(verbose) ? Serilog.Events.LogEventLevel.Information : Serilog.Events.LogEventLevel.Warning,
            };
            return await SimulateCommand.RunEmbeddedAsync(submission.RunId, submission.RunName, submission, settings, failOnScenarioFailure: true, cancellationToken);
        });
        return command;
    }

    /// <summary>The maps root a finished local run recorded in its summary.json, so its metrics are recomputed on the same maps.</summary>
    private static string? RecordedMapsRoot(string location) =>
        location.StartsWith("s3:", StringComparison.Ordinal) ? null : RunSummary.TryRead(location)?.Maps?.Root;
}
