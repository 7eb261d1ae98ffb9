using NuPlanBus.Domain.States;
using NuPlanBus.Metrics.Engine;
using NuPlanBus.Metrics.Evaluation.Collisions;
using NuPlanBus.Metrics.Evaluation.Lanes;
using NuPlanBus.Metrics.Results;

namespace NuPlanBus.Metrics.Evaluation;

/// <summary>
/// no_ego_at_fault_collisions (high level, scored, "Dynamics", unit float; docs/nuplan-simulation.md §4.3.6). Each track collides at
/// most once (its first frame). Statistics in the devkit's order: BOOLEAN no_ego_at_fault_collisions, COUNT
/// number_of_all_at_fault_collisions, COUNT number_of_at_fault_collisions_with_VRUs / _vehicles / _objects, then for
/// each non-empty group MAX/MIN/MEAN max_/min_/mean_collision_energy_with_&lt;group&gt; (meters_per_second).
/// Score: 1 without at-fault collisions, else Π over groups of max(0, 1 − count/(threshold + 1)).
/// Lane membership per timestamp comes from the map as ego_lane_change derives it; without a map <see cref="Lanes"/>
/// stands in for it.
/// </summary>
public sealed class NoEgoAtFaultCollisionsMetric : IMetric
{
    public const string EnergyUnit = "meters_per_second";

    private static readonly (CollisionGroup Group, string Name, TrackedObjectType[] Types)[] Groups =
    [
        (CollisionGroup.VRUs, "VRUs", [TrackedObjectType.Pedestrian, TrackedObjectType.Bicycle]),
        (CollisionGroup.Vehicles, "vehicles", [TrackedObjectType.Vehicle]),
        (CollisionGroup.Objects, "objects",
            [TrackedObjectType.TrafficCone, TrackedObjectType.Barrier, TrackedObjectType.CzoneSign, TrackedObjectType.GenericObject]),
    ];

    public NoEgoAtFaultCollisionsMetric(
        int maxViolationThresholdVru = 0,
        int maxViolationThresholdVehicle = 0,
        int maxViolationThresholdObject = 1,
        EgoLaneAssumption lanes = EgoLaneAssumption.InsideLane)
    {
        MaxViolationThresholdVru = maxViolationThresholdVru;
        MaxViolationThresholdVehicle = maxViolationThresholdVehicle;
        MaxViolationThresholdObject = maxViolationThresholdObject;
        Lanes = lanes;
    }

    public string Name => MetricNames.NoEgoAtFaultCollisions;

    public string Category => MetricCategories.Dynamics;

    public IReadOnlyList<string> Dependencies => [];

    public int MaxViolationThresholdVru { get; }

    public int MaxViolationThresholdVehicle { get; }

    public int MaxViolationThresholdObject { get; }

    public EgoLaneAssumption Lanes { get; }

    public IReadOnlyList<MetricStatistics> Compute(MetricInput input, MetricResults computedSoFar)
    {
        var collisions = EgoCollisions.Of(input);
        var membership = EgoLaneMembership.Of(input, Lanes);
        // Energies per group in the devkit's order: by type within the group, then by collision order.
        var energies = new List<double>[Groups.Length];
        // The devkit counts every at-fault collision, including types outside the three groups.
        var total = 0;
        foreach (var collision in collisions)
        {
            if (collision.IsAtFault(membership.InsideOneLane(collision.SampleIndex)))
            {
                total++;
            }
        }
        for (var g = 0; g < Groups.Length; g++)
        {
            energies[g] = [];
            foreach (var type in Groups[g].Types)
            {
                foreach (var collision in collisions)
                {
                    if (collision.ObjectType == type && collision.IsAtFault(membership.InsideOneLane(collision.SampleIndex)))
                    {
                        energies[g].Add(collision.EgoDeltaV);
                    }
                }
            }
        }

        var statistics = new List<Statistic>
        {
            Statistic.Boolean(Name, total == 0),
            Statistic.Count("number_of_all_at_fault_collisions", total),
        };
        for (var g = 0; g < Groups.Length; g++)
        {
            statistics.Add(Statistic.Count($"number_of_at_fault_collisions_with_{Groups[g].Name}", energies[g].Count));
        }
        for (var g = 0; g < Groups.Length; g++)
        {
            var group = energies[g];
            if (group.Count == 0)
            {
                continue;
            }
            var max = double.NegativeInfinity;
            var min = double.PositiveInfinity;
            var sum = 0.0;
            foreach (var energy in group)
            {
                max = Math.Max(max, energy);
                min = Math.Min(min, energy);
                sum += energy;
            }
            statistics.Add(new Statistic($"max_collision_energy_with_{Groups[g].Name}", EnergyUnit, StatisticType.MAX, max));
            statistics.Add(new Statistic($"min_collision_energy_with_{Groups[g].Name}", EnergyUnit, StatisticType.MIN, min));
            statistics.Add(new Statistic($"mean_collision_energy_with_{Groups[g].Name}", EnergyUnit, StatisticType.MEAN, sum / group.Count));
        }

        var score = total == 0
            ? 1.0
            : CollisionScore(energies[0].Count, MaxViolationThresholdVru)
              * CollisionScore(energies[1].Count, MaxViolationThresholdVehicle)
              * CollisionScore(energies[2].Count, MaxViolationThresholdObject);
        return [new MetricStatistics(Name, Name, Category, statistics, TimeSeries: null, MetricScore: score, MetricScoreUnit: MetricUnits.Float)];
    }

    /// <summary>max(0, 1 − count / (threshold + 1)).</summary>
    public static double CollisionScore(int count, int maxViolationThreshold) =>
        Math.Max(0.0, 1.0 - ((double)count / (maxViolationThreshold + 1)));
}
