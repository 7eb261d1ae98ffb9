using NuPlanBus.Metrics.Engine;
using NuPlanBus.Metrics.Results;

namespace NuPlanBus.Metrics.Evaluation;

/// <summary>
/// ego_is_making_progress (high level, scored as a multiplier, "Planning", unit bool, min_progress_threshold 0.2;
/// docs/nuplan-simulation.md §4.3.11): BOOLEAN ego_is_making_progress = the progress ratio of
/// ego_progress_along_expert_route (its last statistic) ≥ 0.2. Nothing without a map.
/// </summary>
public sealed class EgoIsMakingProgressMetric(double minProgressThreshold = 0.2) : IMetric
{
    public string Name => MetricNames.EgoIsMakingProgress;

    public string Category => MetricCategories.Planning;

    public IReadOnlyList<string> Dependencies => [MetricNames.EgoProgressAlongExpertRoute];

    public IReadOnlyList<MetricStatistics> Compute(MetricInput input, MetricResults computedSoFar)
    {
        if (input.Map is null || !computedSoFar.TryGet(MetricNames.EgoProgressAlongExpertRoute, out var progress) || progress.Count == 0)
        {
            return [];
        }
        var making = progress[0].Statistics[^1].Value >= minProgressThreshold;
        return [new MetricStatistics(Name, Name, Category, [Statistic.Boolean(Name, making)], null, making ? 1.0 : 0.0, MetricUnits.Bool)];
    }
}
