using System.CommandLine;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NuPlanBus.Contracts;
using NuPlanBus.Hosting.Messaging;
using NuPlanBus.Scenarios.Synthetic;
using Spectre.Console;

namespace NuPlanBus.Coordinator.Cli;

/// <summary><c>simulate</c>: run a whole evaluation embedded in this process and wait for it.</summary>
public static class SimulateCommand
{
    public const string DefaultSampleDirectory = "data/sample";

    public static Command Create()
    {
        var run = new SubmissionOptions();
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
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Show service logs on the console." };

        var command = new Command(
            "simulate",
            "Run closed-loop simulations of a planner on nuPlan scenarios and compute their metrics, all in this process. " +
            "With no arguments it generates a small sample dataset with its map and uses the simple planner, the LQR + bicycle controller and the closed_loop_nonreactive_agents metrics.");
        run.AddTo(command);
        command.Options.Add(simWorkers);
        command.Options.Add(sampleLogs);
        command.Options.Add(seed);
        command.Options.Add(verbose);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var dataset = parse.GetValue(run.Dataset)
                ?? EnsureSampleDataset(DefaultSampleDirectory, parse.GetValue(sampleLogs), parse.GetValue(seed));
            var submission = run.Build(parse, dataset);
            Submissions.SubmissionValidator.ValidateOutputRoot(submission.OutputRoot);
            var settings = new EmbeddedSettings
            {
                SimWorkers = Math.Max(1, parse.GetValue(simWorkers)),
                SagaStoreFile = Path.Combine(submission.OutputRoot, ".nuplanbus", "sagas.db"),
                ConsoleLevel = parse.GetValue(verbose) ? Serilog.Events.LogEventLevel.Information : Serilog.Events.LogEventLevel.Warning,
            };
            return await RunEmbeddedAsync(submission.RunId, submission.RunName, submission, settings, submission.Simulation.ExitOnFailure, cancellationToken);
        });
        return command;
    }

    private static string EnsureSampleDataset(string directory, int logs, int seed)
    {
        if (logs < 1)
        {
            throw new NuPlanBus.Domain.Errors.ConfigurationException($"--sample-logs must be at least 1 (got {logs}).");
        }
        var existing = Directory.Exists(directory) ? Directory.GetFiles(directory, "*.db") : [];
        // A sample written before it had maps (or by another seed of a different size) is written again.
        var hasMaps = File.Exists(new NuPlanBus.Maps.MapsRoot(SampleDataset.MapsDirectory(directory)).VersionFile);
        if (existing.Length != logs || !hasMaps)
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

    /// <summary>
    /// Starts every service in this process, publishes <paramref name="submission"/> (a <see cref="SubmitSimulationRun"/> or
    /// <see cref="SubmitMetricRun"/>), shows the run's progress and prints its report; returns the exit code.
    /// </summary>
    public static async Task<int> RunEmbeddedAsync(
        Guid runId,
        string runName,
        object submission,
        EmbeddedSettings settings,
        bool failOnScenarioFailure,
        CancellationToken cancellationToken)
    {
        if (settings.SagaStoreFile is { } store)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(store)!);
        }
        var builder = EmbeddedHost.CreateBuilder(settings);
        builder.Services.AddNuPlanBus(builder.Configuration);
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        try
        {
            var bus = host.Services.GetRequiredService<IBus>();
            var outcome = await ProgressDisplay.FollowAsync(bus, runId, runName, () => bus.Publish(submission, cancellationToken), cancellationToken);
            return RunReport.Print(outcome, failOnScenarioFailure);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }
}
