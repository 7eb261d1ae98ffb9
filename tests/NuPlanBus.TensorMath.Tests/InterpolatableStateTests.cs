using NuPlanBus.Domain.Geometry;
using NuPlanBus.Domain.States;
using NuPlanBus.TensorMath.States;

namespace NuPlanBus.TensorMath.Tests;

/// <summary>SplitState, the ego layout and the split-state interpolator (docs/nuplan-runtime.md §7).</summary>
public class InterpolatableStateTests
{
    private static readonly VehicleParameters Vehicle = VehicleParameters.Pacifica;

    private static InterpolatableEgoState Ego(long timeUs, double x, double y, double heading, double vx = 1, double steering = 0.1) =>
        new(new EgoState(timeUs, new Pose(x, y, heading), new Vector2(vx, 0.2), new Vector2(0.3, -0.4), steering), Vehicle);

    [Fact]
    public void Ego_split_follows_the_devkit_layout()
    {
        var split = Ego(1_000_000, 2, 3, 0.5, vx: 4, steering: 0.05).ToSplitState();
        Assert.Equal([1_000_000, 2, 3, 4, 0.2, 0.3, -0.4, 0.05], split.Linear);
        Assert.Equal([0.5], split.Angular);
        Assert.Same(Vehicle, Assert.Single(split.Fixed));
        Assert.Equal(10, split.Length);
    }

    [Fact]
    public void Ego_round_trips_through_its_split()
    {
        var ego = Ego(123_456, -1.5, 7.25, -2.5);
        var rebuilt = InterpolatableEgoState.FromSplitState(ego.ToSplitState());
        Assert.Equal(ego, rebuilt);
    }

    [Fact]
    public void Rebuilding_truncates_the_time_to_integer_microseconds()
    {
        var split = new SplitState([1_900_000.9, 0, 0, 0, 0, 0, 0, 0], [0.0], [Vehicle]);
        Assert.Equal(1_900_000, InterpolatableEgoState.FromSplitState(split).TimeUs);
    }

    [Fact]
    public void A_split_of_the_wrong_size_is_a_runtime_error()
    {
        var nine = new SplitState([0, 0, 0, 0, 0, 0, 0, 0], [0.0], []);
        var eleven = new SplitState([0, 0, 0, 0, 0, 0, 0, 0, 0], [0.0], [Vehicle]);
        Assert.Throws<InvalidOperationException>(() => InterpolatableEgoState.FromSplitState(nine));
        Assert.Throws<InvalidOperationException>(() => InterpolatableEgoState.FromSplitState(eleven));
    }

    [Fact]
    public void A_split_of_size_ten_with_another_layout_is_rejected()
    {
        var shifted = new SplitState([0, 0, 0, 0, 0, 0, 0, 0, 0], [], [Vehicle]);
        var noVehicle = new SplitState([0, 0, 0, 0, 0, 0, 0, 0], [0.0], ["pacifica"]);
        Assert.Throws<ArgumentException>(() => InterpolatableEgoState.FromSplitState(shifted));
        Assert.Throws<ArgumentException>(() => InterpolatableEgoState.FromSplitState(noVehicle));
    }

    [Fact]
    public void Linear_parts_are_linear_in_time_and_fixed_parts_come_from_the_first_sample()
    {
        var other = VehicleParameters.Pacifica with { Name = "other" };
        var a = Ego(0, 0, 10, 0.0, vx: 2);
        var b = new InterpolatableEgoState(Ego(1_000_000, 4, 14, 0.4, vx: 6).State, other);
        var interpolator = new SplitStateInterpolator<InterpolatableEgoState>([a, b]);
        var mid = interpolator.Interpolate(250_000);
        Assert.Equal(250_000, mid.TimeUs);
        Assert.Equal(1.0, mid.State.RearAxle.X, 12);
        Assert.Equal(11.0, mid.State.RearAxle.Y, 12);
        Assert.Equal(0.1, mid.State.RearAxle.Heading, 12);
        Assert.Equal(3.0, mid.State.RearAxleVelocity.X, 12);
        Assert.Same(Vehicle, mid.Vehicle);
        Assert.Equal(a, interpolator.Interpolate(0));
    }

