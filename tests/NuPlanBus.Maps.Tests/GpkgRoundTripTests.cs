using Microsoft.Data.Sqlite;
using NuPlanBus.Domain.Errors;
using NuPlanBus.Maps.Gpkg;

namespace NuPlanBus.Maps.Tests;

public sealed class GpkgRoundTripTests : IDisposable
{
    private readonly TestMapRoot _maps = new();

    public void Dispose() => _maps.Dispose();

    [Fact]
    public void A_written_map_reads_back_row_for_row_with_bit_identical_coordinates()
    {
        var read = GpkgMapReader.Read(_maps.MapPath, TestMapRoot.Location);

        Assert.Equal("epsg:32611", read.ProjectedCrs);
        foreach (var table in MapSchema.Read.Where(t => t != MapSchema.Meta))
        {
            var written = _maps.Content.Rows(table);
            var back = read.Rows(table);
            Assert.Equal(written.Select(r => r.Fid), back.Select(r => r.Fid));
            for (var i = 0; i < written.Count; i++)
            {
                Assert.True(written[i].Geometry!.EqualsExact(back[i].Geometry!), $"{table.Name} row {written[i].Fid} geometry changed");
                foreach (var (column, value) in written[i].Attributes)
                {
                    Assert.Equal(value, back[i].Attributes[column]);
                }
            }
        }
        Assert.NotEmpty(read.Rows(MapSchema.LanesPolygons));
        Assert.NotEmpty(read.Rows(MapSchema.LaneConnectors));
    }

    [Fact]
    public void The_file_is_a_GeoPackage_with_every_layer_registered_in_its_projected_frame()
    {
        using var connection = new SqliteConnection($"Data Source={_maps.MapPath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        Assert.Equal(0x47504B47L, Scalar(connection, "PRAGMA application_id"));
        Assert.Equal(10200L, Scalar(connection, "PRAGMA user_version"));
        Assert.Equal((long)MapSchema.All.Count, Scalar(connection, "SELECT count(*) FROM gpkg_contents"));
        Assert.Equal(0L, Scalar(connection, "SELECT count(*) FROM gpkg_geometry_columns WHERE srs_id <> 32611"));
        Assert.Equal("attributes", Scalar(connection, "SELECT data_type FROM gpkg_contents WHERE table_name = 'meta'"));
        // Blob header: 'G','P', version 0, flags 0x03 (little endian, xy envelope), srs id 32611.
        var blob = (byte[])Scalar(connection, "SELECT geom FROM lanes_polygons LIMIT 1")!;
        Assert.Equal(new byte[] { (byte)'G', (byte)'P', 0, 0x03 }, blob[..4]);
        Assert.Equal(32611, BitConverter.ToInt32(blob, 4));
    }

    [Fact]
    public void A_map_stored_in_lon_lat_is_projected_into_its_utm_frame()
    {
        var stored = new Dictionary<string, MapFeatureTable>(StringComparer.Ordinal);
        var toLonLat = CrsTransforms.Between(32611, CrsTransforms.Wgs84);
        foreach (var (name, table) in _maps.Content.Tables)
        {
            stored[name] = table with
            {
                Rows = [.. table.Rows.Select(r => r with { Geometry = LonLat(r.Geometry!, toLonLat) })],
            };
        }
        var path = Path.Combine(_maps.Directory, "lonlat.gpkg");
        GpkgMapWriter.Write(path, new MapContent(TestMapRoot.Location, "epsg:4326", stored));
        // Declare the projected frame as the devkit's meta table does; the layers stay in lon/lat.
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var update = connection.CreateCommand();
            update.CommandText = "UPDATE meta SET value = 'epsg:32611' WHERE key = 'projectedCoordSystem'";
            update.ExecuteNonQuery();
        }

        var read = GpkgMapReader.Read(path, TestMapRoot.Location);

        var original = _maps.Content.Rows(MapSchema.LanesPolygons);
        var back = read.Rows(MapSchema.LanesPolygons);
        for (var i = 0; i < original.Count; i++)
        {
            var a = original[i].Geometry!.Coordinates;
            var b = back[i].Geometry!.Coordinates;
            for (var j = 0; j < a.Length; j++)
            {
                Assert.True(a[j].Distance(b[j]) < 1e-5, $"vertex moved by {a[j].Distance(b[j])} m");
            }
        }
    }

