using NuPlanBus.Domain.Geometry;
using NuPlanBus.Maps;
using NuPlanBus.Maps.Objects;
using NuPlanBus.Metrics.Engine;
using NuPlanBus.Metrics.Evaluation.Lanes;
using NuPlanBus.Metrics.Numerics;
using NuPlanBus.Metrics.Results;

namespace NuPlanBus.Metrics.Evaluation;

/// <summary>
/// ego_progress_along_expert_route (low level but scored, "Planning", no score unit, score_progress_threshold 2 m;
/// docs/nuplan-simulation.md §4.3.10). The route is the one the expert drove — its centres' lanes, simplified, cut
/// into (roadblock, baseline) pairs whenever the roadblock changes — not the mission route. Ego and expert progress
/// along it come from baseline projections while inside the current roadblock polygon, jumping forward (and counting
/// skipped roadblocks) when a later one holds the point. Score = ratio = 0 if the ego's total is below −2 m, else
/// min(1, max(ego, 2) / max(expert, 2)); 1 when the expert never touched a lane.
/// </summary>
public sealed class EgoProgressAlongExpertRouteMetric(double scoreProgressThreshold = 2) : IMetric
{
    public string Name => MetricNames.EgoProgressAlongExpertRoute;

    public string Category => MetricCategories.Planning;

    public IReadOnlyList<string> Dependencies => [];

    public IReadOnlyList<MetricStatistics> Compute(MetricInput input, MetricResults computedSoFar)
    {
        if (input.Map is not { } map)
        {
            return [];
        }
        var vehicle = input.Vehicle;
        var ego = input.EgoStates.Select(s => s.Center(vehicle).Position).ToArray();
        var expert = input.Scenario.ExpertTrajectory.Select(s => s.Center(vehicle).Position).ToArray();
        var route = RouteExtractor.Simplify(RouteExtractor.Route(map, expert));
        if (route.Count == 0)
        {
            return
            [
                new MetricStatistics(Name, Name, Category,
                [
                    new("expert_total_progress_along_route", MetricUnits.Meters, StatisticType.VALUE, 0.0),
                    new("ego_expert_progress_along_route_ratio", StatisticType.RATIO.DefaultUnit()!, StatisticType.RATIO, 1.0),
                ], null, 1.0),
            ];
        }
        var blocks = RouteBlocks(map, route);
        var egoProgress = new ProgressComputer(blocks).Run(ego);
        var expertProgress = new ProgressComputer(blocks).Run(expert);
        var egoTotal = SeriesStatistics.Sum(egoProgress);
        var expertTotal = SeriesStatistics.Sum(expertProgress);
        var ratio = egoTotal < -scoreProgressThreshold
            ? 0.0
            : Math.Min(1.0, Math.Max(egoTotal, scoreProgressThreshold) / Math.Max(expertTotal, scoreProgressThreshold));
        var statistics = new List<Statistic>
        {
            new("expert_total_progress_along_route", MetricUnits.Meters, StatisticType.VALUE, expertTotal),
            new("ego_total_progress_along_route", MetricUnits.Meters, StatisticType.VALUE, egoTotal),
            new("ego_expert_progress_along_route_ratio", StatisticType.RATIO.DefaultUnit()!, StatisticType.RATIO, ratio),
        };
        return [new MetricStatistics(Name, Name, Category, statistics, new TimeSeries(MetricUnits.Meters, input.TimestampsUs, egoProgress), ratio)];
    }

    /// <summary><c>get_route_baseline_roadblock_linkedlist</c>: a new pair whenever the first object's roadblock changes.</summary>
    private static List<(RoadblockBase Block, Polyline Baseline)> RouteBlocks(NuPlanMap map, List<List<LaneGraphEdge>> route)
    {
        var blocks = new List<(RoadblockBase, Polyline)>();
        string? previous = null;
        foreach (var entry in route)
        {
            var first = entry[0];
            if (first.RoadblockId == previous)
            {
                continue;
            }
            previous = first.RoadblockId;
            blocks.Add((map.RoadblockOf(first), first.Baseline));
        }
        return blocks;
    }

    /// <summary>The devkit's <c>PerFrameProgressAlongRouteComputer</c> over one pose sequence.</summary>
    private sealed class ProgressComputer(List<(RoadblockBase Block, Polyline Baseline)> blocks)
    {
        private int _current;
        private double _previousDistance;

        public double[] Run(Vector2[] poses)
        {
            var progress = new double[poses.Length];
            _previousDistance = blocks[_current].Baseline.Project(poses[0].X, poses[0].Y);
            for (var i = 1; i < poses.Length; i++)
            {
                var p = poses[i];
                if (blocks[_current].Block.ContainsPoint(p.X, p.Y))
                {
                    var distance = blocks[_current].Baseline.Project(p.X, p.Y);
                    progress[i] = distance - _previousDistance;
                    _previousDistance = distance;
                }
                else
                {
                    progress[i] = MultiBlockProgress(p);
                }
            }
            return progress;
        }

        private double MultiBlockProgress(Vector2 p)
        {
            var skippedProgress = 0.0;
            var next = _current + 1;
            int? skipped = null;
            while (next < blocks.Count)
            {
                if (blocks[next].Block.ContainsPoint(p.X, p.Y))
                {
                    return ProgressIncludingSkipped(p, next, skippedProgress);
                }
                if (next + 1 >= blocks.Count)
                {
                    break;
                }
                // compute_progress_for_skipped_road_block: the skipped baseline from the previous end to the next start.
                var lastPoint = End(blocks[skipped ?? _current].Baseline);
                skipped = next;
                var skippedLine = blocks[next].Baseline;
                var s0 = skippedLine.Project(lastPoint.X, lastPoint.Y);
                next++;
                var firstPoint = Start(blocks[next].Baseline);
                skippedProgress += skippedLine.Project(firstPoint.X, firstPoint.Y) - s0;
            }
            return 0.0;
        }

        private double ProgressIncludingSkipped(Vector2 p, int next, double skippedProgress)
        {
            var current = blocks[_current].Baseline;
            var previousProgress = current.Length - _previousDistance;
            var lastPoint = End(current);
            _current = next;
            var line = blocks[next].Baseline;
            var distance = line.Project(p.X, p.Y);
            var lastOnNew = line.Project(lastPoint.X, lastPoint.Y);
            _previousDistance = distance;
            return previousProgress + (distance - lastOnNew) + skippedProgress;
        }

        private static Vector2 Start(Polyline line) => new(line.LineString.GetCoordinateN(0).X, line.LineString.GetCoordinateN(0).Y);

        private static Vector2 End(Polyline line)
        {
            var c = line.LineString.GetCoordinateN(line.LineString.NumPoints - 1);
            return new Vector2(c.X, c.Y);
        }
    }
}
