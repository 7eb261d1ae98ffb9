using System.Diagnostics;
using NuPlanBus.Domain.States;
using NuPlanBus.Metrics.Engine;
using NuPlanBus.Metrics.Evaluation;
using NuPlanBus.Metrics.Evaluation.Collisions;
using NuPlanBus.Metrics.Results;
using static NuPlanBus.Metrics.Tests.MetricTestScenes;

namespace NuPlanBus.Metrics.Tests;

/// <summary>
/// time_to_collision_within_bound on hand-built scenes. The box car (front edge 4 m ahead of the rear axle) drives
/// along +x at 10 m/s, i.e. exactly 1 m per 0.1 s step, so a static obstacle whose rear face is g metres ahead of
/// the bumper is first touched after g steps.
/// </summary>
public class TimeToCollisionTests
{
    private static MetricStatistics Compute(MetricInput input, EgoLaneAssumption lanes = EgoLaneAssumption.InsideLane, double horizon = 3.0) =>
        new MetricEngine([new NoEgoAtFaultCollisionsMetric(lanes: lanes), new TimeToCollisionWithinBoundMetric(timeHorizon: horizon, lanes: lanes)])
            .Compute(input).Metrics.Single(m => m.Name == MetricNames.TimeToCollisionWithinBound);

    private static TrackedObject StaticCarAhead(double gap) =>
        Object("parked", TrackedObjectType.Vehicle, 4.0 + gap + 2.0, 0, 0, 4.0, 2.0);

    [Theory]
    [InlineData(10.5, 1.1, true)]
    [InlineData(5.5, 0.6, false)]
    [InlineData(29.0, 2.9, true)]
    public void A_parked_car_ahead_gives_the_first_touching_step(double gap, double expectedTtc, bool withinBound)
    {
        var input = Closed([Ego(0, 0, 0, 0, 10.0)], [[StaticCarAhead(gap)]]);

        var result = Compute(input);

        Assert.Equal(expectedTtc, result.Statistics[0].Value, 9);
        Assert.Equal(withinBound, result.Statistics[1].AsBoolean);
        Assert.Equal(withinBound ? 1.0 : 0.0, result.MetricScore);
        Assert.Equal("time_to_collision_under_3.0_seconds [s]", result.TimeSeries!.Unit);
    }

    [Fact]
    public void A_collision_exactly_at_the_horizon_is_not_counted()
    {
        // First touch after 30 steps = 3.0 s; numpy's arange(0.1, 3.0, 0.1) stops at 2.9 s.
        var input = Closed([Ego(0, 0, 0, 0, 10.0)], [[StaticCarAhead(30.0)]]);

        var result = Compute(input);

        Assert.Equal(double.PositiveInfinity, result.Statistics[0].Value);
        Assert.True(result.Statistics[1].AsBoolean);
        var times = new TimeToCollisionWithinBoundMetric().ProjectionTimes;
        Assert.Equal(29, times.Count);
        Assert.Equal(2.9, times[^1], 12);
        Assert.Equal(49, new TimeToCollisionWithinBoundMetric(timeHorizon: 5.0).ProjectionTimes.Count);
    }

    [Fact]
    public void A_stopped_ego_has_infinite_time_to_collision()
    {
        var input = Closed([Ego(0, 0, 0, 0, 0.004)], [[StaticCarAhead(0.5)]]);

        var result = Compute(input);

        Assert.Equal(double.PositiveInfinity, result.Statistics[0].Value);
        Assert.Equal(1.0, result.MetricScore);
    }

    [Fact]
    public void An_at_fault_collision_is_zero_and_the_collided_track_then_leaves_the_analysis()
    {
        var parked = StaticCarAhead(-0.5);
        var input = Closed([Ego(0, 0, 0, 0, 10.0), Ego(100_000, 0.0, 0, 0, 10.0)], [[parked], [parked]]);

        var result = Compute(input);

        Assert.Equal([0.0, double.PositiveInfinity], result.TimeSeries!.Values);
        Assert.Equal([0L, 100_000L], result.TimeSeries.TimestampsUs);
        Assert.Equal(0.0, result.Statistics[0].Value);
        Assert.Equal(0.0, result.MetricScore);
    }

