using NuPlanBus.Common.Experiments;

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
}

public sealed record DurationSummary(double Mean, double Median, double Max, double Total)
{
    public static DurationSummary Of(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return new DurationSummary(0, 0, 0, 0);
        }
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        return new DurationSummary(sorted.Average(), median, sorted[^1], sorted.Sum());
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
