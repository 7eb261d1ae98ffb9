using System.Globalization;
using NuPlanBus.Metrics.Engine;
using NuPlanBus.Metrics.Evaluation.Lanes;
using NuPlanBus.Metrics.Numerics;
using NuPlanBus.Metrics.Results;

namespace NuPlanBus.Metrics.Evaluation;

/// <summary>
/// driving_direction_compliance (high level, scored as a multiplier, "Planning", unit bool; thresholds 2 m and 6 m
/// over 1 s; docs/nuplan-simulation.md §4.3.9). Per frame, the change of the ego centre's projection on the baseline
/// of its (first) lane while the lane stays the same — the first two frames in a new lane and a projection of exactly
/// 0 give 0 — summed over the last second; the most negative sum m scores 1 below 2 m, 0.5 below 6 m, else 0.
/// </summary>
public sealed class DrivingDirectionComplianceMetric(
    double complianceThreshold = 2, double violationThreshold = 6, int timeHorizonS = 1) : IMetric
{
    public string Name => MetricNames.DrivingDirectionCompliance;

    public string Category => MetricCategories.Planning;

    public IReadOnlyList<string> Dependencies => [MetricNames.EgoLaneChange];

    public IReadOnlyList<MetricStatistics> Compute(MetricInput input, MetricResults computedSoFar)
    {
        if (LaneChangeAnalysis.Of(input) is not { } lanes)
        {
            return [];
        }
        var timestamps = input.TimestampsUs;
        if (timestamps.Length < 2)
        {
            throw new InvalidOperationException("driving_direction_compliance needs at least two history states.");
        }
        var horizon = (int)(timeHorizonS * 1e6 / SeriesStatistics.MeanStepUs(timestamps));

        var route = lanes.DrivenRoute;
        var progress = new double[route.Count];
        long? previousId = route[0].Count > 0 ? route[0][0].Fid : null;
        double? previousDistance = null;
        for (var i = 0; i < route.Count; i++)
        {
            var objects = route[i];
            if (objects.Count == 0)
            {
                continue;
            }
            if (previousId is { } id && objects[0].Fid == id)
            {
                var centre = input.EgoStates[i].Center(input.Vehicle);
                var distance = objects[0].Baseline.Project(centre.X, centre.Y);
                progress[i] = previousDistance is { } before && distance != 0 ? distance - before : 0.0;
                previousDistance = distance;
            }
            else
            {
                previousDistance = null;
                previousId = objects[0].Fid;
            }
        }
        var windowed = new double[progress.Length];
        var minimum = double.PositiveInfinity;
        for (var i = 0; i < progress.Length; i++)
        {
            var sum = 0.0;
            for (var j = Math.Max(0, i - horizon); j <= i; j++)
            {
                sum += progress[j];
            }
            windowed[i] = sum;
            minimum = Math.Min(minimum, sum);
        }
        var worst = Math.Abs(minimum);
        var score = worst < complianceThreshold ? 1.0 : worst < violationThreshold ? 0.5 : 0.0;
        var horizonText = timeHorizonS.ToString(CultureInfo.InvariantCulture);
        var statistics = new List<Statistic>
        {
            new("driving_direction_compliance_score", "value", StatisticType.VALUE, score),
            new($"min_progress_along_driving_direction_in_{horizonText}_second_interval", MetricUnits.Meters, StatisticType.MIN, -worst),
        };
        var series = new TimeSeries($"progress_along_driving_direction_in_last_{horizonText}_seconds_[m]", timestamps, windowed);
        return [new MetricStatistics(Name, Name, Category, statistics, series, score, MetricUnits.Bool)];
    }
}
