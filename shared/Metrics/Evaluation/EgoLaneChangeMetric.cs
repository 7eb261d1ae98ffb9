using NuPlanBus.Metrics.Engine;
using NuPlanBus.Metrics.Evaluation.Lanes;
using NuPlanBus.Metrics.Results;

namespace NuPlanBus.Metrics.Evaluation;

/// <summary>
/// ego_lane_change (low level, unscored, "Planning", max_fail_rate 0.3; docs/nuplan-simulation.md §4.3.5): COUNT
/// number_of_ego_lane_change; with lane changes MAX / MEAN of their durations (seconds) and RATIO
/// ratio_of_failed_ego_lane_change; BOOLEAN ego_lane_change_fail_rate_below_threshold (failed ratio ≤ 0.3). Needs a map.
/// </summary>
public sealed class EgoLaneChangeMetric(double maxFailRate = 0.3) : IMetric
{
    public string Name => MetricNames.EgoLaneChange;

    public string Category => MetricCategories.Planning;

    public IReadOnlyList<string> Dependencies => [];

    public double MaxFailRate { get; } = maxFailRate;

    public IReadOnlyList<MetricStatistics> Compute(MetricInput input, MetricResults computedSoFar)
    {
        if (LaneChangeAnalysis.Of(input) is not { } analysis)
        {
            return [];
        }
        var changes = analysis.LaneChanges;
        var statistics = new List<Statistic> { Statistic.Count("number_of_ego_lane_change", changes.Count) };
        var belowThreshold = true;
        if (changes.Count > 0)
        {
            var durations = changes.Select(c => c.DurationUs * 1e-6).ToArray();
            var failedRatio = (double)changes.Count(c => !c.Success) / changes.Count;
            statistics.Add(new Statistic("max_ego_lane_change_duration", "seconds", StatisticType.MAX, durations.Max()));
            statistics.Add(new Statistic("avg_ego_lane_change_duration", "seconds", StatisticType.MEAN, durations.Average()));
            statistics.Add(new Statistic("ratio_of_failed_ego_lane_change", StatisticType.RATIO.DefaultUnit()!, StatisticType.RATIO, failedRatio));
            belowThreshold = MaxFailRate >= failedRatio;
        }
        statistics.Add(Statistic.Boolean("ego_lane_change_fail_rate_below_threshold", belowThreshold));
        return [new MetricStatistics(Name, Name, Category, statistics)];
    }
}
