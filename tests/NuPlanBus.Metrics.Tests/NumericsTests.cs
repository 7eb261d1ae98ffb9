using NuPlanBus.Domain.Geometry;
using NuPlanBus.Domain.States;
using NuPlanBus.Metrics.Numerics;

namespace NuPlanBus.Metrics.Tests;

public class NumericsTests
{
    [Fact]
    public void P90_of_five_values_is_the_maximum_under_numpy_1_23_parity_rule()
    {
        Assert.Equal(4, SeriesStatistics.ClosestObservationIndex(5, 0.9));
        Assert.Equal(50.0, SeriesStatistics.NanPercentileClosestObservation([30.0, 10, 50, 20, 40]));
    }

    [Fact]
    public void P90_of_twelve_values_is_the_eleventh_smallest()
    {
        Assert.Equal(10, SeriesStatistics.ClosestObservationIndex(12, 0.9));
        var values = Enumerable.Range(1, 12).Select(v => (double)v).Reverse().ToArray();
        Assert.Equal(11.0, SeriesStatistics.NanPercentileClosestObservation(values));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(10, 8)]
    [InlineData(15, 12)]
    [InlineData(20, 17)]
    [InlineData(25, 22)]
    public void P90_index_follows_the_even_floor_rule(int n, int expected)
    {
        Assert.Equal(expected, SeriesStatistics.ClosestObservationIndex(n, 0.9));
    }

    [Fact]
    public void Statistics_ignore_nan()
    {
        double[] values = [double.NaN, 2, 4, double.NaN, 6];

        Assert.Equal(6, SeriesStatistics.NanMax(values));
        Assert.Equal(2, SeriesStatistics.NanMin(values));
        Assert.Equal(4, SeriesStatistics.NanMean(values));
        Assert.Equal(6, SeriesStatistics.NanPercentileClosestObservation(values));
        Assert.True(double.IsNaN(SeriesStatistics.NanMean([double.NaN])));
    }

    [Fact]
    public void Within_bound_is_strict_and_skipped_without_thresholds()
    {
        Assert.Null(WithinBound.Check([1.0, 2.0], null, null));
        Assert.Null(WithinBound.Check([1.0, 2.0], 0.0, 0.0));
        Assert.True(WithinBound.Check([1.0, 2.0], null, 2.5));
        Assert.False(WithinBound.Check([1.0, 2.5], null, 2.5));
        Assert.False(WithinBound.Check([0.0, 1.0], 0.0, 10.0));
        Assert.True(WithinBound.Check([-1.0, 1.0], -1.5, null));
        Assert.False(WithinBound.Check([double.NaN], -1.0, 1.0));
    }

    [Fact]
    public void Phase_unwrap_removes_whole_turns_rounding_half_to_even()
    {
        double[] headings = [3.1, -3.1, -2.9, 3.0];
        var unwrapped = new double[headings.Length];

        EgoSignals.PhaseUnwrap(headings, unwrapped);

        Assert.Equal(3.1, unwrapped[0], 12);
        Assert.Equal(-3.1 + 2 * Math.PI, unwrapped[1], 12);
        Assert.Equal(-2.9 + 2 * Math.PI, unwrapped[2], 12);
        Assert.Equal(3.0, unwrapped[3], 12);

        // A step of exactly half a turn rounds to 0 turns; 1.5 turns rounds to 2 (banker's rounding).
        var halfTurn = new double[2];
        EgoSignals.PhaseUnwrap([0.0, Math.PI], halfTurn);
        Assert.Equal(Math.PI, halfTurn[1]);
        var threeHalves = new double[2];
        EgoSignals.PhaseUnwrap([0.0, 3 * Math.PI], threeHalves);
        Assert.Equal(-Math.PI, threeHalves[1], 12);
    }

    [Fact]
    public void Yaw_rate_is_continuous_when_heading_wraps_across_pi()
    {
        // Turning left at 0.5 rad/s through ±π: the raw heading jumps by −2π between samples 3 and 4.
        var states = new EgoState[8];
        for (var i = 0; i < states.Length; i++)
        {
            var heading = Angles.PrincipalValue(2.0 + 0.5 * 0.5 * i);
            states[i] = new EgoState(i * 500_000L, new Pose(0, 0, heading), Vector2.Zero, Vector2.Zero);
        }

        var yawRate = EgoSignals.YawRate(states);
        var yawAcceleration = EgoSignals.YawAcceleration(states);

        Assert.All(yawRate, v => Assert.Equal(0.5, v, 8));
        Assert.All(yawAcceleration, v => Assert.Equal(0.0, v, 8));
    }

    [Fact]
    public void Acceleration_window_shrinks_to_short_series()
    {
        var states = new EgoState[4];
        for (var i = 0; i < states.Length; i++)
        {
            states[i] = new EgoState(i * 100_000L, new Pose(i, 0, 0), new Vector2(1, 0), new Vector2(0.5 * i, 0));
        }

        var acceleration = EgoSignals.Acceleration(states, AccelerationComponent.Magnitude, VehicleParameters.Pacifica);
        var jerk = EgoSignals.Jerk(states, AccelerationComponent.Longitudinal, VehicleParameters.Pacifica);

        SavitzkyGolayTests.AssertClose([0.0, 0.5, 1.0, 1.5], acceleration, 1e-8);
        SavitzkyGolayTests.AssertClose([5.0, 5.0, 5.0, 5.0], jerk, 1e-6);
    }

    [Fact]
    public void Too_few_samples_fail_like_the_devkit()
    {
        var two = new[]
        {
            new EgoState(0, new Pose(0, 0, 0), Vector2.Zero, Vector2.Zero),
            new EgoState(100_000, new Pose(0, 0, 0), Vector2.Zero, Vector2.Zero),
        };
        var three = two.Append(new EgoState(200_000, new Pose(0, 0, 0), Vector2.Zero, Vector2.Zero)).ToArray();

        Assert.Throws<ArgumentException>(() => EgoSignals.Acceleration(two, AccelerationComponent.Magnitude, VehicleParameters.Pacifica));
        Assert.Throws<ArgumentException>(() => EgoSignals.YawAcceleration(three));
        Assert.Equal(new[] { 0.0, 0.0, 0.0 }, EgoSignals.YawRate(three));
    }

    [Fact]
    public void Derivatives_need_strictly_increasing_timestamps()
    {
        var states = new[]
        {
            new EgoState(0, new Pose(0, 0, 0), Vector2.Zero, Vector2.Zero),
            new EgoState(100_000, new Pose(0, 0, 0.1), Vector2.Zero, Vector2.Zero),
            new EgoState(100_000, new Pose(0, 0, 0.2), Vector2.Zero, Vector2.Zero),
        };

        Assert.Throws<ArgumentException>(() => EgoSignals.YawRate(states));
    }

    [Fact]
    public void Rounding_matches_numpy_round_half_even_after_scaling()
    {
        double[] values = [0.123456785, 1.000000005, -2.5e-9, 7.0];

        EgoSignals.RoundInPlace(values, 8);

        Assert.Equal(Math.Round(0.123456785 * 1e8, MidpointRounding.ToEven) / 1e8, values[0]);
        Assert.Equal(-0.0, values[2]);
        Assert.Equal(7.0, values[3]);
    }
}
