using NetTopologySuite.Geometries;
using NetTopologySuite.Index.Strtree;
using NuPlanBus.Maps.Objects;

namespace NuPlanBus.Maps;

/// <summary>
/// The rows of one layer in row (fid) order with an STR-tree over their geometries. Answers are exactly those of a
/// full scan with GEOS predicates (strict containment, touching counts as intersecting, Euclidean distance), in row
/// order, as the devkit's whole-layer scans give them (docs/nuplan-scoring-and-planners.md §A.4). Built once;
/// read-only afterwards and safe to query from many threads.
/// </summary>
public sealed class LayerIndex<T>
    where T : class
{
    private readonly T[] _items;
    private readonly Geometry[] _geometries;
    private readonly STRtree<int> _tree = new();

    public LayerIndex(IReadOnlyList<T> items, Func<T, Geometry> geometry)
    {
        _items = [.. items];
        _geometries = new Geometry[_items.Length];
        for (var i = 0; i < _items.Length; i++)
        {
            _geometries[i] = geometry(_items[i]);
            _tree.Insert(_geometries[i].EnvelopeInternal, i);
        }
        _tree.Build();
    }

    public IReadOnlyList<T> Items => _items;

    public int Count => _items.Length;

    /// <summary>Rows whose geometry strictly contains the point, in row order.</summary>
    public List<T> Containing(double x, double y)
    {
        var hits = new List<T>();
        if (_items.Length == 0)
        {
            return hits;
        }
        var rows = InRowOrder(_tree.Query(new Envelope(x, x, y, y)));
        foreach (var row in rows)
        {
            if (MapObject.StrictlyContains(_geometries[row], x, y))
            {
                hits.Add(_items[row]);
            }
        }
        return hits;
    }

    /// <summary>Whether any row strictly contains the point.</summary>
    public bool AnyContains(double x, double y)
    {
        if (_items.Length == 0)
        {
            return false;
        }
        foreach (var row in _tree.Query(new Envelope(x, x, y, y)))
        {
            if (MapObject.StrictlyContains(_geometries[row], x, y))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Rows whose geometry intersects (touching included) the axis-aligned rectangle, in row order.</summary>
    public List<T> Intersecting(Envelope patch)
    {
        var hits = new List<T>();
        if (_items.Length == 0)
        {
            return hits;
        }
        var rows = InRowOrder(_tree.Query(patch));
        var patchGeometry = _geometries[0].Factory.ToGeometry(patch);
        foreach (var row in rows)
        {
            if (_geometries[row].Intersects(patchGeometry))
            {
                hits.Add(_items[row]);
            }
        }
        return hits;
    }

    /// <summary>
    /// The row nearest to the point and its distance (0 inside or on the boundary); the first row in row order among
    /// equally near ones. Throws on an empty layer, as the devkit does.
    /// </summary>
    public (T Item, double Distance) Nearest(double x, double y)
    {
        if (_items.Length == 0)
        {
            throw new InvalidOperationException("The layer is empty: there is no nearest object.");
        }
        var point = _geometries[0].Factory.CreatePoint(new Coordinate(x, y));
        var distance = new PointDistance(point, _geometries);
        var nearest = _tree.NearestNeighbour(point.EnvelopeInternal, -1, distance);
        var best = _geometries[nearest].Distance(point);
        // Earlier rows at the same distance win; envelopes no farther than the best are the only candidates.
        var ties = _tree.Query(new Envelope(x - best, x + best, y - best, y + best));
        var first = nearest;
        foreach (var row in ties)
        {
            if (row < first && _geometries[row].Distance(point) == best)
            {
                first = row;
            }
        }
        return (_items[first], best);
    }

    /// <summary>The query's rows in row order (the tree answers with a <see cref="List{T}"/>, sorted in place).</summary>
    private static List<int> InRowOrder(IList<int> rows)
    {
        var list = rows as List<int> ?? [.. rows];
        list.Sort();
        return list;
    }

    private sealed class PointDistance(Point point, Geometry[] geometries) : IItemDistance<Envelope, int>
    {
        public double Distance(IBoundable<Envelope, int> item1, IBoundable<Envelope, int> item2)
        {
            var row = item1.Item >= 0 ? item1.Item : item2.Item;
            return geometries[row].Distance(point);
        }
    }
}
