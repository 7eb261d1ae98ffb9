using NuPlanBus.Coordinator.Outputs;
using Spectre.Console;

namespace NuPlanBus.Coordinator.Cli;

/// <summary>The short human summary printed when a run ends, and the exit code it implies.</summary>
public static class RunReport
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int BadInput = 2;

    /// <param name="outputsLocation">Where the outputs are, when not the completed run's (local) directory, e.g. an s3:// prefix.</param>
    public static int Print(RunOutcome outcome, bool failOnScenarioFailure, string? outputsLocation = null)
    {
        if (outcome.Rejected is { } rejected)
        {
            Console.Error.WriteLine($"error: run rejected: {rejected.Reason}");
            return BadInput;
        }
        var completed = outcome.Completed!;
        var summary = RunSummary.TryRead(completed.OutputDirectory);
        var rate = completed.Expected == 0 ? 0 : 100.0 * completed.Succeeded / completed.Expected;
        var wall = (completed.CompletedAt - completed.StartedAt).TotalSeconds;
        AnsiConsole.MarkupLine(
            $"Run [bold]{Markup.Escape(completed.RunName)}[/] completed: {completed.Expected} scenarios, " +
            $"[green]{completed.Succeeded} succeeded[/], [red]{completed.Failed} failed[/] ({rate:0.0} %) in {wall:0.0} s");
        if (summary is not null)
        {
            var table = new Table().Border(TableBorder.Rounded).AddColumns("metric", "scenarios", "mean score", "pass rate");
            foreach (var metric in summary.MetricAggregates.Where(m => m.MeanScore is not null || m.StatisticMeans.Keys.Any(k => k.EndsWith("within_bounds", StringComparison.Ordinal))))
            {
                var passRate = metric.StatisticMeans.FirstOrDefault(kv => kv.Key.EndsWith("within_bounds", StringComparison.Ordinal) || kv.Key == metric.Name);
                table.AddRow(
                    Markup.Escape(metric.Name),
                    metric.Scenarios.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    metric.MeanScore is { } score ? score.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) : "–",
                    passRate.Key is null ? "–" : passRate.Value.ToString("P0", System.Globalization.CultureInfo.InvariantCulture));
            }
            if (table.Rows.Count > 0)
            {
                AnsiConsole.Write(table);
            }
            foreach (var failure in summary.Failures.Take(5))
            {
                AnsiConsole.MarkupLine($"[red]failed[/] {Markup.Escape(failure.ScenarioId)} ({Markup.Escape(failure.ScenarioType)}): {Markup.Escape(failure.Error)}");
            }
            if (summary.Failures.Count > 5)
            {
                AnsiConsole.MarkupLine($"… and {summary.Failures.Count - 5} more failures (see summary.json)");
            }
        }
        if (summary?.Score is { Final: { } final } nuPlanScore)
        {
            PrintScore(nuPlanScore, final);
        }
        AnsiConsole.MarkupLine($"Outputs: [blue]{Markup.Escape(outputsLocation ?? completed.OutputDirectory)}[/]");
        return failOnScenarioFailure && completed.Failed > 0 ? Failure : Success;
    }

    /// <summary>
    /// The challenge score with its per-type scores in a table; a partial score is printed as such, with what it
    /// lacks, and never under the challenge's name.
    /// </summary>
    private static void PrintScore(NuPlanScore score, double final)
    {
        static string F(double v) => v.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture);
        var name = ChallengeLabel(score.Aggregator);
        if (score.ScoreKind == NuPlanScore.Complete)
        {
            AnsiConsole.MarkupLine($"{Markup.Escape(name)} score ({Markup.Escape(score.Aggregator)}): [bold]{F(final)}[/]");
        }
        else
        {
            AnsiConsole.MarkupLine(
                $"[yellow]Partial score ({Markup.Escape(score.ScoreKind)})[/]: {F(final)} — not the {Markup.Escape(name)} score; " +
                $"missing {Markup.Escape(string.Join(", ", score.MissingMetrics))}" +
                (score.ScoreKind == NuPlanScore.PartialNoMap ? " (give the maps with --maps-root or NUPLAN_MAPS_ROOT)" : string.Empty));
        }
        if (score.PerScenarioType.Count > 0)
        {
            var types = new Table().Border(TableBorder.Rounded).AddColumns("scenario type", "score");
            foreach (var (type, value) in score.PerScenarioType.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                types.AddRow(Markup.Escape(type), F(value));
            }
            AnsiConsole.Write(types);
        }
    }

    /// <summary>CLS-NR, CLS-R and OLS as the leaderboard names them; the aggregator's name otherwise.</summary>
    public static string ChallengeLabel(string aggregator) => aggregator switch
    {
        NuPlanBus.Metrics.Aggregation.WeightedAverageMetricAggregator.ClosedLoopNonReactiveAgentsAggregatorName => "CLS-NR",
        NuPlanBus.Metrics.Aggregation.WeightedAverageMetricAggregator.ClosedLoopReactiveAgentsAggregatorName => "CLS-R",
        NuPlanBus.Metrics.Aggregation.WeightedAverageMetricAggregator.OpenLoopBoxesAggregatorName => "OLS",
        _ => "nuPlan",
    };
}
