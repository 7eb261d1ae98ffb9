using System.Globalization;
using Microsoft.Data.Sqlite;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;
using NuPlanBus.Domain.IO;

namespace NuPlanBus.Maps.Gpkg;

/// <summary>
/// Writes a map in the nuPlan GeoPackage layout (docs/nuplan-maps.md §4.1, §5): every table of
/// <see cref="MapSchema.All"/> (empty ones included), an explicit integer fid, a <c>geom</c> column in the map's
/// projected frame (so nothing is ever reprojected), the GeoPackage bookkeeping tables GDAL needs, and
/// <c>meta</c>. The file appears atomically: a reader never sees half a map.
/// </summary>
public static class GpkgMapWriter
{
    private const int ApplicationId = 0x47504B47;
    private const int UserVersion = 10200;

    public static void Write(string path, MapContent content)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(content);
        var srid = content.Srid;
        AtomicFile.Write(path, temporary =>
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = temporary,
                Mode = SqliteOpenMode.ReadWriteCreate,
                Pooling = false,
            }.ToString());
            connection.Open();
            using var transaction = connection.BeginTransaction();
            Execute(connection, $"PRAGMA application_id = {ApplicationId}");
            Execute(connection, $"PRAGMA user_version = {UserVersion}");
            CreateBookkeeping(connection, srid);
            var writer = new GeoPackageGeoWriter { HandleOrdinates = Ordinates.XY };
            foreach (var table in MapSchema.All)
            {
                var rows = table == MapSchema.Meta
                    ? MetaRows(content)
                    : content.Rows(table);
                WriteTable(connection, writer, table, rows, srid);
            }
            transaction.Commit();
        });
    }

    private static List<MapFeature> MetaRows(MapContent content) =>
    [
        new(1, null, new Dictionary<string, object?> { ["key"] = "projectedCoordSystem", ["value"] = content.ProjectedCrs }),
        new(2, null, new Dictionary<string, object?> { ["key"] = "geographicCoordSystem", ["value"] = "epsg:4326" }),
    ];

    private static void CreateBookkeeping(SqliteConnection connection, int srid)
    {
        Execute(connection, """
            CREATE TABLE gpkg_spatial_ref_sys (
              srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
              organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
            CREATE TABLE gpkg_contents (
              table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE, description TEXT DEFAULT '',
              last_change DATETIME NOT NULL, min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER);
            CREATE TABLE gpkg_geometry_columns (
              table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL,
              z TINYINT NOT NULL, m TINYINT NOT NULL, PRIMARY KEY (table_name, column_name));
            """);
        InsertSrs(connection, "Undefined cartesian SRS", -1, "NONE", -1, "undefined");
        InsertSrs(connection, "Undefined geographic SRS", 0, "NONE", 0, "undefined");
        InsertSrs(connection, "WGS 84 geodetic", CrsTransforms.Wgs84, "EPSG", CrsTransforms.Wgs84, CrsTransforms.Wkt(CrsTransforms.Wgs84));
        if (srid != CrsTransforms.Wgs84)
        {
            InsertSrs(connection, $"EPSG:{srid}", srid, "EPSG", srid, CrsTransforms.Wkt(srid));
        }
    }

    private static void InsertSrs(SqliteConnection connection, string name, int id, string organization, int code, string definition)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO gpkg_spatial_ref_sys VALUES ($n, $id, $o, $c, $d, NULL)";
        command.Parameters.AddWithValue("$n", name);
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$o", organization);
        command.Parameters.AddWithValue("$c", code);
        command.Parameters.AddWithValue("$d", definition);
        command.ExecuteNonQuery();
    }

    private static void WriteTable(SqliteConnection connection, GeoPackageGeoWriter writer, MapTable table, IReadOnlyList<MapFeature> rows, int srid)
    {
        var spatial = table.GeometryType is not null;
        var columns = string.Join(", ", table.Columns.Select(c => $"\"{c.Name}\" {c.SqlType}"));
        Execute(connection, spatial
            ? $"CREATE TABLE \"{table.Name}\" (fid INTEGER PRIMARY KEY, {MapSchema.GeometryColumn} BLOB, {columns})"
            : $"CREATE TABLE \"{table.Name}\" (fid INTEGER PRIMARY KEY, {columns})");

        var envelope = new Envelope();
        var names = table.Columns.Select(c => c.Name).ToArray();
        using (var insert = connection.CreateCommand())
        {
            var targets = spatial ? ["fid", MapSchema.GeometryColumn, .. names] : (string[])["fid", .. names];
            insert.CommandText = $"INSERT INTO \"{table.Name}\" ({string.Join(", ", targets.Select(n => $"\"{n}\""))}) VALUES ({string.Join(", ", targets.Select((_, i) => $"$p{i}"))})";
            var parameters = targets.Select((_, i) => insert.Parameters.Add($"$p{i}", SqliteType.Blob)).ToArray();
            foreach (var row in rows.OrderBy(r => r.Fid))
            {
                parameters[0].Value = row.Fid;
                var offset = 1;
                if (spatial)
                {
                    var geometry = row.Geometry ?? throw new ArgumentException($"Row {row.Fid} of {table.Name} has no geometry.");
                    geometry.SRID = srid;
                    parameters[1].Value = writer.Write(geometry);
                    envelope.ExpandToInclude(geometry.EnvelopeInternal);
                    offset = 2;
                }
                for (var i = 0; i < names.Length; i++)
                {
                    parameters[offset + i].Value = row.Attributes.TryGetValue(names[i], out var value) && value is not null ? value : DBNull.Value;
                }
                insert.ExecuteNonQuery();
            }
        }

        using var contents = connection.CreateCommand();
        contents.CommandText = "INSERT INTO gpkg_contents VALUES ($t, $k, $t, '', $c, $x0, $y0, $x1, $y1, $s)";
        contents.Parameters.AddWithValue("$t", table.Name);
        contents.Parameters.AddWithValue("$k", spatial ? "features" : "attributes");
        contents.Parameters.AddWithValue("$c", "2024-01-01T00:00:00.000Z");
        contents.Parameters.AddWithValue("$x0", spatial && !envelope.IsNull ? envelope.MinX : DBNull.Value);
        contents.Parameters.AddWithValue("$y0", spatial && !envelope.IsNull ? envelope.MinY : DBNull.Value);
        contents.Parameters.AddWithValue("$x1", spatial && !envelope.IsNull ? envelope.MaxX : DBNull.Value);
        contents.Parameters.AddWithValue("$y1", spatial && !envelope.IsNull ? envelope.MaxY : DBNull.Value);
        contents.Parameters.AddWithValue("$s", spatial ? srid : DBNull.Value);
        contents.ExecuteNonQuery();
        if (spatial)
        {
            using var geometryColumns = connection.CreateCommand();
            geometryColumns.CommandText = "INSERT INTO gpkg_geometry_columns VALUES ($t, $g, $y, $s, 0, 0)";
            geometryColumns.Parameters.AddWithValue("$t", table.Name);
            geometryColumns.Parameters.AddWithValue("$g", MapSchema.GeometryColumn);
            geometryColumns.Parameters.AddWithValue("$y", table.GeometryType!);
            geometryColumns.Parameters.AddWithValue("$s", srid);
            geometryColumns.ExecuteNonQuery();
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
