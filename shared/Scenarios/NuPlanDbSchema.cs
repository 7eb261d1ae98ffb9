using Microsoft.Data.Sqlite;

namespace NuPlanBus.Scenarios;

/// <summary>
/// The nuPlan log database schema (docs/nuplan-simulation.md §1.2) with the devkit's column names and SQL types, plus the
/// timestamp/foreign-key indexes we recommend for fast range scans (§1.5; not part of the devkit's files).
/// </summary>
public static class NuPlanDbSchema
{
    /// <summary>The lidar channel every sampling query looks the sensor up by.</summary>
    public const string MergedPointCloudChannel = "MergedPointCloud";

    public static readonly IReadOnlyList<string> CreateTableStatements =
    [
        """
        CREATE TABLE log (
            token BLOB NOT NULL, vehicle_name VARCHAR(64), date VARCHAR(64), timestamp INTEGER,
            logfile VARCHAR(64), location VARCHAR(64), map_version VARCHAR(64),
            PRIMARY KEY (token))
        """,
        """
        CREATE TABLE lidar (
            token BLOB NOT NULL, log_token BLOB NOT NULL, channel VARCHAR(64), model VARCHAR(64),
            translation BLOB, rotation BLOB,
            PRIMARY KEY (token), FOREIGN KEY (log_token) REFERENCES log (token))
        """,
        """
        CREATE TABLE ego_pose (
            token BLOB NOT NULL, timestamp INTEGER, x FLOAT, y FLOAT, z FLOAT,
            qw FLOAT, qx FLOAT, qy FLOAT, qz FLOAT, vx FLOAT, vy FLOAT, vz FLOAT,
            acceleration_x FLOAT, acceleration_y FLOAT, acceleration_z FLOAT,
            angular_rate_x FLOAT, angular_rate_y FLOAT, angular_rate_z FLOAT,
            epsg INTEGER, log_token BLOB NOT NULL,
            PRIMARY KEY (token), FOREIGN KEY (log_token) REFERENCES log (token))
        """,
        """
        CREATE TABLE scene (
            token BLOB NOT NULL, log_token BLOB NOT NULL, name TEXT, goal_ego_pose_token BLOB, roadblock_ids TEXT,
            PRIMARY KEY (token), FOREIGN KEY (log_token) REFERENCES log (token),
            FOREIGN KEY (goal_ego_pose_token) REFERENCES ego_pose (token))
        """,
        """
        CREATE TABLE lidar_pc (
            token BLOB NOT NULL, next_token BLOB, prev_token BLOB, ego_pose_token BLOB NOT NULL,
            lidar_token BLOB NOT NULL, scene_token BLOB, filename VARCHAR(128), timestamp INTEGER,
            PRIMARY KEY (token),
            FOREIGN KEY (next_token) REFERENCES lidar_pc (token), FOREIGN KEY (prev_token) REFERENCES lidar_pc (token),
            FOREIGN KEY (ego_pose_token) REFERENCES ego_pose (token), FOREIGN KEY (lidar_token) REFERENCES lidar (token),
            FOREIGN KEY (scene_token) REFERENCES scene (token))
        """,
        """
        CREATE TABLE category (
            token BLOB NOT NULL, name VARCHAR(64), description TEXT,
            PRIMARY KEY (token))
        """,
        """
        CREATE TABLE track (
            token BLOB NOT NULL, category_token BLOB NOT NULL, width FLOAT, length FLOAT, height FLOAT,
            PRIMARY KEY (token), FOREIGN KEY (category_token) REFERENCES category (token))
        """,
        """
        CREATE TABLE lidar_box (
            token BLOB NOT NULL, lidar_pc_token BLOB NOT NULL, track_token BLOB NOT NULL,
            next_token BLOB, prev_token BLOB, x FLOAT, y FLOAT, z FLOAT, width FLOAT, length FLOAT, height FLOAT,
            vx FLOAT, vy FLOAT, vz FLOAT, yaw FLOAT, confidence FLOAT,
            PRIMARY KEY (token),
            FOREIGN KEY (lidar_pc_token) REFERENCES lidar_pc (token), FOREIGN KEY (track_token) REFERENCES track (token),
            FOREIGN KEY (next_token) REFERENCES lidar_box (token), FOREIGN KEY (prev_token) REFERENCES lidar_box (token))
        """,
        """
        CREATE TABLE scenario_tag (
            token BLOB NOT NULL, lidar_pc_token BLOB NOT NULL, type TEXT, agent_track_token BLOB,
            PRIMARY KEY (token),
            FOREIGN KEY (lidar_pc_token) REFERENCES lidar_pc (token), FOREIGN KEY (agent_track_token) REFERENCES track (token))
        """,
        """
        CREATE TABLE traffic_light_status (
            token BLOB NOT NULL, lidar_pc_token BLOB NOT NULL, lane_connector_id INTEGER, status VARCHAR(8),
            PRIMARY KEY (token), FOREIGN KEY (lidar_pc_token) REFERENCES lidar_pc (token))
        """,
        """
        CREATE TABLE camera (
            token BLOB NOT NULL, log_token BLOB NOT NULL, channel VARCHAR(64), model VARCHAR(64),
            translation BLOB, rotation BLOB, intrinsic BLOB, distortion BLOB, width INTEGER, height INTEGER,
            PRIMARY KEY (token), FOREIGN KEY (log_token) REFERENCES log (token))
        """,
        """
        CREATE TABLE image (
            token BLOB NOT NULL, next_token BLOB, prev_token BLOB, ego_pose_token BLOB NOT NULL,
            camera_token BLOB NOT NULL, filename_jpg VARCHAR(128), timestamp INTEGER,
            PRIMARY KEY (token),
            FOREIGN KEY (next_token) REFERENCES image (token), FOREIGN KEY (prev_token) REFERENCES image (token),
            FOREIGN KEY (ego_pose_token) REFERENCES ego_pose (token), FOREIGN KEY (camera_token) REFERENCES camera (token))
        """,
    ];

