using NuPlanBus.Maps.Objects;
using NuPlanBus.Metrics.Engine;
using NuPlanBus.Metrics.Evaluation.Lanes;
using NuPlanBus.Metrics.Numerics;
using NuPlanBus.Metrics.Results;

namespace NuPlanBus.Metrics.Evaluation;

/// <summary>
/// speed_limit_compliance (high level, scored, "Violations", unit float; docs/nuplan-simulation.md §4.3.12). The limit
/// under the ego's centre is its lane's, or on connectors the largest limit of their outgoing and incoming lanes (the
/// connectors' own limits are never read); a missing or zero limit means no check. Consecutive over-speed frames form
/// one violation. Score 1 without violations, else max(0, 1 − Σ over-speed · mean step / (2.23 m/s · duration)).
/// </summary>
public sealed class SpeedLimitComplianceMetric(double maxOverspeedValueThreshold = 2.23) : IMetric
{
    public const string SeriesUnit = "over_speeding[meters_per_second]";

    public string Name => MetricNames.SpeedLimitCompliance;

    public string Category => MetricCategories.Violations;

    public IReadOnlyList<string> Dependencies => [MetricNames.EgoLaneChange];

    public IReadOnlyList<MetricStatistics> Compute(MetricInput input, MetricResults computedSoFar)
    {
        if (LaneChangeAnalysis.Of(input) is not { } lanes)
        {
            return [];
        }
        var timestamps = input.TimestampsUs;
        var depths = new double[timestamps.Length];
        var violations = new List<(long Start, long Duration, double Extremum, double Mean)>();
        (long Start, List<double> Depths)? open = null;
        for (var i = 0; i < timestamps.Length; i++)
        {
            var objects = lanes.DrivenRoute[i];
            var exceed = objects.Count == 0 ? null : Overspeed(input.EgoStates[i].Speed, objects);
            if (exceed is { } depth)
            {
                if (open is null)
                {
                    open = (timestamps[i], [depth]);
                }
                else
                {
                    open.Value.Depths.Add(depth);
                }
                depths[i] = depth;
            }
            else if (open is { } closed)
            {
                violations.Add(Close(closed, timestamps[i]));
                open = null;
            }
        }
        if (open is { } last)
        {
            violations.Add(Close(last, timestamps[^1]));
        }

        List<Statistic> statistics;
        double score;
        if (violations.Count == 0)
        {
            statistics = [Statistic.Boolean(Name, true)];
            score = 1.0;
        }
        else
        {
            var weighted = 0.0;
            var durations = 0L;
            foreach (var v in violations)
            {
                weighted += v.Mean * v.Duration;
                durations += v.Duration;
            }
            statistics =
            [
                Statistic.Count($"number_of_violations_of_{Name}", violations.Count),
                new($"max_violation_of_{Name}", MetricUnits.MetersPerSecond, StatisticType.MAX, violations.Max(v => v.Extremum)),
                new($"min_violation_of_{Name}", MetricUnits.MetersPerSecond, StatisticType.MIN, violations.Min(v => v.Extremum)),
                new($"mean_violation_of_{Name}", MetricUnits.MetersPerSecond, StatisticType.MEAN, weighted / durations),
                Statistic.Boolean(Name, false),
            ];
            score = Score(timestamps, depths);
        }
        return [new MetricStatistics(Name, Name, Category, statistics, new TimeSeries(SeriesUnit, timestamps, depths), score, MetricUnits.Float)];
    }

    /// <summary>max(0, 1 − Σ depth · mean step / (threshold · duration)); 1 for a history of no duration.</summary>
    private double Score(long[] timestamps, double[] depths)
    {
        var durationS = (timestamps[^1] - timestamps[0]) * 1e-6;
        if (durationS <= 0)
        {
            return 1.0;
        }
        var meanStepS = SeriesStatistics.MeanStepUs(timestamps) * 1e-6;
        var sum = 0.0;
        foreach (var depth in depths)
        {
            sum += depth;
        }
        var loss = sum * meanStepS / (Math.Max(maxOverspeedValueThreshold, 1e-3) * durationS);
        return Math.Max(0.0, 1.0 - loss);
    }

    private static (long, long, double, double) Close((long Start, List<double> Depths) violation, long endUs) =>
        (violation.Start, endUs - violation.Start, violation.Depths.Max(), violation.Depths.Average());

    private static double? Overspeed(double speed, List<LaneGraphEdge> objects)
    {
        double? limit;
        if (objects[0] is Lane lane)
        {
            limit = lane.SpeedLimitMps is { } l && l != 0 ? l : null;
        }
        else
        {
            limit = double.NegativeInfinity;
            var any = false;
            foreach (var connector in objects)
            {
                foreach (var edge in connector.OutgoingEdges.Concat(connector.IncomingEdges))
                {
                    any = true;
                    if (edge.SpeedLimitMps is not { } l || l == 0)
                    {
                        return null;
                    }
                    limit = Math.Max(limit.Value, l);
                }
            }
            if (!any)
            {
                throw new InvalidOperationException($"Lane connector {objects[0].Id} has no incoming or outgoing lane to take a speed limit from.");
            }
        }
        if (limit is not { } max)
        {
            return null;
        }
        var exceed = speed - max;
        return exceed > 0 ? exceed : null;
    }
}
