using NuPlanBus.Domain.States;
using NuPlanBus.Metrics.Engine;
using NuPlanBus.Metrics.Evaluation;
using NuPlanBus.Metrics.Evaluation.Collisions;
using NuPlanBus.Metrics.Results;
using static NuPlanBus.Metrics.Tests.MetricTestScenes;

namespace NuPlanBus.Metrics.Tests;

/// <summary>
/// no_ego_at_fault_collisions on hand-built scenes. The box car's footprint is x ∈ [−1, 4], y ∈ [−1, 1] for a rear
/// axle at the origin heading +x, so its front edge is x = 4.
/// </summary>
public class CollisionMetricTests
{
    private static MetricStatistics Compute(MetricInput input, EgoLaneAssumption lanes = EgoLaneAssumption.InsideLane) =>
        new MetricEngine([new NoEgoAtFaultCollisionsMetric(lanes: lanes)]).Compute(input).Metrics.Single();

    private static double Value(MetricStatistics result, string name) => result.Statistics.Single(s => s.Name == name).Value;

    [Fact]
    public void Driving_into_a_static_object_is_an_at_fault_object_collision_scoring_a_half()
    {
        var input = Closed([Ego(0, 0, 0, 0, 4.0)], [[Object("cone", TrackedObjectType.TrafficCone, 4.2, 0, 0, 0.5, 0.5)]]);

        var result = Compute(input);

        Assert.Equal(CollisionType.StoppedTrack, Assert.Single(EgoCollisions.Of(input)).Type);
        Assert.False(result.Statistics[0].AsBoolean);
        Assert.Equal(1, Value(result, "number_of_at_fault_collisions_with_objects"));
        Assert.Equal(2.0, Value(result, "max_collision_energy_with_objects"), 12); // ½·√(v_e²) with a static object
        Assert.Equal(0.5, result.MetricScore);
    }

    [Fact]
    public void Two_object_collisions_score_zero()
    {
        var input = Closed([Ego(0, 0, 0, 0, 4.0)], [[
            Object("cone", TrackedObjectType.TrafficCone, 4.2, 0.5, 0, 0.5, 0.5),
            Object("barrier", TrackedObjectType.Barrier, 4.2, -0.5, 0, 0.5, 0.5),
        ]]);

        Assert.Equal(0.0, Compute(input).MetricScore);
    }

    [Fact]
    public void Being_rear_ended_is_not_at_fault()
    {
        // A faster vehicle behind overlapping the rear bumper; its centre is 180° from the ego heading.
        var input = Closed([Ego(0, 0, 0, 0, 5.0)], [[Object("car", TrackedObjectType.Vehicle, -3.0, 0, 0, 4.5, 2.0, speed: 10.0)]]);

        var result = Compute(input, EgoLaneAssumption.NotInsideLane);

        var collision = Assert.Single(EgoCollisions.Of(input));
        Assert.Equal(CollisionType.ActiveRear, collision.Type);
        Assert.Equal(0.5 * 5.0, collision.EgoDeltaV, 12);
        Assert.True(result.Statistics[0].AsBoolean);
        Assert.Equal(1.0, result.MetricScore);
    }

    [Fact]
    public void A_stopped_ego_is_never_at_fault()
    {
        var input = Closed([Ego(0, 0, 0, 0, 0.04)], [[Object("car", TrackedObjectType.Vehicle, 5.0, 0, Math.PI, 4.5, 2.0, speed: 8.0)]]);

        Assert.Equal(CollisionType.StoppedEgo, Assert.Single(EgoCollisions.Of(input)).Type);
        Assert.Equal(1.0, Compute(input).MetricScore);
    }

