using NuPlanBus.Domain.Errors;

namespace NuPlanBus.Scenarios.Tests;

public sealed class BadInputTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void A_missing_file_is_reported_as_missing()
    {
        var path = _directory.File("nope.db");
        var error = Assert.Throws<ScenarioDataException>(() => NuPlanLogDatabase.Open(path));
        Assert.Equal("log database file does not exist", error.Reason);
        Assert.Equal(path, error.Path);
    }

    [Fact]
    public void A_directory_is_reported_as_not_a_file()
    {
        var error = Assert.Throws<ScenarioDataException>(() => NuPlanLogDatabase.Open(_directory.Path));
        Assert.Contains("is a directory", error.Reason);
    }

    [Fact]
    public void An_empty_file_is_reported_as_not_sqlite()
    {
        var path = _directory.File("empty.db");
        File.WriteAllBytes(path, []);
        var error = Assert.Throws<ScenarioDataException>(() => NuPlanLogDatabase.Open(path));
        Assert.Contains("not a SQLite database", error.Reason);
        Assert.Contains("empty", error.Reason);
    }

    [Fact]
    public void A_text_file_is_reported_as_not_sqlite()
    {
        var path = _directory.File("notes.db");
        File.WriteAllText(path, "these are not the droids you are looking for, nor a database");
        var error = Assert.Throws<ScenarioDataException>(() => NuPlanLogDatabase.Open(path));
        Assert.Equal("not a SQLite database (no 'SQLite format 3' header)", error.Reason);
    }

    [Fact]
    public void A_corrupt_sqlite_file_is_reported_as_unreadable()
    {
        var path = _directory.File("corrupt.db");
        var bytes = new byte[4096];
        "SQLite format 3\0"u8.CopyTo(bytes);
        new Random(1).NextBytes(bytes.AsSpan(16));
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<ScenarioDataException>(() => NuPlanLogDatabase.Open(path));
        Assert.StartsWith("not a readable SQLite database", error.Reason);
    }

    [Fact]
    public void A_sqlite_file_of_another_schema_names_the_missing_tables()
    {
        var path = _directory.File("other.db");
        Sql.Execute(path, "CREATE TABLE log (token BLOB, map_version TEXT); CREATE TABLE customers (id INTEGER)");
        var error = Assert.Throws<ScenarioDataException>(() => NuPlanLogDatabase.Open(path));
        Assert.StartsWith("not a nuPlan log database: missing tables", error.Reason);
        Assert.Contains("'lidar_pc'", error.Reason);
        Assert.Contains("'ego_pose'", error.Reason);
        Assert.DoesNotContain("'log'", error.Reason);
    }

    [Fact]
    public void A_nuplan_table_without_a_needed_column_is_named()
    {
        var path = _directory.File("old.db");
        TinyLog.Create(path);
        Sql.Execute(path, "ALTER TABLE scene DROP COLUMN roadblock_ids");
        var error = Assert.Throws<ScenarioDataException>(() => NuPlanLogDatabase.Open(path));
        Assert.Equal("not a nuPlan log database: table 'scene' lacks column(s) 'roadblock_ids'", error.Reason);
    }

    [Fact]
    public void A_log_without_a_merged_point_cloud_lidar_is_rejected()
    {
        var path = _directory.File("nolidar.db");
        TinyLog.Create(path);
        Sql.Execute(path, "UPDATE lidar SET channel = 'LidarTop'");
        var error = Assert.Throws<ScenarioDataException>(() => NuPlanLogDatabase.Open(path));
        Assert.Contains("no lidar with channel 'MergedPointCloud'", error.Reason);
    }

    [Fact]
    public void A_dataset_directory_that_does_not_exist_is_reported()
    {
        var error = Assert.Throws<ScenarioDataException>(() => ScenarioCatalog.DiscoverLogs(_directory.File("missing")));
        Assert.Equal("dataset directory does not exist", error.Reason);
    }
}
