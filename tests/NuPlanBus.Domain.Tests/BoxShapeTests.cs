using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NetTopologySuite.Geometries;
using NuPlanBus.Domain.Geometry;

namespace NuPlanBus.Domain.Tests;

/// <summary>
/// The box geometry of the metrics and the IDM code, checked by hand on the edge cases the devkit cares about and
/// against NetTopologySuite (shapely's JTS lineage) on random boxes. Cases within 1e-7 m of touching are left to the
/// hand-written tests: there floating point, not the algorithm, decides.
/// </summary>
public class BoxShapeTests
{
    private const double Ambiguity = 1e-7;
    private static readonly GeometryFactory Factory = new();

    private static OrientedBox Square(double x, double y, double heading = 0) => new(new Pose(x, y, heading), 2, 2);

    private static BoxShape Shape(OrientedBox box) => new(box);

    [Fact]
    public void Boxes_sharing_an_edge_or_a_corner_collide()
    {
        Assert.True(BoxShape.InCollision(Square(0, 0), Square(2, 0)));
        Assert.True(BoxShape.InCollision(Square(0, 0), new OrientedBox(new Pose(3, 2, 0), 4, 2)));
        // Equal squares touching at a corner sit exactly at the radius distance, which the devkit's "<" rejects.
        Assert.True(BoxShape.Intersects(Shape(Square(0, 0)), Shape(Square(2, 2))));
        Assert.False(BoxShape.InCollision(Square(0, 0), Square(2, 2)));
        Assert.True(BoxShape.InCollision(Square(0, 0), Square(1, 0.5)));
    }

    [Fact]
    public void Boxes_a_hair_apart_do_not_collide()
    {
        Assert.False(BoxShape.InCollision(Square(0, 0), Square(2.000001, 0)));
        // Inside each other's circumscribed circles but separated along a rotated axis.
        Assert.False(BoxShape.InCollision(Square(0, 0), Square(1.9, 1.9, Math.PI / 4)));
        Assert.True(BoxShape.InCollision(Square(0, 0), Square(2.3, 0, Math.PI / 4)));
    }

    [Fact]
    public void The_radius_check_is_strict()
    {
        // Degenerate boxes of zero width touch exactly at the radius distance: the devkit's "<" rejects them.
        var a = new OrientedBox(new Pose(0, 0, 0), 2, 0);
        var b = new OrientedBox(new Pose(2, 0, 0), 2, 0);

        Assert.True(BoxShape.Intersects(Shape(a), Shape(b)));
        Assert.False(BoxShape.InCollision(a, b));
    }

    [Fact]
    public void A_segment_touching_a_box_intersects_it()
    {
        var box = Shape(Square(0, 0));

        Assert.True(BoxShape.SegmentIntersects(new Vector2(1, -3), new Vector2(1, 3), box));
        Assert.True(BoxShape.SegmentIntersects(new Vector2(-3, 0), new Vector2(3, 0), box));
        Assert.False(BoxShape.SegmentIntersects(new Vector2(1.01, -3), new Vector2(1.01, 3), box));
        Assert.False(BoxShape.SegmentIntersects(new Vector2(2, 0), new Vector2(0, 2.01), box));
        Assert.True(BoxShape.SegmentIntersects(new Vector2(0.5, 0.5), new Vector2(0.5, 0.5), box));
    }

    [Fact]
    public void Relative_angles_are_the_devkits()
    {
        var pose = new Pose(0, 0, 0);

        Assert.Equal(Math.Atan2(5, 10), pose.RelativeAngleTo(new Vector2(10, 5)), 12);
        Assert.Equal(3 * Math.PI / 4, pose.RelativeAngleTo(new Vector2(-10, 10)), 12);
        Assert.True(double.IsNaN(pose.RelativeAngleTo(new Vector2(0, 0))));
        Assert.Equal(Math.PI / 6, Angles.DegreesToRadians(30), 15);
    }

