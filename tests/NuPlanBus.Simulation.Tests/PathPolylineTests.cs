using NuPlanBus.Domain.Geometry;
using NuPlanBus.Simulation.Routes;

namespace NuPlanBus.Simulation.Tests;

public class PathPolylineTests
{
    private static PathPolyline LShape(double extension = 0) =>
        PathPolyline.FromPoses([new Pose(0, 0, 0), new Pose(10, 0, 0), new Pose(10, 5, Math.PI / 2)], extension);

    [Fact]
    public void Arc_length_accumulates_over_the_segments()
    {
        var path = LShape();
        Assert.Equal(15.0, path.Length, 12);
        Assert.Equal([0.0, 10.0, 15.0], path.Progresses.ToArray());
        Assert.Equal(0, path.SegmentAt(-3));
        Assert.Equal(0, path.SegmentAt(9.99));
        Assert.Equal(1, path.SegmentAt(10));
        Assert.Equal(1, path.SegmentAt(99));
    }

    [Fact]
    public void Projection_returns_the_progress_and_signed_lateral_offset_of_the_nearest_point()
    {
        var path = LShape();
        Assert.Equal(4.0, path.Project(4, 2), 12);
        Assert.Equal(12.0, path.Project(11, 2), 12);
        Assert.Equal(0.0, path.Project(-5, 1), 12);
        Assert.Equal(15.0, path.Project(10, 30), 12);

        var left = path.Project(4, 2, 0, path.SegmentCount - 1);
        Assert.Equal(new PathProjection(4.0, 2.0, 0), left);
        var right = path.Project(11, 2, 0, path.SegmentCount - 1);
        Assert.Equal(12.0, right.Progress, 12);
        Assert.Equal(-1.0, right.Lateral, 12);
        // Beyond the first searched segment the progress extrapolates instead of clamping.
        Assert.Equal(-5.0, path.Project(-5, 1, 0, 0).Progress, 12);
    }

    [Fact]
    public void Poses_interpolate_position_and_unwrapped_heading_and_clamp_at_the_ends()
    {
        var path = LShape();
        Assert.Equal(new Pose(5, 0, 0), path.PoseAt(5));
        var corner = path.PoseAt(12.5);
        Assert.Equal(10.0, corner.X, 12);
        Assert.Equal(2.5, corner.Y, 12);
        Assert.Equal(Math.PI / 4, corner.Heading, 12);
        Assert.Equal(new Pose(0, 0, 0), path.PoseAt(-1));
        Assert.Equal(5.0, path.PoseAt(100).Y, 12);

        var wrapped = PathPolyline.FromPoses([new Pose(0, 0, 3.1), new Pose(-1, 0, -3.1)]);
        Assert.Equal(-Math.PI, wrapped.PoseAt(0.5).Heading, 9);
    }

    [Fact]
    public void The_path_extends_straight_along_the_last_heading()
    {
        var path = LShape(extension: 20);
        Assert.Equal(35.0, path.Length, 12);
        var end = path.PoseAt(35);
        Assert.Equal(10.0, end.X, 9);
        Assert.Equal(25.0, end.Y, 9);
        Assert.Equal(Math.PI / 2, end.Heading, 12);
    }

    [Fact]
    public void Close_points_are_dropped_and_a_standing_object_needs_an_extension()
    {
        var jitter = new[] { new Pose(1, 1, 0.5), new Pose(1.05, 1.02, 0.5), new Pose(0.97, 1.01, 0.5) };
        Assert.Throws<ArgumentException>(() => PathPolyline.FromPoses(jitter));
        var path = PathPolyline.FromPoses(jitter, extensionM: 10);
        Assert.Equal(2, path.VertexCount);
        Assert.Equal(10.0, path.Length, 12);
        var (s, c) = Math.SinCos(0.5);
        Assert.Equal(1 + 10 * c, path.PoseAt(10).X, 12);
        Assert.Equal(1 + 10 * s, path.PoseAt(10).Y, 12);
    }
}
