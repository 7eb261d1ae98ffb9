using NetTopologySuite.Geometries;
using NetTopologySuite.LinearReferencing;
using NuPlanBus.Domain.Geometry;

namespace NuPlanBus.Maps.Objects;

/// <summary>
/// A baseline path or boundary with the devkit's <c>NuPlanPolylineMapObject</c> semantics (docs/nuplan-maps.md
/// §2.4): arc lengths by GEOS-style projection, the heading probe of 0.5 m, three-point curvature 2 m apart, and a
/// discrete path of the stored vertices. Immutable and safe to share between threads.
/// </summary>
public sealed class Polyline
{
    public const double HeadingProbeDistance = 0.5;
    public const double CurvatureProbeDistance = 2.0;

    private readonly LengthIndexedLine _indexed;

    public Polyline(string id, LineString line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (!(line.Length > 0))
        {
            throw new ArgumentException($"Polyline {id} has zero length.", nameof(line));
        }
        Id = id;
        LineString = line;
        Length = line.Length;
        _indexed = new LengthIndexedLine(line);
        DiscretePath = BuildDiscretePath(line);
    }

    public string Id { get; }

    public LineString LineString { get; }

    public double Length { get; }

    /// <summary>One pose per stored vertex; heading of vertex i is that of segment i → i+1, the last repeats it.</summary>
    public IReadOnlyList<Pose> DiscretePath { get; }

    /// <summary>Arc length of the closest point of the line (shapely <c>project</c>), clamped to [0, length].</summary>
    public double Project(double x, double y) => _indexed.Project(new Coordinate(x, y));

    /// <summary>The point at arc length <paramref name="s"/> (shapely <c>interpolate</c>: negative from the end, clamped).</summary>
    public Vector2 Interpolate(double s)
    {
        var c = _indexed.ExtractPoint(s);
        return new Vector2(c.X, c.Y);
    }

    /// <summary>The devkit's <c>get_nearest_pose_from_position</c>.</summary>
    public Pose NearestPose(double x, double y)
    {
        var s = Project(x, y);
        var a = Interpolate(s);
        var b = Interpolate(s + HeadingProbeDistance);
        double heading;
        if (a.X == b.X && a.Y == b.Y)
        {
            var back = Interpolate(s - HeadingProbeDistance);
            heading = Math.Atan2(a.Y - back.Y, a.X - back.X);
        }
        else
        {
            heading = Math.Atan2(b.Y - a.Y, b.X - a.X);
        }
        return new Pose(a.X, a.Y, heading);
    }

    /// <summary>The devkit's <c>get_curvature_at_arc_length</c> (Heron's formula; positive for a left turn).</summary>
    public double CurvatureAt(double s)
    {
        const double d = CurvatureProbeDistance;
        var length = Length;
        (double s1, double s2, double s3) = length < 2 * d ? (0, length / 2, length)
            : s - d < 0 ? (0, d, 2 * d)
            : s + d > length ? (length - 2 * d, length - d, length)
            : (s - d, s, s + d);
        var p1 = Interpolate(s1);
        var p2 = Interpolate(s2);
        var p3 = Interpolate(s3);
        var a = Math.Sqrt(Sq(p2.X - p1.X) + Sq(p2.Y - p1.Y));
        var b = Math.Sqrt(Sq(p3.X - p2.X) + Sq(p3.Y - p2.Y));
        var c = Math.Sqrt(Sq(p1.X - p3.X) + Sq(p1.Y - p3.Y));
        var heron = (a + (b + c)) * (c - (a - b)) * (c + (a - b)) * (a + (b - c));
        if (heron < 1e-6)
        {
            return 0;
        }
        var k = Math.Sqrt(heron) / 4;
        var product = a * b * c;
        if (Math.Abs(product) < 1e-8)
        {
            return 0;
        }
        var curvature = 4 * k / product;
        var cross = (p2.X - p1.X) * (p3.Y - p1.Y) - (p2.Y - p1.Y) * (p3.X - p1.X);
        return Math.Sign(cross) * curvature;
    }

    private static double Sq(double v) => v * v;

    private static Pose[] BuildDiscretePath(LineString line)
    {
        var n = line.NumPoints;
        var poses = new Pose[n];
        for (var i = 0; i < n; i++)
        {
            var p = line.GetCoordinateN(i);
            double heading;
            if (i + 1 < n)
            {
                var q = line.GetCoordinateN(i + 1);
                heading = Math.Atan2(q.Y - p.Y, q.X - p.X);
            }
            else
            {
                heading = n > 1 ? poses[i - 1].Heading : 0;
            }
            poses[i] = new Pose(p.X, p.Y, heading);
        }
        return poses;
    }
}