    [Fact]
    public void Headings_are_interpolated_across_the_wrap_and_wrapped_back()
    {
        var a = Ego(0, 0, 0, 3.0);
        var b = Ego(1_000_000, 0, 0, -3.0);
        var c = Ego(2_000_000, 0, 0, -2.5);
        var interpolator = new SplitStateInterpolator<InterpolatableEgoState>([a, b, c]);
        // Unwrapped: 3.0 → 2π − 3.0 ≈ 3.283: the midpoint is π, which wraps to −π.
        Assert.Equal(-Math.PI, interpolator.Interpolate(500_000).State.RearAxle.Heading, 12);
        Assert.Equal(Angles.PrincipalValue(3.0 + 0.25 * (2 * Math.PI - 6.0)), interpolator.Interpolate(250_000).State.RearAxle.Heading, 12);
        Assert.Equal(-2.75, interpolator.Interpolate(1_500_000).State.RearAxle.Heading, 12);
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(2_000_001L)]
    public void Requests_outside_the_span_fail(long timeUs)
    {
        var interpolator = new SplitStateInterpolator<InterpolatableEgoState>([Ego(0, 0, 0, 0), Ego(2_000_000, 1, 1, 1)]);
        Assert.Throws<ArgumentOutOfRangeException>(() => interpolator.Interpolate(timeUs));
    }

    [Fact]
    public void At_least_two_states_in_time_order_are_required()
    {
        Assert.Throws<ArgumentException>(() => new SplitStateInterpolator<InterpolatableEgoState>([Ego(0, 0, 0, 0)]));
        Assert.Throws<ArgumentException>(() => new SplitStateInterpolator<InterpolatableEgoState>([Ego(10, 0, 0, 0), Ego(5, 0, 0, 0)]));
    }

    [Fact]
    public void Agrees_with_the_domain_interpolated_trajectory()
    {
        var rng = new Random(5);
        var states = new EgoState[40];
        var heading = 0.0;
        for (var i = 0; i < states.Length; i++)
        {
            heading += (rng.NextDouble() - 0.5) * 3;
            states[i] = new EgoState(
                i * 100_000 + rng.Next(0, 50_000),
                new Pose(rng.NextDouble() * 100, rng.NextDouble() * 100, Angles.PrincipalValue(heading)),
                new Vector2(rng.NextDouble() * 10, rng.NextDouble()),
                new Vector2(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5),
                rng.NextDouble() - 0.5);
        }
        var domain = new InterpolatedTrajectory(states);
        var split = new SplitStateInterpolator<InterpolatableEgoState>(
            states.Select(s => new InterpolatableEgoState(s, Vehicle)).ToArray());
        Assert.Equal(domain.StartTimeUs, split.StartTimeUs);
        Assert.Equal(domain.EndTimeUs, split.EndTimeUs);
        for (var k = 0; k < 500; k++)
        {
            var t = domain.StartTimeUs + (long)(rng.NextDouble() * (domain.EndTimeUs - domain.StartTimeUs));
            var expected = domain.Interpolate(t);
            var actual = split.Interpolate(t).State;
            Assert.Equal(expected.TimeUs, actual.TimeUs);
            Assert.Equal(expected.RearAxle.X, actual.RearAxle.X, 12);
            Assert.Equal(expected.RearAxle.Y, actual.RearAxle.Y, 12);
            Assert.Equal(expected.RearAxle.Heading, actual.RearAxle.Heading, 12);
            Assert.Equal(expected.RearAxleVelocity, actual.RearAxleVelocity);
            Assert.Equal(expected.RearAxleAcceleration, actual.RearAxleAcceleration);
            Assert.Equal(expected.TireSteeringAngle, actual.TireSteeringAngle, 12);
        }
    }
}
