using System.Globalization;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using NuPlanBus.Domain.Errors;

namespace NuPlanBus.Maps.Gpkg;

/// <summary>
/// Reads a nuPlan map GeoPackage (docs/nuplan-maps.md §1.2, §5): every table the map API uses, in fid order, with
/// the layer's geometries in the map's projected frame (<c>meta.projectedCoordSystem</c>), reprojected only when a
/// layer is stored in another frame. Opened read-only (real maps carry spatial-index triggers plain SQLite cannot
/// run). A missing file, a file that is not a GeoPackage, or a missing layer or column is a
/// <see cref="MapDataException"/> naming the file and the layer.
/// </summary>
public static class GpkgMapReader
{
    public static MapContent Read(string path, string location)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new MapDataException(path, "the map file does not exist.");
        }
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = path,
                Mode = SqliteOpenMode.ReadOnly,
                Pooling = false,
            }.ToString());
            connection.Open();
            RequireGeoPackage(connection, path);
            var projected = ReadProjectedCrs(connection, path);
            var targetSrid = Parse(projected, path);
            var factory = new GeometryFactory(new PrecisionModel(), targetSrid);
            var tables = new Dictionary<string, MapFeatureTable>(StringComparer.Ordinal);
            foreach (var table in MapSchema.Read)
            {
                tables[table.Name] = ReadTable(connection, path, table, targetSrid, factory);
            }
            return new MapContent(location, projected, tables);
        }
        catch (SqliteException e)
        {
            throw new MapDataException(path, $"not a readable GeoPackage ({e.Message}).", e);
        }
    }

    private static void RequireGeoPackage(SqliteConnection connection, string path)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('gpkg_contents', 'gpkg_geometry_columns')";
        if (Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) != 2)
        {
            throw new MapDataException(path, "not a GeoPackage (no gpkg_contents and gpkg_geometry_columns tables).");
        }
    }

    private static string ReadProjectedCrs(SqliteConnection connection, string path)
    {
        if (!TableExists(connection, MapSchema.Meta.Name))
        {
            throw new MapDataException(path, "layer meta is missing (it names the map's projected coordinate system).");
        }
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE key = 'projectedCoordSystem'";
        return command.ExecuteScalar() as string
            ?? throw new MapDataException(path, "layer meta has no projectedCoordSystem row.");
    }

    private static int Parse(string crs, string path)
    {
        try
        {
            var srid = MapContent.ParseEpsg(crs);
            return CrsTransforms.IsUtm(srid) ? srid
                : throw new MapDataException(path, $"layer meta: projectedCoordSystem {crs} is not a WGS-84 UTM zone.");
        }
        catch (FormatException e)
        {
            throw new MapDataException(path, $"layer meta: {e.Message}", e);
        }
    }

    private static MapFeatureTable ReadTable(SqliteConnection connection, string path, MapTable table, int targetSrid, GeometryFactory factory)
    {
        if (!TableExists(connection, table.Name))
        {
            throw new MapDataException(path, $"layer {table.Name} is missing.");
        }
        var columns = Columns(connection, table.Name);
        var key = columns.FirstOrDefault(c => c.PrimaryKey).Name ?? "rowid";
        foreach (var required in table.Required)
        {
            if (!columns.Any(c => c.Name == required))
            {
                throw new MapDataException(path, $"layer {table.Name} has no column {required}.");
            }
        }
        string? geometryColumn = null;
        var storedSrid = targetSrid;
        if (table.GeometryType is not null)
        {
            (geometryColumn, storedSrid) = GeometryColumn(connection, path, table.Name);
            if (storedSrid != targetSrid && storedSrid != CrsTransforms.Wgs84 && !CrsTransforms.IsUtm(storedSrid))
            {
                throw new MapDataException(path, $"layer {table.Name} is stored in EPSG:{storedSrid}, which cannot be projected to EPSG:{targetSrid}.");
            }
        }

        var reader = new GeoPackageGeoReader(factory.CoordinateSequenceFactory, factory.PrecisionModel);
        var reprojection = storedSrid == targetSrid ? null : CrsTransforms.Between(storedSrid, targetSrid);
        var rows = new List<MapFeature>();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM \"{table.Name}\" ORDER BY \"{key}\"";
        using var data = command.ExecuteReader();
        var keyOrdinal = key == "rowid" ? -1 : data.GetOrdinal(key);
        var geometryOrdinal = geometryColumn is null ? -1 : data.GetOrdinal(geometryColumn);
        while (data.Read())
        {
            var fid = keyOrdinal >= 0 ? data.GetInt64(keyOrdinal) : rows.Count + 1;
            Geometry? geometry = null;
            if (geometryOrdinal >= 0 && !data.IsDBNull(geometryOrdinal))
            {
                try
                {
                    geometry = reader.Read((byte[])data.GetValue(geometryOrdinal));
                }
                catch (Exception e) when (e is ParseException or ArgumentException or InvalidOperationException or IOException)
                {
                    throw new MapDataException(path, $"layer {table.Name}: the geometry of row {fid} is not a GeoPackage geometry ({e.Message}).", e);
                }
                if (reprojection is not null)
                {
                    CrsTransforms.Reproject(geometry, reprojection);
                }
                geometry.SRID = targetSrid;
            }
            var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < data.FieldCount; i++)
            {
                if (i == keyOrdinal || i == geometryOrdinal)
                {
                    continue;
                }
                attributes[data.GetName(i)] = data.IsDBNull(i) ? null : data.GetValue(i) switch
                {
                    long l => l,
                    double d => d,
                    string s => s,
                    byte[] => null,
                    var v => Convert.ToString(v, CultureInfo.InvariantCulture),
                };
            }
            rows.Add(new MapFeature(fid, geometry, attributes));
        }
        return new MapFeatureTable(table, rows);
    }

    private static (string Column, int Srid) GeometryColumn(SqliteConnection connection, string path, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = $t";
        command.Parameters.AddWithValue("$t", table);
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? (reader.GetString(0), (int)reader.GetInt64(1))
            : throw new MapDataException(path, $"layer {table} is not registered in gpkg_geometry_columns.");
    }

    private static bool TableExists(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type IN ('table', 'view') AND name = $t";
        command.Parameters.AddWithValue("$t", table);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
    }

    private static List<(string Name, bool PrimaryKey)> Columns(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA table_info(\"{table}\")";
        using var reader = command.ExecuteReader();
        var columns = new List<(string, bool)>();
        while (reader.Read())
        {
            columns.Add((reader.GetString(1), reader.GetInt64(5) > 0));
        }
        return columns;
    }
}