    [Fact]
    public void A_moving_vehicle_hit_with_the_front_bumper_is_at_fault_and_scores_zero()
    {
        var input = Closed([Ego(0, 0, 0, 0, 10.0)], [[Object("car", TrackedObjectType.Vehicle, 6.0, 0, 0, 4.5, 2.0, speed: 6.0)]]);

        var result = Compute(input);

        var collision = Assert.Single(EgoCollisions.Of(input));
        Assert.Equal(CollisionType.ActiveFront, collision.Type);
        Assert.Equal(0.5 * 4.0, collision.EgoDeltaV, 12);
        Assert.Equal(1, Value(result, "number_of_at_fault_collisions_with_vehicles"));
        Assert.Equal(0.0, result.MetricScore);
    }

    [Fact]
    public void A_lateral_collision_depends_on_the_lane_assumption()
    {
        // Side by side, overlapping the ego's left side only; the front edge x = 4 is not reached.
        var input = Closed([Ego(0, 0, 0, 0, 5.0)], [[Object("bike", TrackedObjectType.Bicycle, 1.5, 1.4, 0, 2.0, 1.0, speed: 5.0)]]);

        var inLane = Compute(input, EgoLaneAssumption.InsideLane);
        var notInLane = Compute(input, EgoLaneAssumption.NotInsideLane);

        Assert.Equal(CollisionType.ActiveLateral, Assert.Single(EgoCollisions.Of(input)).Type);
        Assert.Equal(1.0, inLane.MetricScore);
        Assert.Equal(0, Value(inLane, "number_of_all_at_fault_collisions"));
        Assert.Equal(0.0, notInLane.MetricScore);
        Assert.Equal(1, Value(notInLane, "number_of_at_fault_collisions_with_VRUs"));
    }

    [Fact]
    public void A_track_colliding_in_several_frames_counts_once()
    {
        var cone = Object("cone", TrackedObjectType.TrafficCone, 4.2, 0, 0, 0.5, 0.5);
        var away = cone with { Box = cone.Box with { Center = cone.Box.Center with { X = 40 } } };
        var input = Closed(
            [Ego(0, 0, 0, 0, 4.0), Ego(100_000, 0.1, 0, 0, 4.0), Ego(200_000, 0.2, 0, 0, 4.0)],
            [[cone], [away], [cone]]);

        var result = Compute(input);

        var collision = Assert.Single(EgoCollisions.Of(input));
        Assert.Equal(0, collision.SampleIndex);
        Assert.Equal(1, Value(result, "number_of_all_at_fault_collisions"));
        Assert.Equal(0.5, result.MetricScore);
    }

    [Fact]
    public void Statistics_come_in_the_devkit_order_with_energies_per_non_empty_group()
    {
        var input = Closed([Ego(0, 0, 0, 0, 4.0)], [[
            Object("ped", TrackedObjectType.Pedestrian, 4.2, 0.5, Math.PI / 2, 0.5, 0.5, speed: 1.0),
            Object("cone", TrackedObjectType.TrafficCone, 4.2, -0.5, 0, 0.5, 0.5),
        ]]);

        var result = Compute(input);

        Assert.Equal(
            [
                "no_ego_at_fault_collisions", "number_of_all_at_fault_collisions", "number_of_at_fault_collisions_with_VRUs",
                "number_of_at_fault_collisions_with_vehicles", "number_of_at_fault_collisions_with_objects",
                "max_collision_energy_with_VRUs", "min_collision_energy_with_VRUs", "mean_collision_energy_with_VRUs",
                "max_collision_energy_with_objects", "min_collision_energy_with_objects", "mean_collision_energy_with_objects",
            ],
            result.Statistics.Select(s => s.Name));
        Assert.Equal(
            [StatisticType.BOOLEAN, StatisticType.COUNT, StatisticType.COUNT, StatisticType.COUNT, StatisticType.COUNT,
                StatisticType.MAX, StatisticType.MIN, StatisticType.MEAN, StatisticType.MAX, StatisticType.MIN, StatisticType.MEAN],
            result.Statistics.Select(s => s.Type));
        Assert.Equal(2, Value(result, "number_of_all_at_fault_collisions"));
        Assert.Equal(0.0, result.MetricScore); // any VRU collision zeroes the score
    }
}
