using NuPlanBus.Domain.Geometry;
using NuPlanBus.Metrics.Numerics;

namespace NuPlanBus.Metrics.Tests;

public class BoxGeometryTests
{
    private static OrientedBox Square(double x, double y, double heading = 0) => new(new Pose(x, y, heading), 2, 2);

    [Fact]
    public void Boxes_sharing_an_edge_or_a_corner_collide()
    {
        Assert.True(BoxGeometry.InCollision(Square(0, 0), Square(2, 0)));
        Assert.True(BoxGeometry.InCollision(Square(0, 0), new OrientedBox(new Pose(3, 2, 0), 4, 2)));
        // Equal squares touching at a corner sit exactly at the radius distance, which the devkit's "<" rejects.
        Assert.True(BoxGeometry.Intersect(Square(0, 0), Square(2, 2)));
        Assert.False(BoxGeometry.InCollision(Square(0, 0), Square(2, 2)));
        Assert.True(BoxGeometry.InCollision(Square(0, 0), Square(1, 0.5)));
    }

    [Fact]
    public void Boxes_a_hair_apart_do_not_collide()
    {
        Assert.False(BoxGeometry.InCollision(Square(0, 0), Square(2.000001, 0)));
        // Inside each other's circumscribed circles but separated along a rotated axis.
        Assert.False(BoxGeometry.InCollision(Square(0, 0), Square(1.9, 1.9, Math.PI / 4)));
        Assert.True(BoxGeometry.InCollision(Square(0, 0), Square(2.3, 0, Math.PI / 4)));
    }

    [Fact]
    public void The_radius_check_is_strict()
    {
        // Degenerate boxes of zero width touch exactly at the radius distance: the devkit's "<" rejects them.
        var a = new OrientedBox(new Pose(0, 0, 0), 2, 0);
        var b = new OrientedBox(new Pose(2, 0, 0), 2, 0);

        Assert.True(BoxGeometry.Intersect(a, b));
        Assert.False(BoxGeometry.InCollision(a, b));
    }

    [Fact]
    public void A_segment_touching_a_box_intersects_it()
    {
        var box = Square(0, 0);

        Assert.True(BoxGeometry.SegmentIntersects(new Vector2(1, -3), new Vector2(1, 3), box));
        Assert.True(BoxGeometry.SegmentIntersects(new Vector2(-3, 0), new Vector2(3, 0), box));
        Assert.False(BoxGeometry.SegmentIntersects(new Vector2(1.01, -3), new Vector2(1.01, 3), box));
        Assert.False(BoxGeometry.SegmentIntersects(new Vector2(2, 0), new Vector2(0, 2.01), box));
    }

    [Fact]
    public void Relative_angles_follow_the_devkit_ahead_and_behind_rules()
    {
        var pose = new Pose(0, 0, 0);

        Assert.True(BoxGeometry.IsAhead(pose, new Vector2(10, 5)));   // 26.6°
        Assert.False(BoxGeometry.IsAhead(pose, new Vector2(10, 6.25))); // 32°
        Assert.True(BoxGeometry.IsBehind(pose, new Vector2(-10, 5)));
        Assert.False(BoxGeometry.IsBehind(pose, new Vector2(-10, 10))); // exactly 135°
        Assert.True(double.IsNaN(BoxGeometry.RelativeAngle(pose, new Vector2(0, 0))));
        Assert.False(BoxGeometry.IsAhead(pose, new Vector2(0, 0)));
        Assert.False(BoxGeometry.IsBehind(pose, new Vector2(0, 0)));
    }
}
