using Microsoft.Data.Sqlite;
using NuPlanBus.Scenarios.Synthetic;

namespace NuPlanBus.Scenarios.Tests;

/// <summary>A temporary directory removed with the test.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "nuplanbus-scenarios-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leaked temp directory must not fail the test run.
        }
    }
}

/// <summary>One default synthetic log shared by a test class (generation is the slow part).</summary>
public sealed class SyntheticLogFixture : IDisposable
{
    private readonly TempDirectory _directory = new();

    public SyntheticLogFixture()
    {
        Summary = SyntheticLogGenerator.Generate(_directory.File(Options.LogName + ".db"), Options);
    }

    public static SyntheticLogOptions Options { get; } = new() { Seed = 42 };

    public SyntheticLogSummary Summary { get; }

    public string Path => Summary.Path;

    public void Dispose() => _directory.Dispose();
}

internal static class Sql
{
    public static SqliteConnection OpenReadWrite(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            ForeignKeys = false,
        }.ToString());
        connection.Open();
        return connection;
    }

    public static void Execute(string path, string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = OpenReadWrite(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        command.ExecuteNonQuery();
    }

    public static List<object?[]> Query(string path, string sql)
    {
        using var connection = OpenReadWrite(path);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }
            rows.Add(row);
        }
        return rows;
    }
}

/// <summary>
/// The devkit's own enumeration fixture, rebuilt: 50 frames, 10 scenes of 5 frames, 4-byte decimal-hex tokens,
/// tags on the first frame of scenes 5, 6 and 7 (frame 30 carries both tags).
/// </summary>
internal static class TinyLog
{
    public static byte[] Token(int i) => Convert.FromHexString(i.ToString("D8"));

    public static string Hex(int i) => i.ToString("D8");

    public static void Create(string path)
    {
        using var connection = Sql.OpenReadWrite(path);
        NuPlanDbSchema.Create(connection);
        void Exec(string sql, params object?[] values)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            for (var i = 0; i < values.Length; i++)
            {
                command.Parameters.AddWithValue($"$p{i}", values[i] ?? DBNull.Value);
            }
            command.ExecuteNonQuery();
        }
        Exec("INSERT INTO log (token, map_version) VALUES ($p0, 'us-ma-boston')", Token(700000));
        Exec("INSERT INTO lidar (token, log_token, channel) VALUES ($p0, $p1, 'MergedPointCloud')", Token(800000), Token(700000));
        for (var j = 0; j < 10; j++)
        {
            // Names inserted out of order: validity follows the name order, not insertion order.
            var scene = 9 - j;
            Exec("INSERT INTO scene (token, log_token, name, goal_ego_pose_token, roadblock_ids) VALUES ($p0, $p1, $p2, $p3, $p4)",
                Token(600000 + scene), Token(700000), $"scene-{scene:D3}", Token(500000 + scene * 5 + 4), $"{scene} {scene + 1} {scene + 2}");
        }
        for (var i = 0; i < 50; i++)
        {
            Exec("INSERT INTO ego_pose (token, timestamp, x, y, qw, qx, qy, qz, vx, vy, acceleration_x, acceleration_y, log_token) " +
                 "VALUES ($p0, $p1, $p2, 0, 1, 0, 0, 0, 1, 0, 0, 0, $p3)",
                Token(500000 + i), i * 1_000_000L + 333, (double)i, Token(700000));
            Exec("INSERT INTO lidar_pc (token, ego_pose_token, lidar_token, scene_token, timestamp) VALUES ($p0, $p1, $p2, $p3, $p4)",
                Token(i), Token(500000 + i), Token(800000), Token(600000 + i / 5), i * 1_000_000L);
        }
        Exec("INSERT INTO scenario_tag (token, lidar_pc_token, type) VALUES ($p0, $p1, 'first_tag')", Token(400000), Token(25));
        Exec("INSERT INTO scenario_tag (token, lidar_pc_token, type) VALUES ($p0, $p1, 'first_tag')", Token(400001), Token(30));
        Exec("INSERT INTO scenario_tag (token, lidar_pc_token, type) VALUES ($p0, $p1, 'second_tag')", Token(400002), Token(30));
        Exec("INSERT INTO scenario_tag (token, lidar_pc_token, type) VALUES ($p0, $p1, 'second_tag')", Token(400003), Token(35));
    }
}
