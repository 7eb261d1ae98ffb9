using NuPlanBus.Domain.Geometry;
using NuPlanBus.Domain.States;

namespace NuPlanBus.Domain.Tests;

public class InterpolatedTrajectoryTests
{
    private static EgoState State(long t, double x, double heading, double v = 0) =>
        new(t, new Pose(x, 0, heading), new Vector2(v, 0), Vector2.Zero);

    [Fact]
    public void Interpolates_position_and_velocity_linearly_in_time()
    {
        var trajectory = new InterpolatedTrajectory([State(0, 0, 0, 1), State(1_000_000, 10, 0, 3)]);

        var mid = trajectory.Interpolate(250_000);

        Assert.Equal(2.5, mid.RearAxle.X, 12);
        Assert.Equal(1.5, mid.RearAxleVelocity.X, 12);
        Assert.Equal(250_000, mid.TimeUs);
    }

    [Fact]
    public void Interpolates_headings_across_the_wrap_the_short_way()
    {
        var trajectory = new InterpolatedTrajectory([State(0, 0, Math.PI - 0.1), State(1_000_000, 1, -Math.PI + 0.1)]);

        var mid = trajectory.Interpolate(500_000);

        Assert.Equal(-Math.PI, mid.RearAxle.Heading, 9);
    }

    [Fact]
    public void Rejects_times_outside_its_span()
    {
        var trajectory = new InterpolatedTrajectory([State(0, 0, 0), State(100, 1, 0)]);

        Assert.Throws<ArgumentOutOfRangeException>(() => trajectory.Interpolate(101));
    }
}
