using NetTopologySuite.Geometries;
using NuPlanBus.Maps.Objects;

namespace NuPlanBus.Maps.Tests;

public sealed class PolylineTests
{
    private static readonly GeometryFactory Factory = new();

    private static Polyline Line(params (double X, double Y)[] points) =>
        new("1", Factory.CreateLineString([.. points.Select(p => new Coordinate(p.X, p.Y))]));

    [Fact]
    public void Projection_clamps_to_the_ends_and_interpolation_counts_negative_lengths_from_the_end()
    {
        var line = Line((0, 0), (10, 0), (10, 10));

        Assert.Equal(20, line.Length);
        Assert.Equal(4, line.Project(4, 3));
        Assert.Equal(0, line.Project(-5, 1));
        Assert.Equal(20, line.Project(10, 30));
        Assert.Equal(15, line.Project(12, 5));
        Assert.Equal(new Domain.Geometry.Vector2(10, 5), line.Interpolate(15));
        Assert.Equal(new Domain.Geometry.Vector2(10, 8), line.Interpolate(-2));
        Assert.Equal(new Domain.Geometry.Vector2(10, 10), line.Interpolate(99));
    }

    [Fact]
    public void The_nearest_pose_heads_along_the_line_and_looks_back_at_its_end()
    {
        var line = Line((0, 0), (10, 0), (10, 10));

        var middle = line.NearestPose(4, -1);
        Assert.Equal((4.0, 0.0, 0.0), (middle.X, middle.Y, middle.Heading));
        // Past the corner: the 0.5 m probe turns the corner.
        var corner = line.NearestPose(9.7, -0.1);
        Assert.Equal(Math.Atan2(0.2, 0.3), corner.Heading, 12);
        var end = line.NearestPose(10, 12);
        Assert.Equal(Math.PI / 2, end.Heading, 12);
    }

    [Fact]
    public void Curvature_of_a_circle_is_its_inverse_radius_signed_by_the_turn()
    {
        const double radius = 20;
        var left = Line([.. Enumerable.Range(0, 200).Select(i => (radius * Math.Sin(i * 0.005), radius - radius * Math.Cos(i * 0.005)))]);
        var right = Line([.. Enumerable.Range(0, 200).Select(i => (radius * Math.Sin(i * 0.005), -radius + radius * Math.Cos(i * 0.005)))]);
        var straight = Line((0, 0), (5, 0), (10, 0));

        Assert.Equal(1 / radius, left.CurvatureAt(8), 4);
        Assert.Equal(-1 / radius, right.CurvatureAt(8), 4);
        Assert.Equal(0, straight.CurvatureAt(5));
        // A line shorter than 4 m uses its start, middle and end.
        Assert.Equal(0, Line((0, 0), (3, 0)).CurvatureAt(1));
    }

    [Fact]
    public void The_discrete_path_has_one_pose_per_vertex_and_the_last_repeats_the_previous_heading()
    {
        var path = Line((0, 0), (1, 0), (1, 1)).DiscretePath;

        Assert.Equal(3, path.Count);
        Assert.Equal(0, path[0].Heading);
        Assert.Equal(Math.PI / 2, path[1].Heading);
        Assert.Equal(Math.PI / 2, path[2].Heading);
    }
}