    [Fact]
    public void A_missing_file_a_corrupt_file_and_a_file_that_is_not_a_geopackage_are_refused_by_name()
    {
        var missing = Path.Combine(_maps.Directory, "none.gpkg");
        Assert.Contains("does not exist", Assert.Throws<MapDataException>(() => GpkgMapReader.Read(missing, "x")).Message);

        var corrupt = Path.Combine(_maps.Directory, "corrupt.gpkg");
        File.WriteAllBytes(corrupt, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 37))]);
        var error = Assert.Throws<MapDataException>(() => GpkgMapReader.Read(corrupt, "x"));
        Assert.Equal(corrupt, error.Path);

        var plain = Path.Combine(_maps.Directory, "plain.gpkg");
        using (var connection = new SqliteConnection($"Data Source={plain};Pooling=False"))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = "CREATE TABLE t (a INTEGER)";
            create.ExecuteNonQuery();
        }
        Assert.Contains("not a GeoPackage", Assert.Throws<MapDataException>(() => GpkgMapReader.Read(plain, "x")).Message);
    }

    [Theory]
    [InlineData("DROP TABLE lanes_polygons", "layer lanes_polygons is missing")]
    [InlineData("ALTER TABLE lane_connectors DROP COLUMN exit_lane_fid", "layer lane_connectors has no column exit_lane_fid")]
    [InlineData("DELETE FROM meta", "projectedCoordSystem")]
    [InlineData("UPDATE lanes_polygons SET geom = x'00112233' WHERE fid = (SELECT min(fid) FROM lanes_polygons)", "layer lanes_polygons: the geometry of row")]
    public void A_damaged_layer_is_named_in_the_error(string damage, string expected)
    {
        var path = Path.Combine(_maps.Directory, "damaged.gpkg");
        File.Copy(_maps.MapPath, path, overwrite: true);
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = damage;
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<MapDataException>(() => GpkgMapReader.Read(path, TestMapRoot.Location));

        Assert.Contains(expected, error.Message);
        Assert.Equal(path, error.Path);
    }

    [Fact]
    public void A_broken_reference_between_layers_is_named_in_the_error()
    {
        var path = Path.Combine(_maps.Directory, "dangling.gpkg");
        File.Copy(_maps.MapPath, path, overwrite: true);
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE lane_connectors SET entry_lane_fid = 42 WHERE fid = (SELECT min(fid) FROM lane_connectors)";
            command.ExecuteNonQuery();
        }
        var content = GpkgMapReader.Read(path, TestMapRoot.Location);

        var error = Assert.Throws<MapDataException>(() => NuPlanMap.Build(content, path));

        Assert.Contains("layer lane_connectors", error.Message);
        Assert.Contains("entry_lane_fid 42", error.Message);
    }

    [Fact]
    public void Stop_line_lists_that_are_not_fids_are_named_in_the_error()
    {
        var path = Path.Combine(_maps.Directory, "stop-lines.gpkg");
        File.Copy(_maps.MapPath, path, overwrite: true);
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE lane_connectors SET traffic_light_stop_line_fids = 'north, 12' WHERE fid = (SELECT min(fid) FROM lane_connectors)";
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<MapDataException>(() => NuPlanMap.Build(GpkgMapReader.Read(path, TestMapRoot.Location), path));

        Assert.Contains("traffic_light_stop_line_fids 'north, 12'", error.Message);
    }

    private static NetTopologySuite.Geometries.Geometry LonLat(NetTopologySuite.Geometries.Geometry geometry, ProjNet.CoordinateSystems.Transformations.MathTransform toLonLat)
    {
        var copy = geometry.Copy();
        CrsTransforms.Reproject(copy, toLonLat);
        copy.SRID = CrsTransforms.Wgs84;
        return copy;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
