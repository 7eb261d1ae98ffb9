using NuPlanBus.Domain.Geometry;
using NuPlanBus.Simulation.Routes;

namespace NuPlanBus.Simulation.Idm;

/// <summary>
/// A stretch [from, to] of a path buffered by a half width (nuPlan's <c>path.buffer(width / 2)</c>), cut into
/// chunks with enclosing rectangles so a box far from it is rejected with a few multiplications and a box near it
/// is projected onto the segments of the chunks it can reach only. Reused buffers: no allocation per query.
/// </summary>
/// <remarks>
/// A circle around the whole window comes first: every path point of the window is within half its arc length of
/// the window's middle point (a chord is never longer than its arc). Each chunk is then bounded by the rectangle
/// around its chord widened by the farthest its vertices stray from the chord, plus the half width and the cap; a
/// box can only touch the chunk's corridor if its enclosing circle reaches that rectangle. The chunks are laid out
/// only once a box passes the first test.
/// </remarks>
internal sealed class CorridorWindow
{
    public const double DefaultChunkLengthM = 10.0;

    private readonly double _chunkLength;
    private double[] _ax = new double[16];
    private double[] _ay = new double[16];
    private double[] _ux = new double[16];
    private double[] _uy = new double[16];
    private double[] _chord = new double[16];
    private double[] _reach = new double[16];
    private int[] _firstSegment = new int[16];
    private int[] _lastSegment = new int[16];
    private int _count;
    private bool _chunked;
    private double _allCx;
    private double _allCy;
    private double _allRadius;
    private PathPolyline? _path;

    public CorridorWindow(double chunkLength = DefaultChunkLengthM)
    {
        _chunkLength = chunkLength;
    }

    public double From { get; private set; }

    public double To { get; private set; }

    public double HalfWidth { get; private set; }

    /// <summary>How far the corridor reaches beyond both ends: the half width for square caps, 0 for flat caps.</summary>
    public double CapExtension { get; private set; }

    public bool IsEmpty { get; private set; }

    /// <summary>Sets the window to [from, to] (both clamped to the path).</summary>
    public void Reset(PathPolyline path, double from, double to, double halfWidth, bool squareCaps)
    {
        _path = path;
        From = path.Clamp(from);
        To = Math.Max(From, path.Clamp(to));
        HalfWidth = halfWidth;
        CapExtension = squareCaps ? halfWidth : 0.0;
        _chunked = false;
        var length = To - From;
        IsEmpty = length <= 0 && !squareCaps;
        if (IsEmpty)
        {
            return;
        }
        var middle = (From + To) / 2;
        var whole = path.PositionOnSegment(middle, path.SegmentAt(middle));
        _allCx = whole.X;
        _allCy = whole.Y;
        _allRadius = length / 2 + halfWidth + CapExtension;
    }

    /// <summary>Whether the box touches the corridor of the window; on a hit, also the progress interval it covers.</summary>
    public bool Overlaps(in BoxShape box, out double progressLow, out double progressHigh)
    {
        progressLow = 0;
        progressHigh = 0;
        if (IsEmpty || !Near(_allCx, _allCy, _allRadius, box))
        {
            return false;
        }
        if (!_chunked)
        {
            LayOutChunks();
        }
        var first = -1;
        var last = -1;
        for (var c = 0; c < _count; c++)
        {
            if (NearChunk(c, box))
            {
                if (first < 0)
                {
                    first = c;
                }
                last = c;
            }
        }
        if (first < 0)
        {
            return false;
        }
        if (!CorridorInterval(_path!, box, _firstSegment[first], _lastSegment[last], HalfWidth, out progressLow, out progressHigh))
        {
            return false;
        }
        return progressHigh >= From - CapExtension && progressLow <= To + CapExtension;
    }

    /// <summary>Whether the box's enclosing circle reaches the circle around the whole window (a cheap first test).</summary>
    public bool MayOverlap(in BoxShape box) => !IsEmpty && Near(_allCx, _allCy, _allRadius, box);

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
        box.HalfExtentsAlong(t.X, t.Y, out var longitudinalExtent, out var lateralExtent);
        progressLow = projection.Progress - longitudinalExtent;
        progressHigh = projection.Progress + longitudinalExtent;
        return Math.Abs(projection.Lateral) - lateralExtent <= halfWidth;
    }

    private void LayOutChunks()
    {
        var path = _path!;
        var length = To - From;
        var chunks = Math.Max(1, (int)Math.Ceiling(length / _chunkLength));
        EnsureCapacity(chunks);
        var chunkLength = length / chunks;
        var xs = path.Xs;
        var ys = path.Ys;
        var segment = path.SegmentAt(From);
        var start = path.PositionOnSegment(From, segment);
        for (var c = 0; c < chunks; c++)
        {
            var b = c == chunks - 1 ? To : From + (c + 1) * chunkLength;
            var first = segment;
            segment = path.SegmentAtOrAfter(b, segment);
            var end = path.PositionOnSegment(b, segment);
            // The chunk's chord frame; the inner vertices' distance from the chord bounds how far the path strays.
            var cx = end.X - start.X;
            var cy = end.Y - start.Y;
            var chord = Math.Sqrt(cx * cx + cy * cy);
            var (ux, uy) = chord > 1e-9 ? (cx / chord, cy / chord) : (1.0, 0.0);
            var stray = 0.0;
            for (var v = first + 1; v <= segment; v++)
            {
                var rx = xs[v] - start.X;
                var ry = ys[v] - start.Y;
                var along = rx * ux + ry * uy;
                var across = Math.Abs(ux * ry - uy * rx);
                var outside = Math.Max(Math.Max(-along, along - chord), 0.0);
                stray = Math.Max(stray, Math.Max(across, outside));
            }
            _ax[c] = start.X;
            _ay[c] = start.Y;
            _ux[c] = ux;
            _uy[c] = uy;
            _chord[c] = chord;
            _reach[c] = stray + HalfWidth + CapExtension;
            _firstSegment[c] = first;
            _lastSegment[c] = segment;
            start = end;
        }
        _count = chunks;
        _chunked = true;
    }

    /// <summary>Whether the box's enclosing circle reaches the rectangle around chunk <paramref name="c"/>'s chord,
    /// widened by how far the path strays from the chord plus the half width and cap.</summary>
    private bool NearChunk(int c, in BoxShape box)
    {
        var rx = box.Cx - _ax[c];
        var ry = box.Cy - _ay[c];
        var margin = _reach[c] + box.Radius;
        var along = rx * _ux[c] + ry * _uy[c];
        if (along < -margin || along > _chord[c] + margin)
        {
            return false;
        }
        return Math.Abs(_ux[c] * ry - _uy[c] * rx) <= margin;
    }

    private static bool Near(double cx, double cy, double radius, in BoxShape box)
    {
        var dx = box.Cx - cx;
        var dy = box.Cy - cy;
        var r = radius + box.Radius;
        return dx * dx + dy * dy <= r * r;
    }

    private void EnsureCapacity(int chunks)
    {
        if (_ax.Length >= chunks)
        {
            return;
        }
        var size = Math.Max(chunks, _ax.Length * 2);
        _ax = new double[size];
        _ay = new double[size];
        _ux = new double[size];
        _uy = new double[size];
        _chord = new double[size];
        _reach = new double[size];
        _firstSegment = new int[size];
        _lastSegment = new int[size];
    }
}
