using NuPlanBus.Domain.Geometry;

namespace NuPlanBus.Simulation.Routes;

/// <summary>Where a point lies relative to a <see cref="PathPolyline"/>.</summary>
/// <param name="Progress">Arc length of the nearest path point, in metres from the path start.</param>
/// <param name="Lateral">Signed distance to that point, positive to the left of the path.</param>
/// <param name="Segment">Index of the segment the nearest point lies on.</param>
public readonly record struct PathProjection(double Progress, double Lateral, int Segment);

/// <summary>
/// A path an IDM entity follows: a polyline through logged poses with cumulative arc length. Stands in for
/// nuPlan's InterpolatedPath over lane baselines until map data exists (see <see cref="RouteSources"/>).
/// </summary>
/// <remarks>
/// Positions are interpolated linearly in arc length; headings are the logged vertex headings, unwrapped and
/// interpolated linearly in arc length (nuPlan interpolates the baseline poses the same way). Vertices closer than
/// <see cref="DefaultMinVertexSpacingM"/> to the previous kept vertex are dropped, so a standing or jittering
/// vehicle yields one vertex rather than a tangle. Immutable after construction; every query is allocation-free.
/// </remarks>
public sealed class PathPolyline
{
    /// <summary>Logged points closer than this to the previous kept point are dropped.</summary>
    public const double DefaultMinVertexSpacingM = 0.2;

    private readonly double[] _x;
    private readonly double[] _y;
    private readonly double[] _heading;
    private readonly double[] _s;

    private readonly double[] _dx;
    private readonly double[] _dy;
    private readonly double[] _inverseLengthSquared;

    private PathPolyline(double[] x, double[] y, double[] heading, double[] s)
    {
        _x = x;
        _y = y;
        _heading = heading;
        _s = s;
        _dx = new double[x.Length - 1];
        _dy = new double[x.Length - 1];
        _inverseLengthSquared = new double[x.Length - 1];
        for (var i = 0; i < _dx.Length; i++)
        {
            _dx[i] = x[i + 1] - x[i];
            _dy[i] = y[i + 1] - y[i];
            var lengthSquared = _dx[i] * _dx[i] + _dy[i] * _dy[i];
            _inverseLengthSquared[i] = lengthSquared > 0 ? 1.0 / lengthSquared : 0.0;
        }
    }

    public int VertexCount => _x.Length;

    public int SegmentCount => _x.Length - 1;

    /// <summary>Total arc length in metres (the end progress; the start progress is 0).</summary>
    public double Length => _s[^1];

    /// <summary>Arc length of the vertices, ascending from 0.</summary>
    public ReadOnlySpan<double> Progresses => _s;

    public ReadOnlySpan<double> Xs => _x;

    public ReadOnlySpan<double> Ys => _y;

    /// <summary>
    /// Builds a path through <paramref name="poses"/> (their positions and headings), then extends it straight ahead
    /// along the last heading by <paramref name="extensionM"/> metres.
    /// </summary>
    /// <exception cref="ArgumentException">No pose, or a single distinct position and no extension.</exception>
    public static PathPolyline FromPoses(ReadOnlySpan<Pose> poses, double extensionM = 0, double minVertexSpacingM = DefaultMinVertexSpacingM)
    {
        if (poses.Length == 0)
        {
            throw new ArgumentException("A path needs at least one pose.", nameof(poses));
        }
        if (!(extensionM >= 0) || !(minVertexSpacingM > 0))
        {
            throw new ArgumentException("The extension must be non-negative and the vertex spacing positive.");
        }
        var kept = new List<Pose>(poses.Length + 1) { poses[0] };
        var spacingSquared = minVertexSpacingM * minVertexSpacingM;
        for (var i = 1; i < poses.Length; i++)
        {
            var last = kept[^1];
            var dx = poses[i].X - last.X;
            var dy = poses[i].Y - last.Y;
            if (dx * dx + dy * dy >= spacingSquared)
            {
                kept.Add(poses[i]);
            }
        }
        if (extensionM > 0)
        {
            kept.Add(kept[^1].Translate(extensionM));
        }
        if (kept.Count < 2)
        {
            throw new ArgumentException(
                $"The poses span less than {minVertexSpacingM} m and no extension was asked for: the path would have no length.",
                nameof(poses));
        }
        var n = kept.Count;
        var x = new double[n];
        var y = new double[n];
        var rawHeading = new double[n];
        var s = new double[n];
        for (var i = 0; i < n; i++)
        {
            x[i] = kept[i].X;
            y[i] = kept[i].Y;
            rawHeading[i] = kept[i].Heading;
            s[i] = i == 0 ? 0.0 : s[i - 1] + Math.Sqrt((x[i] - x[i - 1]) * (x[i] - x[i - 1]) + (y[i] - y[i - 1]) * (y[i] - y[i - 1]));
        }
        var heading = new double[n];
        Angles.Unwrap(rawHeading, heading);
        return new PathPolyline(x, y, heading, s);
    }

    /// <summary>Clamps a progress into [0, <see cref="Length"/>].</summary>
    public double Clamp(double progress) => Math.Clamp(progress, 0.0, Length);