    /// <summary>Our recommended indexes (docs/nuplan-simulation.md §1.5): every scenario load is a timestamp range scan plus joins on these keys.</summary>
    public static readonly IReadOnlyList<string> CreateIndexStatements =
    [
        "CREATE INDEX idx_lidar_pc_timestamp ON lidar_pc (timestamp)",
        "CREATE INDEX idx_lidar_pc_scene_token ON lidar_pc (scene_token)",
        "CREATE INDEX idx_lidar_box_lidar_pc_token ON lidar_box (lidar_pc_token)",
        "CREATE INDEX idx_lidar_box_track_token ON lidar_box (track_token)",
        "CREATE INDEX idx_scenario_tag_lidar_pc_token ON scenario_tag (lidar_pc_token)",
        "CREATE INDEX idx_traffic_light_status_lidar_pc_token ON traffic_light_status (lidar_pc_token)",
    ];

    /// <summary>
    /// The tables and columns the reader queries. A file lacking any of them is "not the nuPlan schema";
    /// camera and image are optional because only camera-filtered enumeration reads them.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> RequiredColumns = new Dictionary<string, string[]>
    {
        ["log"] = ["token", "map_version"],
        ["lidar"] = ["token", "log_token", "channel"],
        ["lidar_pc"] = ["token", "ego_pose_token", "lidar_token", "scene_token", "timestamp"],
        ["ego_pose"] = ["token", "x", "y", "qw", "qx", "qy", "qz", "vx", "vy", "acceleration_x", "acceleration_y"],
        ["scene"] = ["token", "name", "goal_ego_pose_token", "roadblock_ids"],
        ["track"] = ["token", "category_token"],
        ["lidar_box"] = ["token", "lidar_pc_token", "track_token", "x", "y", "yaw", "width", "length", "height", "vx", "vy"],
        ["category"] = ["token", "name"],
        ["scenario_tag"] = ["lidar_pc_token", "type"],
        ["traffic_light_status"] = ["lidar_pc_token", "lane_connector_id", "status"],
    };

    /// <summary>The seven categories the devkit understands, in the order of its synthetic generator.</summary>
    public static readonly IReadOnlyList<string> CategoryNames =
        ["vehicle", "bicycle", "pedestrian", "traffic_cone", "barrier", "czone_sign", "generic_object"];

    /// <summary>Creates every table (and optionally the indexes) on an open, empty database.</summary>
    public static void Create(SqliteConnection connection, bool withIndexes = true)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        foreach (var statement in CreateTableStatements)
        {
            command.CommandText = statement;
            command.ExecuteNonQuery();
        }
        if (withIndexes)
        {
            CreateIndexes(connection);
        }
    }

    public static void CreateIndexes(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        foreach (var statement in CreateIndexStatements)
        {
            command.CommandText = statement;
            command.ExecuteNonQuery();
        }
    }
}
