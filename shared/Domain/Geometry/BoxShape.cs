namespace NuPlanBus.Domain.Geometry;

/// <summary>
/// An oriented box prepared for repeated geometric tests: centre, unit heading, half extents and the radius of the
/// enclosing circle. The one implementation of box geometry, standing in for the devkit's shapely polygons in the
/// metrics and the IDM code without building geometries: every test here is allocation-free and property-tested
/// against NetTopologySuite.
/// </summary>
/// <remarks>
/// Intersection is shapely's <c>intersects</c>: touching counts. It is a separating-axis test over both boxes' axes
/// with closed intervals, so a shared edge or corner is never separating.
/// </remarks>
public readonly struct BoxShape
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

    /// <summary>
    /// nuPlan's <c>in_collision(box1, box2)</c> (docs/nuplan-simulation.md §4.2): the centres closer than the sum of
    /// the half-diagonals (strictly) and the rectangles intersecting.
    /// </summary>
    public static bool InCollision(in OrientedBox a, in OrientedBox b)
    {
        var radius = (double.Hypot(a.Width, a.Length) + double.Hypot(b.Width, b.Length)) / 2.0;
        var distance = double.Hypot(a.Center.X - b.Center.X, a.Center.Y - b.Center.Y);
        return distance < radius && Intersects(new BoxShape(a), new BoxShape(b));
    }

    /// <summary>Whether the boxes share a point (interiors or boundaries).</summary>
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
        if (Math.Abs(dx * a.Ux + dy * a.Uy) > a.HalfLength + b.HalfLength * c + b.HalfWidth * s)
        {
            return false;
        }
        if (Math.Abs(-dx * a.Uy + dy * a.Ux) > a.HalfWidth + b.HalfLength * s + b.HalfWidth * c)
        {
            return false;
        }
        if (Math.Abs(dx * b.Ux + dy * b.Uy) > b.HalfLength + a.HalfLength * c + a.HalfWidth * s)
        {
            return false;
        }
        return !(Math.Abs(-dx * b.Uy + dy * b.Ux) > b.HalfWidth + a.HalfLength * s + a.HalfWidth * c);
    }

    /// <summary>Whether the closed segment <paramref name="p"/>–<paramref name="q"/> shares a point with the box.</summary>
    public static bool SegmentIntersects(Vector2 p, Vector2 q, in BoxShape box)
    {
        // The segment as a degenerate box: its midpoint, half its length along its direction, no width.
        var mx = (p.X + q.X) / 2 - box.Cx;
        var my = (p.Y + q.Y) / 2 - box.Cy;
        var hx = (q.X - p.X) / 2;
        var hy = (q.Y - p.Y) / 2;
        if (Math.Abs(mx * box.Ux + my * box.Uy) > box.HalfLength + Math.Abs(hx * box.Ux + hy * box.Uy))
        {
            return false;
        }
        if (Math.Abs(-mx * box.Uy + my * box.Ux) > box.HalfWidth + Math.Abs(-hx * box.Uy + hy * box.Ux))
        {
            return false;
        }
        // The segment's normal (-hy, hx); the segment itself projects to a single value on it.
        box.HalfExtentsAlong(-hy, hx, out var reach, out _);
        return !(Math.Abs(-mx * hy + my * hx) > reach);
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
    /// How far the box reaches from its centre along the direction (<paramref name="ux"/>, <paramref name="uy"/>)
    /// and across it, in units of that direction's length (a unit direction gives metres).
    /// </summary>
    public void HalfExtentsAlong(double ux, double uy, out double along, out double across)
    {
        var c = Math.Abs(ux * Ux + uy * Uy);
        var s = Math.Abs(ux * Uy - uy * Ux);
        along = HalfLength * c + HalfWidth * s;
        across = HalfLength * s + HalfWidth * c;
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
