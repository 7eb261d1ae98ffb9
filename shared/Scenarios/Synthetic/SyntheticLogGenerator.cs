using Microsoft.Data.Sqlite;
using NuPlanBus.Domain.Errors;
using NuPlanBus.Domain.Geometry;
using NuPlanBus.Domain.States;
using NuPlanBus.Maps.Synthetic;

namespace NuPlanBus.Scenarios.Synthetic;

/// <summary>
/// Writes a deterministic synthetic nuPlan log: a 20 Hz drive through scripted situations (see
/// <see cref="DrivePlan"/>) on a straight road, with the ego state, tracked objects, scenario tags at the
/// situations' anchor frames, traffic lights and the nuPlan schema (docs/nuplan-simulation.md §1.5). The ego's vehicle-frame
/// velocity and acceleration are the analytic derivatives of its rear-axle path, so they agree with finite
/// differences; box velocities are the global derivatives of box centres.
/// </summary>
public static class SyntheticLogGenerator
{
    private const double RowIntervalS = 0.05;
    private const long RowIntervalUs = 50_000;

    /// <summary>How far before a scene its route starts (seconds of the expert's drive).</summary>
    private const double RouteLeadS = 5;

    /// <summary>Objects further than this along the road from the ego are not detected.</summary>
    private const double DetectionRangeM = 100;

    /// <summary>Writes the log to <paramref name="path"/> (replacing any file there).</summary>
    public static SyntheticLogSummary Generate(string path, SyntheticLogOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new SyntheticLogOptions();
        Validate(options);

        var random = new Random(options.Seed);
        var tokens = new TokenSource(options.Seed);
        var layout = Plan(options, random);
        var world = new World(random, options.CorridorIndex);
        var corridor = options.CorridorIndex is { } index
            ? new SyntheticCorridor(index, world.OriginX, world.OriginY, world.RoadHeading, -150,
                layout.Plan.EgoS(layout.FrameCount * RowIntervalS) + 250, layout.Plan.Crosswalks)
            : null;

        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        File.Delete(fullPath);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            // Rows reference rows written later (next_token, scene goals); nuPlan files do not enforce keys either.
            ForeignKeys = false,
        };
        using var connection = new SqliteConnection(builder.ToString());
        connection.Open();
        Execute(connection, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;");
        NuPlanDbSchema.Create(connection, withIndexes: false);

        int boxCount;
        List<SyntheticScenarioTag> tags;
        using (var transaction = connection.BeginTransaction())
        {
            var writer = new LogWriter(connection, transaction, tokens, options, layout, world, corridor);
            writer.WriteAll();
            boxCount = writer.BoxCount;
            tags = writer.Tags;
            transaction.Commit();
        }
        // Building indexes once after the bulk insert is much cheaper than maintaining them per row.
        NuPlanDbSchema.CreateIndexes(connection);

        return new SyntheticLogSummary(
            fullPath, options.LogName, layout.FrameCount, layout.SceneCount, layout.FramesPerScene,
            layout.StartUs, tags, boxCount, corridor);
    }

    private static void Validate(SyntheticLogOptions options)
    {
        var rows = options.SceneDurationS / RowIntervalS;
        if (!(options.SceneDurationS >= 1) || Math.Abs(rows - Math.Round(rows)) > 1e-6)
        {
            throw new ConfigurationException($"Scene duration must be ≥ 1 s and a whole number of 0.05 s rows, got {options.SceneDurationS}.");
        }
        if (options.SituationCount < 0 || options.MinimumSceneCount < 5)
        {
            throw new ConfigurationException("A synthetic log needs SituationCount ≥ 0 and MinimumSceneCount ≥ 5.");
        }
        if (options.ParkedVehicleSpacingM < 0 || (options.ParkedVehicleSpacingM > 0 && options.ParkedVehicleSpacingM < 5.5))
        {
            throw new ConfigurationException("Parked vehicle spacing must be 0 (none) or ≥ 5.5 m.");
        }
        if (string.IsNullOrWhiteSpace(options.LogName) || string.IsNullOrWhiteSpace(options.MapName))
        {
            throw new ConfigurationException("A synthetic log needs a log name and a map name.");
        }
    }

