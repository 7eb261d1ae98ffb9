namespace NuPlanBus.Scenarios.Tests;

public sealed class SchemaTests
{
    [Fact]
    public void Creating_the_schema_makes_every_nuplan_table_and_the_recommended_indexes()
    {
        using var directory = new TempDirectory();
        var path = directory.File("schema.db");
        using (var connection = Sql.OpenReadWrite(path))
        {
            NuPlanDbSchema.Create(connection);
        }

        var tables = Sql.Query(path, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .Select(r => (string)r[0]!).ToList();
        Assert.Equal(
            ["camera", "category", "ego_pose", "image", "lidar", "lidar_box", "lidar_pc", "log", "scenario_tag", "scene", "track", "traffic_light_status"],
            tables);
        var indexes = Sql.Query(path, "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'idx_%'").Count;
        Assert.Equal(NuPlanDbSchema.CreateIndexStatements.Count, indexes);

        var egoColumns = Sql.Query(path, "SELECT name, type FROM pragma_table_info('ego_pose')")
            .ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        Assert.Equal("BLOB", egoColumns["token"]);
        Assert.Equal("FLOAT", egoColumns["qw"]);
        Assert.Equal("INTEGER", egoColumns["timestamp"]);
        Assert.Contains("acceleration_y", egoColumns.Keys);
    }

    [Fact]
    public void A_freshly_created_schema_passes_the_readers_validation_once_a_merged_lidar_exists()
    {
        using var directory = new TempDirectory();
        var path = directory.File("empty.db");
        using (var connection = Sql.OpenReadWrite(path))
        {
            NuPlanDbSchema.Create(connection);
        }
        Sql.Execute(path, "INSERT INTO lidar (token, log_token, channel) VALUES (x'01', x'02', 'MergedPointCloud')");

        using var database = NuPlanLogDatabase.Open(path);
        Assert.Empty(database.EnumerateScenarios(ScenarioQuery.All));
        Assert.Equal("empty", database.LogName);
    }
}
