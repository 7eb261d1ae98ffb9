using NuPlanBus.Domain.Geometry;

namespace NuPlanBus.Metrics.Numerics;

/// <summary>
/// The devkit's box predicates (docs/nuplan-simulation.md §4.2): <c>in_collision</c> = centre distance below the sum of the
/// half-diagonals AND the rectangles intersect, where touching counts as intersecting (shapely's
/// <c>intersects</c>). The polygon test is a separating-axis test over both rectangles' edge normals with
/// closed intervals, so shared edges or corners are not separating. Allocation-free.
/// </summary>
public static class BoxGeometry
{
    /// <summary>nuPlan's <c>in_collision(box1, box2)</c> with the default (circumscribed-circle) radius threshold.</summary>
    public static bool InCollision(in OrientedBox a, in OrientedBox b)
    {
        var radius = (double.Hypot(a.Width, a.Length) + double.Hypot(b.Width, b.Length)) / 2.0;
        var distance = double.Hypot(a.Center.X - b.Center.X, a.Center.Y - b.Center.Y);
        return distance < radius && Intersect(a, b);
    }

    /// <summary>Whether two oriented rectangles share at least one point (interiors or boundaries).</summary>
    public static bool Intersect(in OrientedBox a, in OrientedBox b)
    {
        Span<Vector2> pa = stackalloc Vector2[4];
        Span<Vector2> pb = stackalloc Vector2[4];
        a.GetCorners(pa);
        b.GetCorners(pb);
        return !HasSeparatingEdgeNormal(pa, pa, pb) && !HasSeparatingEdgeNormal(pb, pa, pb);
    }

    /// <summary>Whether the closed segment <paramref name="p"/>–<paramref name="q"/> shares a point with the rectangle.</summary>
    public static bool SegmentIntersects(Vector2 p, Vector2 q, in OrientedBox box)
    {
        Span<Vector2> corners = stackalloc Vector2[4];
        box.GetCorners(corners);
        Span<Vector2> segment = stackalloc Vector2[2];
        segment[0] = p;
        segment[1] = q;
        if (HasSeparatingEdgeNormal(corners, segment, corners))
        {
            return false;
        }
        var normal = new Vector2(-(q.Y - p.Y), q.X - p.X);
        return !Separates(normal, segment, corners);
    }

    /// <summary>
    /// nuPlan's <c>get_agent_relative_angle</c>: the angle between the pose's heading and the vector from the pose to
    /// the point, arccos of the normalised dot product. NaN when the point coincides with the pose (as numpy gives),
    /// which makes both "ahead" and "behind" false.
    /// </summary>
    public static double RelativeAngle(in Pose from, Vector2 point)
    {
        var vx = point.X - from.X;
        var vy = point.Y - from.Y;
        var norm = double.Hypot(vx, vy);
        var (sin, cos) = Math.SinCos(from.Heading);
        return Math.Acos(cos * (vx / norm) + sin * (vy / norm));
    }

    /// <summary><c>is_agent_ahead</c>: relative angle strictly below the tolerance (30° by default).</summary>
    public static bool IsAhead(in Pose from, Vector2 point, double toleranceDegrees = 30.0) =>
        RelativeAngle(from, point) < DegreesToRadians(toleranceDegrees);

    /// <summary><c>is_agent_behind</c>: relative angle strictly above the tolerance (150° by default).</summary>
    public static bool IsBehind(in Pose from, Vector2 point, double toleranceDegrees = 150.0) =>
        RelativeAngle(from, point) > DegreesToRadians(toleranceDegrees);

    /// <summary>numpy's <c>deg2rad</c>: degrees × (π / 180).</summary>
    public static double DegreesToRadians(double degrees) => degrees * (Math.PI / 180.0);

    private static bool HasSeparatingEdgeNormal(ReadOnlySpan<Vector2> polygon, ReadOnlySpan<Vector2> first, ReadOnlySpan<Vector2> second)
    {
        for (var i = 0; i < polygon.Length; i++)
        {
            var from = polygon[i];
            var to = polygon[(i + 1) % polygon.Length];
            var normal = new Vector2(-(to.Y - from.Y), to.X - from.X);
            if (Separates(normal, first, second))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Strictly disjoint projections on the axis; a zero axis never separates.</summary>
    private static bool Separates(Vector2 axis, ReadOnlySpan<Vector2> first, ReadOnlySpan<Vector2> second)
    {
        if (axis.X == 0 && axis.Y == 0)
        {
            return false;
        }
        Project(axis, first, out var minA, out var maxA);
        Project(axis, second, out var minB, out var maxB);
        return maxA < minB || maxB < minA;
    }

    private static void Project(Vector2 axis, ReadOnlySpan<Vector2> points, out double min, out double max)
    {
        min = double.PositiveInfinity;
        max = double.NegativeInfinity;
        foreach (var point in points)
        {
            var d = axis.X * point.X + axis.Y * point.Y;
            if (d < min)
            {
                min = d;
            }
            if (d > max)
            {
                max = d;
            }
        }
    }
}
