using NetTopologySuite.Geometries;
using ProjNet.CoordinateSystems;
using ProjNet.CoordinateSystems.Transformations;

namespace NuPlanBus.Maps.Gpkg;

/// <summary>
/// The coordinate systems a nuPlan map uses: WGS-84 UTM zones (EPSG 326xx north, 327xx south) as projected frames and
/// WGS-84 (EPSG 4326) as a possible stored frame, which the devkit reprojects with <c>to_crs</c> (docs/nuplan-maps.md
/// §1.2). Layers already stored in the projected frame are never touched, so their coordinates stay bit-exact.
/// </summary>
public static class CrsTransforms
{
    public const int Wgs84 = 4326;

    public static bool IsUtm(int epsg) => epsg is > 32600 and <= 32660 or > 32700 and <= 32760;

    /// <summary>The OGC WKT of a supported EPSG code, for <c>gpkg_spatial_ref_sys</c>.</summary>
    public static string Wkt(int epsg) => CoordinateSystem(epsg).WKT;

    /// <summary>
    /// The transform from <paramref name="fromEpsg"/> to <paramref name="toEpsg"/>: built once per layer, as ProjNET's
    /// factory parses and composes both systems on every call.
    /// </summary>
    public static MathTransform Between(int fromEpsg, int toEpsg) => new CoordinateTransformationFactory()
        .CreateFromCoordinateSystems(CoordinateSystem(fromEpsg), CoordinateSystem(toEpsg)).MathTransform;

    /// <summary>Reprojects <paramref name="geometry"/> in place with <paramref name="transform"/>.</summary>
    public static void Reproject(Geometry geometry, MathTransform transform)
    {
        geometry.Apply(new ReprojectionFilter(transform));
        geometry.GeometryChanged();
    }

    private static CoordinateSystem CoordinateSystem(int epsg) => epsg switch
    {
        Wgs84 => GeographicCoordinateSystem.WGS84,
        _ when IsUtm(epsg) => ProjectedCoordinateSystem.WGS84_UTM(epsg % 100, epsg < 32700),
        _ => throw new NotSupportedException($"EPSG:{epsg} is neither WGS-84 (4326) nor a WGS-84 UTM zone (326xx, 327xx)."),
    };

    private sealed class ReprojectionFilter(MathTransform transform) : ICoordinateSequenceFilter
    {
        public bool Done => false;

        public bool GeometryChanged => true;

        public void Filter(CoordinateSequence seq, int i)
        {
            var (x, y) = transform.Transform(seq.GetX(i), seq.GetY(i));
            seq.SetX(i, x);
            seq.SetY(i, y);
        }
    }
}