    [Fact]
    public void A_not_at_fault_collision_is_not_zero_but_still_removes_the_track()
    {
        // Rear-ended at frame 0: not at fault, so no forced 0; the car behind is excluded anyway (and is behind).
        var behind = Object("tailgater", TrackedObjectType.Vehicle, -3.0, 0, 0, 4.5, 2.0, speed: 12.0);
        var input = Closed([Ego(0, 0, 0, 0, 10.0)], [[behind]]);

        var result = Compute(input, EgoLaneAssumption.NotInsideLane);

        Assert.Equal(double.PositiveInfinity, result.Statistics[0].Value);
    }

    [Fact]
    public void A_crossing_object_beside_the_ego_counts_only_when_the_ego_is_not_in_a_lane()
    {
        // 32° to the left, crossing the ego's path at 5 m/s: its near face reaches y = 1 after 6.5 steps.
        var crossing = Object("crossing", TrackedObjectType.Vehicle, 10.0, 6.25, -Math.PI / 2, 4.0, 2.0, speed: 5.0);
        var input = Closed([Ego(0, 0, 0, 0, 10.0)], [[crossing]]);

        var inLane = Compute(input, EgoLaneAssumption.InsideLane);
        var notInLane = Compute(input, EgoLaneAssumption.NotInsideLane);

        Assert.Equal(double.PositiveInfinity, inLane.Statistics[0].Value);
        Assert.Equal(0.7, notInLane.Statistics[0].Value, 9);
        Assert.False(notInLane.Statistics[1].AsBoolean);
        Assert.Equal(0.0, notInLane.MetricScore);
    }

    [Fact]
    public void Objects_behind_are_never_projected()
    {
        var chasing = Object("chasing", TrackedObjectType.Vehicle, -12.0, 0, 0, 4.0, 2.0, speed: 30.0);
        var input = Closed([Ego(0, 0, 0, 0, 10.0)], [[chasing]]);

        Assert.Equal(double.PositiveInfinity, Compute(input, EgoLaneAssumption.NotInsideLane).Statistics[0].Value);
    }

    [Fact]
    public void An_object_ahead_driving_away_faster_is_filtered_out_as_irrelevant()
    {
        var leader = Object("leader", TrackedObjectType.Vehicle, 60.0, 0, 0, 4.0, 2.0, speed: 20.0);
        var input = Closed([Ego(0, 0, 0, 0, 10.0)], [[leader]]);

        Assert.Equal(double.PositiveInfinity, Compute(input).Statistics[0].Value);
    }

    [Fact]
    public void The_horizon_names_the_series_unit_as_python_prints_it()
    {
        Assert.Equal("time_to_collision_under_3.0_seconds [s]", new TimeToCollisionWithinBoundMetric().SeriesUnit);
        Assert.Equal("time_to_collision_under_2.5_seconds [s]", new TimeToCollisionWithinBoundMetric(timeHorizon: 2.5).SeriesUnit);
    }

    [Fact]
    public void One_hundred_fifty_samples_with_fifty_objects_compute_quickly()
    {
        const int samples = 150;
        const int objects = 50;
        var egos = new EgoState[samples];
        var frames = new TrackedObject[samples][];
        var random = new Random(7);
        var layout = new (double X, double Y, double Heading, double Speed)[objects];
        for (var k = 0; k < objects; k++)
        {
            layout[k] = (random.NextDouble() * 200 - 50, random.NextDouble() * 40 - 20, random.NextDouble() * 2 * Math.PI, random.NextDouble() * 15);
        }
        for (var i = 0; i < samples; i++)
        {
            egos[i] = Ego(i * 100_000L, i * 1.0, 0, 0, 10.0);
            frames[i] = new TrackedObject[objects];
            for (var k = 0; k < objects; k++)
            {
                var (x, y, h, v) = layout[k];
                var t = i * 0.1;
                frames[i][k] = Object($"track{k}", TrackedObjectType.Vehicle, x + v * t * Math.Cos(h), y + v * t * Math.Sin(h), h, 4.5, 2.0, v);
            }
        }
        var input = Closed(egos, frames);
        var engine = new MetricEngine([new NoEgoAtFaultCollisionsMetric(), new TimeToCollisionWithinBoundMetric(lanes: EgoLaneAssumption.NotInsideLane)]);
        engine.Compute(input); // warm-up (JIT)

        var stopwatch = Stopwatch.StartNew();
        var result = engine.Compute(Closed(egos, frames));
        stopwatch.Stop();

        Assert.Equal(samples, result.Metrics.Single(m => m.Name == MetricNames.TimeToCollisionWithinBound).TimeSeries!.Values.Count);
        Assert.True(stopwatch.ElapsedMilliseconds < 500, $"TTC took {stopwatch.ElapsedMilliseconds} ms");
    }
}