    /// <summary>Index of the segment holding <paramref name="progress"/> (clamped to the path).</summary>
    public int SegmentAt(double progress)
    {
        int lo = 0, hi = _s.Length - 2;
        if (progress <= 0)
        {
            return 0;
        }
        if (progress >= _s[hi])
        {
            return hi;
        }
        while (lo < hi)
        {
            var mid = (lo + hi + 1) >>> 1;
            if (_s[mid] <= progress)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /// <summary>
    /// <see cref="SegmentAt"/> for a progress at or after the start of segment <paramref name="hint"/>: walks forward
    /// from the hint, which is cheaper than a binary search for increasing queries.
    /// </summary>
    public int SegmentAtOrAfter(double progress, int hint)
    {
        var last = _s.Length - 2;
        var i = Math.Clamp(hint, 0, last);
        while (i < last && _s[i + 1] <= progress)
        {
            i++;
        }
        return i;
    }

    /// <summary>The position at <paramref name="progress"/> (clamped) on segment <paramref name="segment"/>, which must hold it.</summary>
    public Vector2 PositionOnSegment(double progress, int segment)
    {
        progress = Clamp(progress);
        var length = _s[segment + 1] - _s[segment];
        var f = length > 0 ? (progress - _s[segment]) / length : 0.0;
        return new Vector2(_x[segment] + (_x[segment + 1] - _x[segment]) * f, _y[segment] + (_y[segment + 1] - _y[segment]) * f);
    }

    /// <summary>The pose at <paramref name="progress"/>, clamped to the path ends.</summary>
    public Pose PoseAt(double progress)
    {
        progress = Clamp(progress);
        var i = SegmentAt(progress);
        var length = _s[i + 1] - _s[i];
        var f = length > 0 ? (progress - _s[i]) / length : 0.0;
        var heading = _heading[i] + (_heading[i + 1] - _heading[i]) * f;
        if (heading < -Math.PI || heading >= Math.PI)
        {
            heading = Angles.PrincipalValue(heading);
        }
        return new Pose(_x[i] + (_x[i + 1] - _x[i]) * f, _y[i] + (_y[i + 1] - _y[i]) * f, heading);
    }

    /// <summary>The progress of the path point nearest to (x, y) over the whole path, in [0, <see cref="Length"/>]
    /// (shapely's <c>project</c>).</summary>
    public double Project(double x, double y) => Clamp(Project(x, y, 0, SegmentCount - 1).Progress);

    /// <summary>
    /// Projects (x, y) onto segments <paramref name="firstSegment"/> … <paramref name="lastSegment"/>. Beyond the
    /// first and last searched segment the progress extrapolates along the segment and the lateral offset is
    /// perpendicular; elsewhere the nearest point is clamped to the polyline and the lateral offset is the signed
    /// distance to it.
    /// </summary>
    public PathProjection Project(double x, double y, int firstSegment, int lastSegment)
    {
        firstSegment = Math.Clamp(firstSegment, 0, SegmentCount - 1);
        lastSegment = Math.Clamp(lastSegment, firstSegment, SegmentCount - 1);
        var best = double.PositiveInfinity;
        var bestSegment = firstSegment;
        var bestT = 0.0;
        for (var i = firstSegment; i <= lastSegment; i++)
        {
            var qx = x - _x[i];
            var qy = y - _y[i];
            var dx = _dx[i];
            var dy = _dy[i];
            var t = Math.Clamp((qx * dx + qy * dy) * _inverseLengthSquared[i], 0.0, 1.0);
            var px = qx - t * dx;
            var py = qy - t * dy;
            var d = px * px + py * py;
            if (d < best)
            {
                best = d;
                bestSegment = i;
                bestT = t;
            }
        }
        var sx = _x[bestSegment + 1] - _x[bestSegment];
        var sy = _y[bestSegment + 1] - _y[bestSegment];
        var segmentLength = _s[bestSegment + 1] - _s[bestSegment];
        if (segmentLength <= 0)
        {
            return new PathProjection(_s[bestSegment], Math.Sqrt(best), bestSegment);
        }
        var ux = sx / segmentLength;
        var uy = sy / segmentLength;
        var rx = x - _x[bestSegment];
        var ry = y - _y[bestSegment];
        var along = rx * ux + ry * uy;
        var cross = ux * ry - uy * rx;
        var extrapolates = (bestSegment == firstSegment && along < 0) || (bestSegment == lastSegment && along > segmentLength);
        if (extrapolates)
        {
            return new PathProjection(_s[bestSegment] + along, cross, bestSegment);
        }
        var lateral = Math.Sqrt(best);
        return new PathProjection(_s[bestSegment] + bestT * segmentLength, cross < 0 ? -lateral : lateral, bestSegment);
    }

    /// <summary>Unit direction of segment <paramref name="segment"/> (the x axis for a zero-length segment).</summary>
    public Vector2 SegmentDirection(int segment)
    {
        var length = _s[segment + 1] - _s[segment];
        return length > 0
            ? new Vector2((_x[segment + 1] - _x[segment]) / length, (_y[segment + 1] - _y[segment]) / length)
            : new Vector2(1, 0);
    }

    /// <summary>Axis-aligned bounds of the vertices of segments <paramref name="firstSegment"/> … <paramref name="lastSegment"/>.</summary>
    public void GetBounds(int firstSegment, int lastSegment, out double minX, out double minY, out double maxX, out double maxY)
    {
        minX = double.PositiveInfinity;
        minY = double.PositiveInfinity;
        maxX = double.NegativeInfinity;
        maxY = double.NegativeInfinity;
        var xs = _x.AsSpan(firstSegment, lastSegment - firstSegment + 2);
        var ys = _y.AsSpan(firstSegment, lastSegment - firstSegment + 2);
        for (var i = 0; i < xs.Length; i++)
        {
            minX = Math.Min(minX, xs[i]);
            maxX = Math.Max(maxX, xs[i]);
            minY = Math.Min(minY, ys[i]);
            maxY = Math.Max(maxY, ys[i]);
        }
    }
}