    internal sealed record Layout(DrivePlan Plan, int FrameCount, int SceneCount, int FramesPerScene, long StartUs);

    /// <summary>
    /// Lead-in of two scenes plus 6 s (so anchors leave the first two scenes and keep 5.2 s of history), the
    /// situations, then a tail of at least two scenes plus 1 s and 21 s (anchors leave the last two scenes and
    /// keep 20 s of future), rounded up to whole scenes.
    /// </summary>
    private static Layout Plan(SyntheticLogOptions options, Random random)
    {
        var plan = new DrivePlan(random);
        var scene = options.SceneDurationS;
        var leadIn = 2 * scene + 6;
        plan.Cruising(0, leadIn);

        var kinds = Enum.GetValues<SituationKind>();
        var order = kinds.ToArray();
        random.Shuffle(order);
        var t = leadIn;
        for (var i = 0; i < options.SituationCount; i++)
        {
            var kind = i < order.Length ? order[i] : kinds[random.Next(kinds.Length)];
            t += plan.Add(kind, t);
        }

        var minTail = Math.Max(2 * scene + 1, 21);
        var framesPerScene = (int)Math.Round(scene / RowIntervalS);
        var sceneCount = Math.Max(options.MinimumSceneCount, (int)Math.Ceiling((t + minTail) / scene));
        var frameCount = sceneCount * framesPerScene;
        var end = frameCount * RowIntervalS;
        plan.Cruising(t, end - t);

        if (options.IncludeOncomingTraffic)
        {
            plan.AddOncomingTraffic();
        }
        plan.AddRoadsideObjects(end);
        if (options.ParkedVehicleSpacingM > 0)
        {
            plan.AddParkedVehicles(options.ParkedVehicleSpacingM, end);
        }
        var startUs = options.StartTime.ToUnixTimeMilliseconds() * 1000;
        return new Layout(plan, frameCount, sceneCount, framesPerScene, startUs);
    }

    /// <summary>
    /// Where the straight road lies: a seeded UTM-like origin and direction; the road of a map corridor starts at a
    /// fixed origin per corridor (the same draws are made, so the drive itself does not change).
    /// </summary>
    internal sealed class World
    {
        public World(Random random, int? corridor = null)
        {
            OriginX = 664_000 + random.NextDouble() * 2_000;
            OriginY = 3_997_000 + random.NextDouble() * 2_000;
            if (corridor is { } k)
            {
                (OriginX, OriginY) = (600_000 + 20_000 * k, 4_000_000);
            }
            RoadHeading = Angles.PrincipalValue(random.NextDouble() * Angles.TwoPi);
            (Sin, Cos) = Math.SinCos(RoadHeading);
            RoadblockBase = 10_000 + random.Next(50_000);
            LaneConnectorBase = 100_000 + random.Next(50_000);
        }

        public double OriginX { get; }
        public double OriginY { get; }
        public double RoadHeading { get; }
        public double Sin { get; }
        public double Cos { get; }
        public int RoadblockBase { get; }
        public int LaneConnectorBase { get; }

        public (double X, double Y) ToGlobal(double s, double d) =>
            (OriginX + s * Cos - d * Sin, OriginY + s * Sin + d * Cos);

        public (double X, double Y) VelocityToGlobal(double ds, double dd) => (ds * Cos - dd * Sin, ds * Sin + dd * Cos);
    }

    /// <summary>Seeded unique 8-byte tokens (so they round-trip through the 16-hex validation).</summary>
    private sealed class TokenSource(int seed)
    {
        private readonly Random _random = new(unchecked(seed * 7919 + 17));
        private readonly HashSet<long> _used = [];
        private readonly byte[] _buffer = new byte[8];

