using NetTopologySuite.Geometries;
using NuPlanBus.Maps.Gpkg;

namespace NuPlanBus.Maps.Synthetic;

/// <summary>
/// Collects the rows of a synthetic map and writes it in the devkit's layout: <c>&lt;root&gt;/&lt;location&gt;/&lt;version&gt;/map.gpkg</c>
/// plus the version file. Fids must be unique across all tables, as on real maps (docs/nuplan-maps.md §4.2 rule 1).
/// </summary>
public sealed class SyntheticMapBuilder
{
    private readonly Dictionary<string, List<MapFeature>> _rows = new(StringComparer.Ordinal);
    private readonly Dictionary<long, string> _owners = [];

    public SyntheticMapBuilder(string location, int epsg)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        Location = location;
        Epsg = epsg;
        Factory = new GeometryFactory(new PrecisionModel(), epsg);
    }

    public string Location { get; }

    public int Epsg { get; }

    public GeometryFactory Factory { get; }

    public void Add(MapTable table, long fid, Geometry geometry, params (string Column, object? Value)[] attributes)
    {
        if (!_owners.TryAdd(fid, table.Name))
        {
            throw new InvalidOperationException($"Fid {fid} of {table.Name} is already used by {_owners[fid]}.");
        }
        foreach (var (column, _) in attributes)
        {
            if (!table.Columns.Any(c => c.Name == column))
            {
                throw new ArgumentException($"{table.Name} has no column {column}.", nameof(attributes));
            }
        }
        if (!_rows.TryGetValue(table.Name, out var rows))
        {
            _rows[table.Name] = rows = [];
        }
        rows.Add(new MapFeature(fid, geometry, attributes.ToDictionary(a => a.Column, a => a.Value, StringComparer.Ordinal)));
    }

    public MapContent Build() => new(
        Location,
        $"epsg:{Epsg}",
        MapSchema.All.Where(t => t != MapSchema.Meta).ToDictionary(
            t => t.Name,
            t => new MapFeatureTable(t, _rows.TryGetValue(t.Name, out var rows) ? [.. rows.OrderBy(r => r.Fid)] : []),
            StringComparer.Ordinal));

    /// <summary>Writes the map under <paramref name="mapsRoot"/> and adds it to the root's version file; returns the GPKG path.</summary>
    public string Write(string mapsRoot, string version, string mapVersionSet = MapsRoot.DefaultVersion)
    {
        var path = Path.Combine(mapsRoot, Location, version, MapsRoot.MapFileName);
        GpkgMapWriter.Write(path, Build());
        var root = new MapsRoot(mapsRoot, mapVersionSet);
        var versions = File.Exists(root.VersionFile)
            ? new Dictionary<string, string>(root.Locations, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
        versions[Location] = version;
        MapsRoot.WriteVersionFile(root.VersionFile, versions);
        return path;
    }
}
