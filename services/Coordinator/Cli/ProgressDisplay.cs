using MassTransit;
using NuPlanBus.Contracts;
using Spectre.Console;

namespace NuPlanBus.Coordinator.Cli;

/// <summary>Publishes a submission and shows its progress until the run ends (live bar on a terminal, lines otherwise).</summary>
public static class ProgressDisplay
{
    public static async Task<RunOutcome> FollowAsync(IBus bus, Guid runId, string runName, Func<Task> start, CancellationToken cancellationToken)
    {
        var figures = new ProgressFigures();
        if (!Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive)
        {
            RunOutcome? outcome = null;
            await AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask($"Run {runName}", maxValue: 1);
                    outcome = await RunFollower.FollowAsync(bus, runId, start, new LiveProgress(task, figures), cancellationToken);
                    task.Value = task.MaxValue;
                });
            Console.WriteLine($"progress: {figures}");
            return outcome!;
        }
        var result = await RunFollower.FollowAsync(bus, runId, start, new LineProgress(Console.Out, figures), cancellationToken);
        return result;
    }
}