        public byte[] Next()
        {
            while (true)
            {
                _random.NextBytes(_buffer);
                if (_used.Add(BitConverter.ToInt64(_buffer)))
                {
                    return (byte[])_buffer.Clone();
                }
            }
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Inserts every row with prepared, re-bound commands inside one transaction.</summary>
    private sealed class LogWriter(
        SqliteConnection connection, SqliteTransaction transaction, TokenSource tokens, SyntheticLogOptions options, Layout layout, World world,
        SyntheticCorridor? corridor)
    {
        private readonly DrivePlan _plan = layout.Plan;
        private readonly int _n = layout.FrameCount;
        private byte[][] _frameTokens = [];
        private byte[][] _poseTokens = [];
        private double[] _egoS = [];

        public int BoxCount { get; private set; }

        public List<SyntheticScenarioTag> Tags { get; } = [];

        public void WriteAll()
        {
            _frameTokens = new byte[_n][];
            _poseTokens = new byte[_n][];
            for (var i = 0; i < _n; i++)
            {
                _frameTokens[i] = tokens.Next();
                _poseTokens[i] = tokens.Next();
            }
            var logToken = tokens.Next();
            var lidarToken = tokens.Next();
            WriteLog(logToken, lidarToken);
            var categories = WriteCategories();
            var scenes = WriteScenes(logToken);
            WriteFrames(logToken, lidarToken, scenes);
            WriteObjects(categories);
            WriteTags();
            if (options.IncludeTrafficLights)
            {
                WriteTrafficLights();
            }
        }

        private SqliteCommand Command(string sql, int parameterCount)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            for (var i = 0; i < parameterCount; i++)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = $"$p{i}" });
            }
            return command;
        }

        private static string Insert(string table, params string[] columns) =>
            $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => $"$p{i}"))})";

        private static void Run(SqliteCommand command, params object?[] values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                command.Parameters[i].Value = values[i] ?? DBNull.Value;
            }
            command.ExecuteNonQuery();
        }

        private void WriteLog(byte[] logToken, byte[] lidarToken)
        {
            using (var log = Command(Insert("log", "token", "vehicle_name", "date", "timestamp", "logfile", "location", "map_version"), 7))
            {
                Run(log, logToken, options.VehicleName, options.StartTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    layout.StartUs, options.LogName, Location(options.MapName), options.MapName);
            }
            using var lidar = Command(Insert("lidar", "token", "log_token", "channel", "model", "translation", "rotation"), 6);
            Run(lidar, lidarToken, logToken, NuPlanDbSchema.MergedPointCloudChannel, "synthetic-merged",
                PythonPickle.FloatList(1.5, 0.0, 1.8), PythonPickle.FloatList(1.0, 0.0, 0.0, 0.0));
        }

        private Dictionary<TrackedObjectType, byte[]> WriteCategories()
        {
            var categories = new Dictionary<TrackedObjectType, byte[]>();
            using var command = Command(Insert("category", "token", "name", "description"), 3);
            foreach (var name in NuPlanDbSchema.CategoryNames)
            {
                var token = tokens.Next();
                categories[TrackedObjectTypes.FromCategoryName(name)] = token;
                Run(command, token, name, $"synthetic {name}");
            }
            return categories;
        }

        private byte[][] WriteScenes(byte[] logToken)
        {
            var perScene = layout.FramesPerScene;
            var scenes = new byte[layout.SceneCount][];
            using var command = Command(Insert("scene", "token", "log_token", "name", "goal_ego_pose_token", "roadblock_ids"), 5);
            for (var j = 0; j < layout.SceneCount; j++)
            {
                scenes[j] = tokens.Next();
                // The goal is a future pose beyond the scene: the last frame of the next scene.
                var goalFrame = Math.Min(_n - 1, (j + 2) * perScene - 1);
                var b = world.RoadblockBase + j;
                // On a map, the route is the roadblocks (and their connectors) the expert drives to the scene's goal, as
                // in real nuPlan databases, from where it was 5 s before the scene: a scenario may start before its
                // anchor frame (the extraction offset), and its ego must start on the route.
                var routeStartS = _plan.EgoS(Math.Max(0, j * perScene * RowIntervalS - RouteLeadS));
                var route = corridor is null
                    ? $"{b} {b + 1} {b + 2}"
                    : string.Join(' ', corridor.RouteIds(routeStartS, _plan.EgoS(goalFrame * RowIntervalS)));
                Run(command, scenes[j], logToken, $"scene-{j:D4}", _poseTokens[goalFrame], route);
            }
            return scenes;
        }

        private void WriteFrames(byte[] logToken, byte[] lidarToken, byte[][] scenes)
        {
            using var pc = Command(
                Insert("lidar_pc", "token", "next_token", "prev_token", "ego_pose_token", "lidar_token", "scene_token", "filename", "timestamp"), 8);
            using var pose = Command(
                Insert("ego_pose", "token", "timestamp", "x", "y", "z", "qw", "qx", "qy", "qz", "vx", "vy", "vz",
                    "acceleration_x", "acceleration_y", "acceleration_z", "angular_rate_x", "angular_rate_y", "angular_rate_z",
                    "epsg", "log_token"), 20);
            var epsg = Epsg(options.MapName);
            var egoSpeed = _plan.EgoSpeed;
            var egoLateral = _plan.EgoLateral;
            _egoS = new double[_n];
            var heading = world.RoadHeading;
            for (var i = 0; i < _n; i++)
            {
                var t = i * RowIntervalS;
                var timestamp = layout.StartUs + i * RowIntervalUs;
                var s = egoSpeed.Integral(t);
                _egoS[i] = s;
                var ds = egoSpeed.Value(t);
                var dds = egoSpeed.Rate(t);
                var d = egoLateral.Value(t);
                var dd = egoLateral.Rate(t);
                var ddd = egoLateral.SecondRate(t);
                var speed = Math.Sqrt(ds * ds + dd * dd);
                // The rear axle moves along its heading (no side slip): vehicle-frame velocity is (speed, 0) and the
                // acceleration is the road-frame acceleration rotated into the path direction.
                var pathAngle = speed > 1e-6 ? Math.Atan2(dd, ds) : 0.0;
                heading = Angles.PrincipalValue(world.RoadHeading + pathAngle);
                var (sinP, cosP) = Math.SinCos(pathAngle);
                var ax = dds * cosP + ddd * sinP;
                var ay = -dds * sinP + ddd * cosP;
                var yawRate = speed > 1e-6 ? (ds * ddd - dd * dds) / (speed * speed) : 0.0;
                var (x, y) = world.ToGlobal(s, d);
                var (sinH, cosH) = Math.SinCos(heading / 2);

                Run(pose, _poseTokens[i], timestamp - 137, x, y, 0.0, cosH, 0.0, 0.0, sinH, speed, 0.0, 0.0,
                    ax, ay, 0.0, 0.0, 0.0, yawRate, epsg, logToken);
                Run(pc, _frameTokens[i], i + 1 < _n ? _frameTokens[i + 1] : null, i > 0 ? _frameTokens[i - 1] : null,
                    _poseTokens[i], lidarToken, scenes[i / layout.FramesPerScene],
                    $"{options.LogName}/MergedPointCloud/{NuPlanToken.ToHex(_frameTokens[i])}.pcd", timestamp);
            }
        }

        /// <summary>A continuous stretch of detections of one actor: one track.</summary>
        private sealed record Detections(Actor Actor, int From, byte[] TrackToken, byte[][] BoxTokens);

        private void WriteObjects(Dictionary<TrackedObjectType, byte[]> categories)
        {
            using var track = Command(Insert("track", "token", "category_token", "width", "length", "height"), 5);
            var byFrame = new List<Detections>?[_n];
            foreach (var actor in _plan.Actors)
            {
                var first = Math.Max(0, (int)Math.Ceiling(actor.Start / RowIntervalS - 1e-9));
                var last = Math.Min(_n - 1, (int)Math.Ceiling(actor.End / RowIntervalS - 1e-9) - 1);
                var runStart = -1;
                for (var i = first; i <= last + 1; i++)
                {
                    var seen = i <= last && Math.Abs(actor.S(i * RowIntervalS) - _egoS[i]) <= DetectionRangeM;
                    if (seen && runStart < 0)
                    {
                        runStart = i;
                    }
                    else if (!seen && runStart >= 0)
                    {
                        // A new track per continuous stretch, as a tracker re-acquiring an object would.
                        var run = new Detections(actor, runStart, tokens.Next(), new byte[i - runStart][]);
                        for (var k = 0; k < run.BoxTokens.Length; k++)
                        {
                            run.BoxTokens[k] = tokens.Next();
                        }
                        Run(track, run.TrackToken, categories[actor.Type], actor.Width, actor.Length, actor.Height);
                        for (var f = runStart; f < i; f++)
                        {
                            (byFrame[f] ??= []).Add(run);
                        }
                        runStart = -1;
                    }
                }
            }

            // Frame-major insertion keeps each frame's boxes on neighbouring pages, as in recorded logs, so a
            // scenario load reads a few pages per frame instead of one per box.
            using var box = Command(
                Insert("lidar_box", "token", "lidar_pc_token", "track_token", "next_token", "prev_token", "x", "y", "z",
                    "width", "length", "height", "vx", "vy", "vz", "yaw", "confidence"), 16);
            for (var i = 0; i < _n; i++)
            {
                if (byFrame[i] is not { } runs)
                {
                    continue;
                }
                foreach (var run in runs)
                {
                    WriteBox(run, i, box);
                }
            }
        }

        private void WriteBox(Detections run, int frame, SqliteCommand box)
        {
            var actor = run.Actor;
            var k = frame - run.From;
            var count = run.BoxTokens.Length;
            var t = frame * RowIntervalS;
            var s = actor.S(t);
            var d = actor.Lateral.Value(t);
            var ds = actor.Speed.Value(t);
            var dd = actor.Lateral.Rate(t);
            var moving = Math.Sqrt(ds * ds + dd * dd) > 0.05;
            var yaw = Angles.PrincipalValue(world.RoadHeading + (moving ? Math.Atan2(dd, ds) : actor.RestHeading));
            var (x, y) = world.ToGlobal(s, d);
            var (vx, vy) = actor.Type.IsAgent() ? world.VelocityToGlobal(ds, dd) : (0.0, 0.0);
            Run(box, run.BoxTokens[k], _frameTokens[frame], run.TrackToken, k + 1 < count ? run.BoxTokens[k + 1] : null,
                k > 0 ? run.BoxTokens[k - 1] : null, x, y, actor.Height / 2, actor.Width, actor.Length, actor.Height,
                vx, vy, 0.0, yaw, 0.9);
            BoxCount++;
        }

        private void WriteTags()
        {
            using var command = Command(Insert("scenario_tag", "token", "lidar_pc_token", "type", "agent_track_token"), 4);
            foreach (var (time, types) in _plan.Tags)
            {
                var frame = (int)Math.Round(time / RowIntervalS);
                foreach (var type in types)
                {
                    Run(command, tokens.Next(), _frameTokens[frame], type, null);
                    Tags.Add(new SyntheticScenarioTag(
                        NuPlanToken.ToHex(_frameTokens[frame]), type, layout.StartUs + frame * RowIntervalUs, frame));
                }
            }
        }

        /// <summary>Two lane connectors on a fixed 30 s cycle, out of phase; no map uses them, the query path does.</summary>
        private void WriteTrafficLights()
        {
            using var command = Command(Insert("traffic_light_status", "token", "lidar_pc_token", "lane_connector_id", "status"), 4);
            for (var i = 0; i < _n; i++)
            {
                var t = i * RowIntervalS;
                Run(command, tokens.Next(), _frameTokens[i], world.LaneConnectorBase, Phase(t));
                Run(command, tokens.Next(), _frameTokens[i], world.LaneConnectorBase + 1, Phase(t + 15));
            }

            static string Phase(double t)
            {
                var p = t % 30;
                return p < 20 ? "green" : p < 23 ? "yellow" : "red";
            }
        }

        private static string Location(string mapName) => mapName switch
        {
            "us-nv-las-vegas-strip" => "las_vegas",
            "us-ma-boston" => "boston",
            "us-pa-pittsburgh-hazelwood" => "pittsburgh",
            "sg-one-north" => "singapore",
            SampleDataset.MapName => "synthetic_town",
            _ => mapName,
        };

        private static int Epsg(string mapName) => mapName switch
        {
            "us-nv-las-vegas-strip" => 32611,
            "us-ma-boston" => 32619,
            "us-pa-pittsburgh-hazelwood" => 32617,
            "sg-one-north" => 32648,
            SampleDataset.MapName => SampleDataset.MapEpsg,
            _ => 0,
        };
    }
}
