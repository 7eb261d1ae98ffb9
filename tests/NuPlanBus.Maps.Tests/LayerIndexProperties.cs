using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NetTopologySuite.Geometries;
using NuPlanBus.Maps.Objects;

namespace NuPlanBus.Maps.Tests;

/// <summary>The STR-tree answers are those of a full scan with NetTopologySuite's own predicates.</summary>
public sealed class LayerIndexProperties : IClassFixture<LayerIndexProperties.Polygons>
{
    private readonly Polygons _polygons;

    public LayerIndexProperties(Polygons polygons)
    {
        _polygons = polygons;
    }

    private static Arbitrary<(double X, double Y)> Points() =>
        Gen.Choose(-2_000, 62_000).SelectMany(x => Gen.Choose(-2_000, 62_000), (x, y) => (x / 1000.0, y / 1000.0)).ToArbitrary();

    [Property(MaxTest = 400)]
    public Property Containment_equals_a_full_scan_in_row_order() =>
        Prop.ForAll(Points(), p =>
        {
            var point = _polygons.Factory.CreatePoint(new Coordinate(p.X, p.Y));
            var expected = _polygons.Items.Where(o => o.Polygon.Contains(point)).ToList();
            var actual = _polygons.Index.Containing(p.X, p.Y);
            return expected.SequenceEqual(actual) && _polygons.Index.AnyContains(p.X, p.Y) == (expected.Count > 0);
        });

    [Property(MaxTest = 400)]
    public Property The_nearest_distance_equals_the_minimum_over_all_rows() =>
        Prop.ForAll(Points(), p =>
        {
            var point = _polygons.Factory.CreatePoint(new Coordinate(p.X, p.Y));
            var distances = _polygons.Items.Select(o => o.Polygon.Distance(point)).ToList();
            var best = distances.Min();
            var (item, distance) = _polygons.Index.Nearest(p.X, p.Y);
            return distance == best && distances.IndexOf(best) == _polygons.Items.IndexOf((PolygonMapObject)item);
        });

    [Property(MaxTest = 200)]
    public Property Rectangle_queries_equal_a_full_scan_in_row_order() =>
        Prop.ForAll(Points(), Gen.Choose(0, 8000).ToArbitrary(), (p, r) =>
        {
            var half = r / 1000.0;
            var patch = new Envelope(p.X - half, p.X + half, p.Y - half, p.Y + half);
            var square = _polygons.Factory.ToGeometry(patch);
            var expected = _polygons.Items.Where(o => o.Polygon.Intersects(square)).ToList();
            return expected.SequenceEqual(_polygons.Index.Intersecting(patch));
        });

    /// <summary>Overlapping random convex and concave polygons on a 60 m square, some sharing edges.</summary>
    public sealed class Polygons
    {
        public Polygons()
        {
            var random = new Random(7);
            var items = new List<PolygonMapObject>();
            for (var i = 0; i < 300; i++)
            {
                var cx = random.NextDouble() * 60;
                var cy = random.NextDouble() * 60;
                var n = random.Next(3, 9);
                var ring = new Coordinate[n + 1];
                for (var k = 0; k < n; k++)
                {
                    var angle = 2 * Math.PI * k / n;
                    var r = 0.5 + random.NextDouble() * 4;
                    ring[k] = new Coordinate(cx + r * Math.Cos(angle), cy + r * Math.Sin(angle));
                }
                ring[n] = ring[0];
                items.Add(new PolygonMapObject(1000 + i, Factory.CreatePolygon(ring)));
            }
            // Unit squares tiling a strip: points on shared edges are in neither (strict containment).
            for (var i = 0; i < 20; i++)
            {
                items.Add(new PolygonMapObject(5000 + i, Factory.CreatePolygon([new(i, 30), new(i + 1, 30), new(i + 1, 31), new(i, 31), new(i, 30)])));
            }
            Items = items;
            Index = new LayerIndex<PolygonMapObject>(items, o => o.Polygon);
        }

        public GeometryFactory Factory { get; } = new();

        public List<PolygonMapObject> Items { get; }

        public LayerIndex<PolygonMapObject> Index { get; }
    }
}
