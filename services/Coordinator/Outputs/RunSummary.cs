using NuPlanBus.Common.Experiments;
using NuPlanBus.Metrics.Aggregation;

namespace NuPlanBus.Coordinator.Outputs;

/// <summary>The machine-readable summary of a run, written as <c>summary.json</c>.</summary>
public sealed record RunSummary
{
    public required Guid RunId { get; init; }

    public required string RunName { get; init; }

    public required RunStatus Status { get; init; }

    public required string Planner { get; init; }

    public required string Controller { get; init; }

    public required string Observation { get; init; }

    public required IReadOnlyList<string> Metrics { get; init; }

    public required int Scenarios { get; init; }

    public required int Succeeded { get; init; }

    public required int Failed { get; init; }

    public required double SuccessRate { get; init; }

    public required DateTime StartedAt { get; init; }

    public required DateTime CompletedAt { get; init; }

    public required double WallTimeSeconds { get; init; }

    public required DurationSummary ScenarioDurationSeconds { get; init; }

    public double? MeanPlannerStepSeconds { get; init; }

    public required IReadOnlyDictionary<string, int> ScenariosPerType { get; init; }

    public required IReadOnlyList<MetricAggregate> MetricAggregates { get; init; }

    public required IReadOnlyList<ScenarioFailure> Failures { get; init; }

    public required IReadOnlyDictionary<string, string> Outputs { get; init; }

    /// <summary>The nuPlan score (weighted-average aggregator); null when no metric was computed.</summary>
    public NuPlanScore? Score { get; init; }

    /// <summary>The maps the run was scored with; null for a run without maps.</summary>
    public NuPlanBus.Contracts.MapSpec? Maps { get; init; }

    /// <summary>Where the IDM planner takes its route from: <c>lanes</c> with maps, the logged <c>expert_path</c> without.</summary>
    public string RouteSource { get; init; } = "expert_path";

    /// <summary>The summary.json of the local run directory <paramref name="runDirectory"/>; null when there is none or it does not parse.</summary>
    public static RunSummary? TryRead(string runDirectory)
    {
        var path = RunLayout.Summary(runDirectory);
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize<RunSummary>(File.ReadAllBytes(path), RunOutputWriter.JsonOptions);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}

/// <summary>nuPlan's score: per scenario, mean per scenario type, and overall (the devkit's final_score).</summary>
public sealed record NuPlanScore
{
    public const string Complete = AggregatedScoreTable.CompleteScore;
    public const string PartialNoMap = AggregatedScoreTable.PartialScoreNoMap;
    public const string Partial = AggregatedScoreTable.PartialScore;

    public required string Aggregator { get; init; }

    /// <summary>
    /// <see cref="Complete"/> when every metric of the aggregator's formula was computed for every scenario;
    /// <see cref="PartialNoMap"/> when only map-based ones are missing (a run without maps); otherwise <see cref="Partial"/>.
    /// A partial score is the devkit's formula renormalised over what is present, never the challenge score.
    /// </summary>
    public string ScoreKind { get; init; } = Complete;

    /// <summary>The aggregator's metrics some scenario lacks.</summary>
    public IReadOnlyList<string> MissingMetrics { get; init; } = [];

    public double? Final { get; init; }

    public required IReadOnlyDictionary<string, double> PerScenarioType { get; init; }

    public required IReadOnlyDictionary<string, double> PerScenario { get; init; }
}

public sealed record DurationSummary(double Mean, double Median, double Max, double Total)
{
    public static DurationSummary Of(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return new DurationSummary(0, 0, 0, 0);
        }
        var statistics = NuPlanBus.Domain.Simulation.PlannerStatistics.Of(values);
        return new DurationSummary(statistics.Mean, statistics.Median, values.Max(), values.Sum());
    }
}

/// <summary>One metric statistics table summarised over the run's scenarios.</summary>
public sealed record MetricAggregate
{
    public required string Name { get; init; }

    public required int Scenarios { get; init; }

    public double? MeanScore { get; init; }

    /// <summary>Mean of each statistic's value over the scenarios that reported it.</summary>
    public required IReadOnlyDictionary<string, double> StatisticMeans { get; init; }
}

public sealed record ScenarioFailure(string ScenarioId, string ScenarioType, string Error);
