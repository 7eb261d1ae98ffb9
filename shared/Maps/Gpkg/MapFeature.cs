using NetTopologySuite.Geometries;

namespace NuPlanBus.Maps.Gpkg;

/// <summary>
/// One row of a map table as stored: its fid, its geometry (null in <c>meta</c>) and its attribute cells by column
/// name (<c>long</c>, <c>double</c>, <c>string</c> or null). The reader yields these, the writer takes them.
/// </summary>
public sealed record MapFeature(long Fid, Geometry? Geometry, IReadOnlyDictionary<string, object?> Attributes)
{
    public long? Long(string column) => Attributes.TryGetValue(column, out var v) ? v switch
    {
        null => null,
        long l => l,
        double d when !double.IsNaN(d) && d == Math.Floor(d) => (long)d,
        string s when long.TryParse(s, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var p) => p,
        _ => null,
    } : null;

    public double? Double(string column) => Attributes.TryGetValue(column, out var v) ? v switch
    {
        null => null,
        long l => l,
        double d when !double.IsNaN(d) => d,
        _ => null,
    } : null;

    public string? Text(string column) => Attributes.TryGetValue(column, out var v) ? v switch
    {
        null => null,
        string s => s,
        long l => l.ToString(System.Globalization.CultureInfo.InvariantCulture),
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        _ => v.ToString(),
    } : null;
}

/// <summary>The rows of one map table in fid order.</summary>
public sealed record MapFeatureTable(MapTable Table, IReadOnlyList<MapFeature> Rows);

/// <summary>
/// The stored content of one map: its location, its projected CRS (<c>meta.projectedCoordSystem</c>, e.g.
/// <c>epsg:32611</c>) and its tables by name, coordinates already in the projected CRS.
/// </summary>
public sealed record MapContent(string Location, string ProjectedCrs, IReadOnlyDictionary<string, MapFeatureTable> Tables)
{
    public IReadOnlyList<MapFeature> Rows(MapTable table) =>
        Tables.TryGetValue(table.Name, out var t) ? t.Rows : [];

    /// <summary>The EPSG code of <see cref="ProjectedCrs"/> (<c>epsg:32611</c> → 32611).</summary>
    public int Srid => ParseEpsg(ProjectedCrs);

    public static int ParseEpsg(string crs)
    {
        var text = crs.Trim();
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && text[..colon].Equals("epsg", StringComparison.OrdinalIgnoreCase)
            && int.TryParse(text[(colon + 1)..], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var code)
            ? code
            : throw new FormatException($"'{crs}' is not an EPSG code such as 'epsg:32611'.");
    }
}
