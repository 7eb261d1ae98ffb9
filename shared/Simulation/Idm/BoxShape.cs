using NuPlanBus.Domain.Geometry;
using NuPlanBus.Simulation.Routes;

namespace NuPlanBus.Simulation.Idm;

/// <summary>
/// An oriented box prepared for repeated geometric tests: centre, unit heading, half extents and the radius of the
/// enclosing circle. Stands in for nuPlan's shapely polygons in the IDM lead search without building geometries.
/// </summary>
internal readonly struct BoxShape
{
    public readonly double Cx;
    public readonly double Cy;
    public readonly double Ux;
    public readonly double Uy;
    public readonly double HalfLength;
    public readonly double HalfWidth;
    public readonly double Radius;

    public BoxShape(in OrientedBox box)
    {
        Cx = box.Center.X;
        Cy = box.Center.Y;
        (Uy, Ux) = Math.SinCos(box.Center.Heading);
        HalfLength = box.Length / 2;
        HalfWidth = box.Width / 2;
        Radius = Math.Sqrt(HalfLength * HalfLength + HalfWidth * HalfWidth);
    }

    /// <summary>Whether the boxes share a point (touching counts, as shapely's <c>intersects</c>): separating-axis test.</summary>
    public static bool Intersects(in BoxShape a, in BoxShape b)
    {
        var dx = b.Cx - a.Cx;
        var dy = b.Cy - a.Cy;
        var rr = a.Radius + b.Radius;
        if (dx * dx + dy * dy > rr * rr)
        {
            return false;
        }
        // |cos| and |sin| of the relative heading give the other box's extents along each axis.
        var c = Math.Abs(a.Ux * b.Ux + a.Uy * b.Uy);
        var s = Math.Abs(a.Ux * b.Uy - a.Uy * b.Ux);
        // Axes of a.
        if (Math.Abs(dx * a.Ux + dy * a.Uy) > a.HalfLength + b.HalfLength * c + b.HalfWidth * s)
        {
            return false;
        }
        if (Math.Abs(-dx * a.Uy + dy * a.Ux) > a.HalfWidth + b.HalfLength * s + b.HalfWidth * c)
        {
            return false;
        }
        // Axes of b.
        if (Math.Abs(dx * b.Ux + dy * b.Uy) > b.HalfLength + a.HalfLength * c + a.HalfWidth * s)
        {
            return false;
        }
        return !(Math.Abs(-dx * b.Uy + dy * b.Ux) > b.HalfWidth + a.HalfLength * s + a.HalfWidth * c);
    }

    /// <summary>Polygon distance (0 when they intersect): for disjoint convex polygons the nearest pair involves a
    /// corner of one of them, so it is the least corner-to-box distance over both boxes.</summary>
    public static double Distance(in BoxShape a, in BoxShape b)
    {
        if (Intersects(a, b))
        {
            return 0.0;
        }
        return Math.Sqrt(Math.Min(CornersToBoxSquared(a, b), CornersToBoxSquared(b, a)));
    }

    /// <summary>False when the enclosing circles already prove <see cref="Distance"/> ≥ <paramref name="best"/>.</summary>
    public static bool MayBeCloserThan(in BoxShape a, in BoxShape b, double best)
    {
        if (double.IsPositiveInfinity(best))
        {
            return true;
        }
        var dx = b.Cx - a.Cx;
        var dy = b.Cy - a.Cy;
        var reach = best + a.Radius + b.Radius;
        return dx * dx + dy * dy < reach * reach;
    }

    /// <summary>
    /// Tests the box against the corridor of half width <paramref name="halfWidth"/> around the path segments
    /// <paramref name="firstSegment"/> … <paramref name="lastSegment"/>, in the frame of the path segment nearest to
    /// the box centre. Returns whether the box reaches the corridor laterally and the progress interval it covers.
    /// </summary>
    /// <remarks>
    /// Exact (a separating-axis test on the corridor's axes) wherever the path is straight over the box's extent;
    /// on a bend the local frame of the nearest segment is used, an error of the order of extent² × curvature.
    /// </remarks>
    public static bool CorridorInterval(
        PathPolyline path, in BoxShape box, int firstSegment, int lastSegment, double halfWidth, out double progressLow, out double progressHigh)
    {
        var projection = path.Project(box.Cx, box.Cy, firstSegment, lastSegment);
        var t = path.SegmentDirection(projection.Segment);
        var c = Math.Abs(t.X * box.Ux + t.Y * box.Uy);
        var s = Math.Abs(t.X * box.Uy - t.Y * box.Ux);
        var lateralExtent = box.HalfLength * s + box.HalfWidth * c;
        var longitudinalExtent = box.HalfLength * c + box.HalfWidth * s;
        progressLow = projection.Progress - longitudinalExtent;
        progressHigh = projection.Progress + longitudinalExtent;
        return Math.Abs(projection.Lateral) - lateralExtent <= halfWidth;
    }

    private static double CornersToBoxSquared(in BoxShape from, in BoxShape to)
    {
        var best = double.PositiveInfinity;
        var lx = from.Ux * from.HalfLength;
        var ly = from.Uy * from.HalfLength;
        var wx = -from.Uy * from.HalfWidth;
        var wy = from.Ux * from.HalfWidth;
        best = Math.Min(best, PointToBoxSquared(to, from.Cx + lx + wx, from.Cy + ly + wy));
        best = Math.Min(best, PointToBoxSquared(to, from.Cx - lx + wx, from.Cy - ly + wy));
        best = Math.Min(best, PointToBoxSquared(to, from.Cx - lx - wx, from.Cy - ly - wy));
        best = Math.Min(best, PointToBoxSquared(to, from.Cx + lx - wx, from.Cy + ly - wy));
        return best;
    }

    private static double PointToBoxSquared(in BoxShape box, double x, double y)
    {
        var rx = x - box.Cx;
        var ry = y - box.Cy;
        var along = Math.Max(Math.Abs(rx * box.Ux + ry * box.Uy) - box.HalfLength, 0.0);
        var across = Math.Max(Math.Abs(-rx * box.Uy + ry * box.Ux) - box.HalfWidth, 0.0);
        return along * along + across * across;
    }
}
