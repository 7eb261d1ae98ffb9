using NuPlanBus.Domain.Geometry;
using NuPlanBus.Maps;
using NuPlanBus.Metrics.Engine;
using NuPlanBus.Metrics.Evaluation.Lanes;
using NuPlanBus.Metrics.Results;

namespace NuPlanBus.Metrics.Evaluation;

/// <summary>
/// drivable_area_compliance (high level, scored, "Planning", unit bool, max_violation_threshold 0.3 m;
/// docs/nuplan-simulation.md §4.3.8, docs/nuplan-scoring-and-planners.md §A.3). A corner is outside when no lane or
/// connector holds it and no DRIVABLE_AREA row strictly contains it; an outside corner is far unless it is closer
/// than the threshold to the polygons under the ego's centre or to the nearest drivable-area row. Two results: the
/// scored drivable_area_compliance (1 unless a corner was ever far) and the unscored corners_in_drivable_area with
/// its per-frame series.
/// </summary>
public sealed class DrivableAreaComplianceMetric(double maxViolationThreshold = 0.3) : IMetric
{
    public string Name => MetricNames.DrivableAreaCompliance;

    public string Category => MetricCategories.Planning;

    public IReadOnlyList<string> Dependencies => [MetricNames.EgoLaneChange];

    public double MaxViolationThreshold { get; } = maxViolationThreshold;

    public IReadOnlyList<MetricStatistics> Compute(MetricInput input, MetricResults computedSoFar)
    {
        if (LaneChangeAnalysis.Of(input) is not { } lanes)
        {
            return [];
        }
        var map = input.Map!;
        var states = input.EgoStates;
        var perFrame = new double[states.Length];
        var far = false;
        Span<Vector2> corners = stackalloc Vector2[4];
        var allInside = true;
        for (var i = 0; i < states.Length; i++)
        {
            states[i].Footprint(input.Vehicle).GetCorners(corners);
            var cornerRoutes = lanes.CornersRoute[i];
            var outside = false;
            for (var c = 0; c < 4; c++)
            {
                var (x, y) = (corners[c].X, corners[c].Y);
                if (cornerRoutes[c].Count > 0 || map.IsInLayer(x, y, SemanticMapLayer.DrivableArea))
                {
                    continue;
                }
                outside = true;
                // The devkit stops testing corners of a frame once one is far (any() short-circuits); far is sticky.
                far = far || IsFar(map, lanes.DrivenRoute[i], x, y);
            }
            perFrame[i] = outside ? 0.0 : 1.0;
            allInside &= !outside;
        }
        var compliant = !far;
        return
        [
            new MetricStatistics(Name, Name, Category, [Statistic.Boolean(Name, compliant)], null, compliant ? 1.0 : 0.0, MetricUnits.Bool),
            new MetricStatistics(Name, MetricNames.CornersInDrivableArea, Category,
                [Statistic.Boolean(MetricNames.CornersInDrivableArea, allInside)],
                new TimeSeries(StatisticType.BOOLEAN.DefaultUnit()!, input.TimestampsUs, perFrame)),
        ];
    }

    private bool IsFar(NuPlanMap map, List<Maps.Objects.LaneGraphEdge> centreObjects, double x, double y)
    {
        if (centreObjects.Count > 0 && centreObjects.Min(o => o.DistanceTo(x, y)) < MaxViolationThreshold)
        {
            return false;
        }
        var (_, distance) = map.GetDistanceToNearestMapObject(x, y, SemanticMapLayer.DrivableArea);
        return distance >= MaxViolationThreshold;
    }
}