    [Property(MaxTest = 500)]
    public Property Intersection_agrees_with_NetTopologySuite() =>
        Prop.ForAll(BoxPairs(), pair =>
        {
            var (a, b) = pair;
            var pa = Polygon(a);
            var pb = Polygon(b);
            var actual = BoxShape.Intersects(Shape(a), Shape(b));
            if (pa.Distance(pb) > Ambiguity)
            {
                return !actual;
            }
            return !pa.Buffer(-Ambiguity).Intersects(pb) || actual;
        });

    [Property(MaxTest = 500)]
    public Property Distance_agrees_with_NetTopologySuite() =>
        Prop.ForAll(BoxPairs(), pair =>
        {
            var (a, b) = pair;
            return Math.Abs(BoxShape.Distance(Shape(a), Shape(b)) - Polygon(a).Distance(Polygon(b))) < 1e-9;
        });

    [Property(MaxTest = 500)]
    public Property The_circle_bound_never_rejects_a_closer_box() =>
        Prop.ForAll(BoxPairs(), Gen.Choose(0, 2000).Select(i => i / 100.0).ToArbitrary(), (pair, best) =>
        {
            var (a, b) = pair;
            return Polygon(a).Distance(Polygon(b)) >= best - 1e-9 || BoxShape.MayBeCloserThan(Shape(a), Shape(b), best);
        });

    [Property(MaxTest = 500)]
    public Property Segment_intersection_agrees_with_NetTopologySuite() =>
        Prop.ForAll(Boxes().ToArbitrary(), Points().ToArbitrary(), Points().ToArbitrary(), (box, p, q) =>
        {
            var polygon = Polygon(box);
            var segment = Factory.CreateLineString([new Coordinate(p.X, p.Y), new Coordinate(q.X, q.Y)]);
            var actual = BoxShape.SegmentIntersects(p, q, Shape(box));
            if (polygon.Distance(segment) > Ambiguity)
            {
                return !actual;
            }
            return !polygon.Buffer(-Ambiguity).Intersects(segment) || actual;
        });

    [Property(MaxTest = 500)]
    public Property Half_extents_are_half_the_projected_width() =>
        Prop.ForAll(Boxes().ToArbitrary(), Gen.Choose(-314, 314).Select(i => i / 100.0).ToArbitrary(), (box, angle) =>
        {
            var (uy, ux) = Math.SinCos(angle);
            Shape(box).HalfExtentsAlong(ux, uy, out var along, out var across);
            var corners = box.Corners();
            var projectedAlong = corners.Select(c => c.X * ux + c.Y * uy).ToList();
            var projectedAcross = corners.Select(c => -c.X * uy + c.Y * ux).ToList();
            return Math.Abs(along - (projectedAlong.Max() - projectedAlong.Min()) / 2) < 1e-9
                && Math.Abs(across - (projectedAcross.Max() - projectedAcross.Min()) / 2) < 1e-9;
        });

    private static Polygon Polygon(OrientedBox box)
    {
        var corners = box.Corners();
        return Factory.CreatePolygon([.. corners.Select(c => new Coordinate(c.X, c.Y)), new Coordinate(corners[0].X, corners[0].Y)]);
    }

    private static Gen<Vector2> Points() =>
        from x in Gen.Choose(-800, 800)
        from y in Gen.Choose(-800, 800)
        select new Vector2(x / 100.0, y / 100.0);

    private static Gen<OrientedBox> Boxes() =>
        from centre in Points()
        from heading in Gen.Choose(-3141, 3141)
        from length in Gen.Choose(10, 800)
        from width in Gen.Choose(10, 400)
        select new OrientedBox(new Pose(centre.X, centre.Y, heading / 1000.0), length / 100.0, width / 100.0);

    private static Arbitrary<(OrientedBox, OrientedBox)> BoxPairs() =>
        (from a in Boxes() from b in Boxes() select (a, b)).ToArbitrary();
}
