using System.Text;
using Microsoft.Data.Sqlite;
using NuPlanBus.Domain.Errors;
using NuPlanBus.Domain.Geometry;
using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.States;

namespace NuPlanBus.Scenarios;

/// <summary>
/// A nuPlan log database (one SQLite file per log) opened read-only. Validates the file up front so a wrong
/// path or a foreign file fails with a <see cref="ScenarioDataException"/> naming the problem, enumerates
/// scenarios with the devkit's query, and loads a scenario's window, history and future margins in four
/// range queries. Not thread-safe: open one instance per worker.
/// </summary>
public sealed class NuPlanLogDatabase : IDisposable
{
    /// <summary>Raw rows loaded before iteration 0: the history buffer's 2.2 s request reaches row 44 (docs/nuplan-simulation.md §2.6, §3.3).</summary>
    public const int PastRowMargin = 44;

    /// <summary>Raw rows loaded after the last iteration: an 8 s future request reaches row 160 (docs/nuplan-simulation.md §2.6).</summary>
    public const int FutureRowMargin = 160;

    private static readonly byte[] SqliteHeader = "SQLite format 3\0"u8.ToArray();

    private readonly SqliteConnection _connection;
    private readonly byte[] _sensorToken;
    private readonly Dictionary<long, string> _trackTokenCache = [];
    private SqliteCommand? _anchorCommand;
    private SqliteCommand? _framesCommand;
    private SqliteCommand? _objectsCommand;
    private SqliteCommand? _lightsCommand;

    private NuPlanLogDatabase(string path, SqliteConnection connection, byte[] sensorToken)
    {
        Path = path;
        LogName = System.IO.Path.GetFileNameWithoutExtension(path);
        _connection = connection;
        _sensorToken = sensorToken;
    }

    public string Path { get; }

    /// <summary>The file stem; the devkit derives the log name from the file name, not the contents.</summary>
    public string LogName { get; }

    /// <summary>Opens and validates a log database; throws <see cref="ScenarioDataException"/> with the specific reason.</summary>
    public static NuPlanLogDatabase Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = System.IO.Path.GetFullPath(path);
        CheckFile(fullPath);

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadOnly,
            // Pooled connections keep the file open after Dispose; callers delete and regenerate logs.
            Pooling = false,
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            using (var pragma = connection.CreateCommand())
            {
                // Memory-mapped reads and a larger page cache: scenario loads are range scans over the same pages.
                pragma.CommandText = "PRAGMA mmap_size = 268435456; PRAGMA cache_size = -65536;";
                pragma.ExecuteNonQuery();
            }
            CheckSchema(fullPath, connection);
            var sensor = FindSensor(fullPath, connection);
            return new NuPlanLogDatabase(fullPath, connection, sensor);
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new ScenarioDataException(fullPath, $"not a readable SQLite database ({e.Message})", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _anchorCommand?.Dispose();
        _framesCommand?.Dispose();
        _objectsCommand?.Dispose();
        _lightsCommand?.Dispose();
        _connection.Dispose();
    }

    /// <summary>
    /// Every scenario of the log that passes the SQL filters (docs/nuplan-simulation.md §1.4.1): frames of valid scenes
    /// (3 ≤ scene row &lt; n − 1 ordered by name), one per frame with the greatest matching tag, by timestamp.
    /// </summary>
    public IReadOnlyList<ScenarioReference> EnumerateScenarios(ScenarioQuery? query = null)
    {
        query ??= new ScenarioQuery();
        using var command = _connection.CreateCommand();
        var sql = new StringBuilder(
            """
            WITH ordered_scenes AS (
                SELECT token, ROW_NUMBER() OVER (ORDER BY name ASC) AS row_num, COUNT(*) OVER () AS num_scenes
                FROM scene),
            valid_scenes AS (
                SELECT token FROM ordered_scenes WHERE row_num >= 3 AND row_num < num_scenes - 1)
            SELECT lp.token, lp.timestamp, l.map_version AS map_name, MAX(st.type) AS scenario_type
            FROM lidar_pc AS lp
            LEFT OUTER JOIN scenario_tag AS st ON st.lidar_pc_token = lp.token
            INNER JOIN lidar AS ld ON ld.token = lp.lidar_token
            INNER JOIN log AS l ON l.token = ld.log_token

            """);
        if (query.RemoveInvalidGoals)
        {
            sql.AppendLine("INNER JOIN scene AS s2 ON s2.token = lp.scene_token");
            sql.AppendLine("INNER JOIN ego_pose AS g ON g.token = s2.goal_ego_pose_token");
        }
        if (query.IncludeCameras)
        {
            if (!TableExists("image"))
            {
                throw new ScenarioDataException(Path, "camera filtering needs the 'image' table, which this log lacks");
            }
            sql.AppendLine("INNER JOIN image AS img ON img.ego_pose_token = lp.ego_pose_token");
        }
        sql.AppendLine("WHERE lp.scene_token IN (SELECT token FROM valid_scenes)");
        AppendIn(sql, command, "st.type", "type", query.ScenarioTypes, value => value);
        AppendIn(sql, command, "lp.token", "token", query.ScenarioTokens, value =>
        {
            if (!NuPlanToken.IsValid(value))
            {
                throw new ConfigurationException($"Scenario token '{value}' is not 16 hex characters.");
            }
            return NuPlanToken.FromHex(value);
        });
        AppendIn(sql, command, "l.map_version", "map", query.MapNames, value => value);
        sql.AppendLine("GROUP BY lp.token, lp.timestamp, l.map_version");
        sql.AppendLine("ORDER BY lp.timestamp ASC");
        command.CommandText = sql.ToString();

        var scenarios = new List<ScenarioReference>();
        try
        {
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                scenarios.Add(new ScenarioReference(
                    Path,
                    LogName,
                    ReadHex(reader, 0),
                    reader.GetInt64(1),
                    reader.IsDBNull(2) ? string.Empty : reader.GetString(2),
                    reader.IsDBNull(3) ? ScenarioTypes.Unknown : reader.GetString(3)));
            }
        }
        catch (SqliteException e)
        {
            throw new ScenarioDataException(Path, $"scenario enumeration failed ({e.Message})", e);
        }
        return scenarios;
    }

    /// <summary>
    /// Loads a scenario (docs/nuplan-simulation.md §2.1–§2.2, §1.3). <paramref name="extraction"/> defaults to the scenario
    /// mapping of its type. All raw 20 Hz rows from <see cref="PastRowMargin"/> before iteration 0 to
    /// <see cref="FutureRowMargin"/> after the last iteration are loaded (clamped to the log) with ego states;
    /// objects for the iteration frames and every row before iteration 0; traffic lights for iteration frames.
    /// </summary>
    public RecordedScenario LoadScenario(ScenarioReference reference, ScenarioExtraction? extraction = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return LoadScenarios([reference], extraction)[0].GetOrThrow();
    }

    /// <summary>
    /// Loads several scenarios of this log, each exactly as <see cref="LoadScenario"/> would, from one pass over the
    /// rows they share: windows that overlap or lie within each other's margins form a stretch whose frames, objects
    /// and traffic lights are read once and sliced per scenario. A scenario that cannot be loaded — a token of another
    /// log, a malformed or unknown token, rows the reader rejects — carries its error in its
    /// <see cref="ScenarioLoad"/> and leaves the others intact. Results are in the order of <paramref name="references"/>.
    /// </summary>
    public IReadOnlyList<ScenarioLoad> LoadScenarios(IReadOnlyList<ScenarioReference> references, ScenarioExtraction? extraction = null)
    {
        ArgumentNullException.ThrowIfNull(references);
        var loads = new ScenarioLoad[references.Count];
        var pending = new List<PendingScenario>(references.Count);
        for (var i = 0; i < references.Count; i++)
        {
            try
            {
                pending.Add(Locate(i, references[i], extraction));
            }
            catch (Exception e) when (IsScenarioError(e))
            {
                loads[i] = ScenarioLoad.Failed(AsScenarioError(e, references[i]));
            }
        }
        pending.Sort(static (a, b) => a.StartUs != b.StartUs ? a.StartUs.CompareTo(b.StartUs) : a.Index.CompareTo(b.Index));

        var first = 0;
        while (first < pending.Count)
        {
            var stretchEnd = pending[first].EndUs;
            var next = first + 1;
            while (next < pending.Count
                   && pending[next].StartUs <= stretchEnd + StretchGapUs
                   && Math.Max(stretchEnd, pending[next].EndUs) - pending[first].StartUs <= StretchSpanUs)
            {
                stretchEnd = Math.Max(stretchEnd, pending[next].EndUs);
                next++;
            }
            LoadStretch(pending, first, next, stretchEnd, loads);
            first = next;
        }
        return loads;
    }

    /// <summary>Windows closer than this share rows through their margins (2.2 s before, 8 s after), so they are read together.</summary>
    private const long StretchGapUs = 10_000_000;

    /// <summary>The longest stretch read at once, which bounds the rows held while a group is sliced.</summary>
    private const long StretchSpanUs = 60_000_000;

    private sealed record PendingScenario(
        int Index, ScenarioReference Reference, ScenarioExtraction Extraction, int Step, AnchorRow Anchor, long StartUs, long EndUs);

    /// <summary>Validates a reference and finds its window from its anchor row.</summary>
    private PendingScenario Locate(int index, ScenarioReference reference, ScenarioExtraction? extraction)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (!string.Equals(reference.LogName, LogName, StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"Scenario {reference.ScenarioId} belongs to log '{reference.LogName}', not '{LogName}'.", nameof(reference));
        }
        if (!NuPlanToken.IsValid(reference.Token))
        {
            throw new ConfigurationException($"Scenario token '{reference.Token}' is not 16 hex characters.");
        }
        extraction ??= ScenarioExtraction.ForScenarioType(reference.ScenarioType);
        var step = extraction.Step;
        var anchor = ReadAnchor(reference.Token);
        var (startUs, endUs) = extraction.Window(anchor.TimestampUs);
        return new PendingScenario(index, reference, extraction, step, anchor, startUs, endUs);
    }

    private static bool IsScenarioError(Exception e) =>
        e is ScenarioDataException or ConfigurationException or ArgumentException or SqliteException;

    private Exception AsScenarioError(Exception e, ScenarioReference? reference) => e is SqliteException sqlite
        ? new ScenarioDataException(Path, $"loading scenario {reference?.Token} failed ({sqlite.Message})", sqlite)
        : e;

    /// <summary>
    /// Loads pending[first..next) from one read of their stretch. Should the stretch fail, its scenarios are loaded
    /// one by one, so each error names the scenario it belongs to and the others still load.
    /// </summary>
    private void LoadStretch(List<PendingScenario> pending, int first, int next, long stretchEndUs, ScenarioLoad[] loads)
    {
        try
        {
            SliceStretch(pending, first, next, stretchEndUs, loads);
        }
        catch (Exception e) when (IsScenarioError(e))
        {
            if (next - first == 1)
            {
                loads[pending[first].Index] = ScenarioLoad.Failed(AsScenarioError(e, pending[first].Reference));
                return;
            }
            for (var i = first; i < next; i++)
            {
                LoadStretch(pending, i, i + 1, pending[i].EndUs, loads);
            }
        }
    }

    private void SliceStretch(List<PendingScenario> pending, int first, int next, long stretchEndUs, ScenarioLoad[] loads)
    {
        var frames = ReadFrames(pending[first].StartUs, stretchEndUs);
        var allTimes = frames.Times.ToArray();
        var count = allTimes.Length;

        // Each scenario's rows in stretch coordinates: iterations are the window's rows every step-th, from the first row
        // at or after its start (the window query of docs/nuplan-simulation.md §1.4.2); the margins are counted from them.
        var slices = new (int Begin, int FrameCount, int[] Iterations)?[next - first];
        var needsObjects = new bool[count];
        var needsLights = new bool[count];
        int objectsFrom = int.MaxValue, objectsTo = -1, lightsFrom = int.MaxValue, lightsTo = -1;
        for (var k = first; k < next; k++)
        {
            var p = pending[k];
            var windowFirst = LowerBound(allTimes, p.StartUs);
            var windowLast = LowerBound(allTimes, p.EndUs + 1) - 1;
            if (windowFirst > windowLast)
            {
                loads[p.Index] = ScenarioLoad.Failed(new ScenarioDataException(
                    Path, $"scenario {p.Reference.Token} has no frames in [{p.StartUs}, {p.EndUs}] µs"));
                continue;
            }
            var step = p.Step;
            var begin = Math.Max(0, windowFirst - PastRowMargin);
            var iterations = new int[(windowLast - windowFirst) / step + 1];
            for (var i = 0; i < iterations.Length; i++)
            {
                iterations[i] = windowFirst + i * step - begin;
            }
            // Rows run to FutureRowMargin after the last iteration (the margin counts from the window end, which
            // can lie up to step − 1 rows later), clamped to the log.
            var frameCount = Math.Min(count - begin, iterations[^1] + FutureRowMargin + 1);
            slices[k - first] = (begin, frameCount, iterations);

            for (var i = 0; i <= iterations[0]; i++)
            {
                needsObjects[begin + i] = true;
            }
            foreach (var f in iterations)
            {
                needsObjects[begin + f] = true;
                needsLights[begin + f] = true;
            }
            objectsFrom = Math.Min(objectsFrom, begin);
            objectsTo = Math.Max(objectsTo, begin + iterations[^1]);
            lightsFrom = Math.Min(lightsFrom, begin + iterations[0]);
            lightsTo = Math.Max(lightsTo, begin + iterations[^1]);
        }
        if (objectsTo < 0)
        {
            return;
        }

        var allObjects = new TrackedObject[]?[count];
        ReadObjects(allTimes, objectsFrom, objectsTo, needsObjects, allObjects);
        var allLights = new TrafficLightStatus[]?[count];
        ReadTrafficLights(allTimes, lightsFrom, lightsTo, needsLights, allLights);

        for (var k = first; k < next; k++)
        {
            if (slices[k - first] is not var (begin, frameCount, iterations))
            {
                continue;
            }
            var p = pending[k];
            var times = allTimes.AsSpan(begin, frameCount).ToArray();
            var egoStates = frames.States.GetRange(begin, frameCount).ToArray();
            // Only this scenario's own frames are filled, so a scenario read with others equals one read alone.
            var objects = new TrackedObject[]?[frameCount];
            for (var i = 0; i <= iterations[0]; i++)
            {
                objects[i] = allObjects[begin + i];
            }
            var lights = new TrafficLightStatus[]?[frameCount];
            foreach (var f in iterations)
            {
                objects[f] = allObjects[begin + f];
                lights[f] = allLights[begin + f];
            }
            var metadata = new ScenarioMetadata(
                p.Reference.Token,
                LogName,
                p.Reference.ScenarioType,
                p.Anchor.MapName,
                p.Extraction.DatabaseIntervalS);
            loads[p.Index] = ScenarioLoad.Loaded(new RecordedScenario(
                metadata, times, egoStates, objects, lights, iterations, p.Anchor.Goal, p.Anchor.Route));
        }
    }

    /// <summary>The first index whose time is at least <paramref name="timeUs"/> (the length when none is).</summary>
    private static int LowerBound(long[] times, long timeUs)
    {
        var index = Array.BinarySearch(times, timeUs);
        if (index < 0)
        {
            return ~index;
        }
        while (index > 0 && times[index - 1] == timeUs)
        {
            index--;
        }
        return index;
    }

    private sealed record AnchorRow(long TimestampUs, string MapName, Pose? Goal, IReadOnlyList<string> Route);

    private sealed record FrameRows(List<long> Times, List<EgoState> States);

    private AnchorRow ReadAnchor(string token)
    {
        _anchorCommand ??= Prepare(
            """
            SELECT lp.timestamp, l.map_version, s.roadblock_ids, g.token, g.x, g.y, g.qw, g.qx, g.qy, g.qz
            FROM lidar_pc AS lp
            INNER JOIN lidar AS ld ON ld.token = lp.lidar_token
            INNER JOIN log AS l ON l.token = ld.log_token
            LEFT OUTER JOIN scene AS s ON s.token = lp.scene_token
            LEFT OUTER JOIN ego_pose AS g ON g.token = s.goal_ego_pose_token
            WHERE lp.token = $token
            """,
            "$token");
        _anchorCommand.Parameters[0].Value = NuPlanToken.FromHex(token);
        using var reader = _anchorCommand.ExecuteReader();
        if (!reader.Read())
        {
            throw new ScenarioDataException(Path, $"scenario token {token} is not a lidar_pc of this log");
        }
        var timestamp = reader.GetInt64(0);
        var mapName = reader.IsDBNull(1) ? string.Empty : reader.GetString(1);
        IReadOnlyList<string> route = reader.IsDBNull(2) ? [] : SplitRoadblocks(reader.GetString(2));
        Pose? goal = reader.IsDBNull(3)
            ? null
            : new Pose(reader.GetDouble(4), reader.GetDouble(5),
                Yaw(reader.GetDouble(6), reader.GetDouble(7), reader.GetDouble(8), reader.GetDouble(9)));
        return new AnchorRow(timestamp, mapName, goal, route);
    }

    /// <summary>The devkit splits on single spaces (Python <c>str.split(' ')</c>); an empty field means no route.</summary>
    private static string[] SplitRoadblocks(string roadblockIds) =>
        roadblockIds.Length == 0 ? [] : roadblockIds.Split(' ');

    private FrameRows ReadFrames(long startUs, long endUs)
    {
        // One range scan on lidar_pc(timestamp): the scalar sub-queries find the 44th row before the window
        // and the 160th after it, so history, window and expert future arrive together.
        _framesCommand ??= Prepare(
            """
            SELECT lp.timestamp, e.x, e.y, e.qw, e.qx, e.qy, e.qz, e.vx, e.vy, e.acceleration_x, e.acceleration_y
            FROM lidar_pc AS lp
            INNER JOIN ego_pose AS e ON e.token = lp.ego_pose_token
            WHERE lp.lidar_token = $sensor
              AND lp.timestamp >= COALESCE((SELECT MIN(timestamp) FROM (
                    SELECT timestamp FROM lidar_pc WHERE lidar_token = $sensor AND timestamp < $start
                    ORDER BY timestamp DESC LIMIT $past)), $start)
              AND lp.timestamp <= COALESCE((SELECT MAX(timestamp) FROM (
                    SELECT timestamp FROM lidar_pc WHERE lidar_token = $sensor AND timestamp > $end
                    ORDER BY timestamp ASC LIMIT $future)), $end)
            ORDER BY lp.timestamp ASC
            """,
            "$sensor", "$start", "$end", "$past", "$future");
        var p = _framesCommand.Parameters;
        p[0].Value = _sensorToken;
        p[1].Value = startUs;
        p[2].Value = endUs;
        p[3].Value = PastRowMargin;
        p[4].Value = FutureRowMargin;

        var times = new List<long>(512);
        var states = new List<EgoState>(512);
        using var reader = _framesCommand.ExecuteReader();
        while (reader.Read())
        {
            var time = reader.GetInt64(0);
            var yaw = Yaw(reader.GetDouble(3), reader.GetDouble(4), reader.GetDouble(5), reader.GetDouble(6));
            times.Add(time);
            states.Add(new EgoState(
                time,
                new Pose(reader.GetDouble(1), reader.GetDouble(2), yaw),
                new Vector2(reader.GetDouble(7), reader.GetDouble(8)),
                new Vector2(reader.GetDouble(9), reader.GetDouble(10))));
        }
        return new FrameRows(times, states);
    }

    private void ReadObjects(long[] times, int firstFrame, int lastFrame, bool[] needed, TrackedObject[]?[] objects)
    {
        _objectsCommand ??= Prepare(
            """
            SELECT lp.timestamp,
                   CASE c.name WHEN 'vehicle' THEN 0 WHEN 'pedestrian' THEN 1 WHEN 'bicycle' THEN 2
                               WHEN 'traffic_cone' THEN 3 WHEN 'barrier' THEN 4 WHEN 'czone_sign' THEN 5
                               WHEN 'generic_object' THEN 6 ELSE -1 END,
                   lb.x, lb.y, lb.yaw, lb.width, lb.length, lb.height, lb.vx, lb.vy, lb.token, lb.track_token, c.name
            FROM lidar_pc AS lp
            INNER JOIN lidar_box AS lb ON lb.lidar_pc_token = lp.token
            INNER JOIN track AS t ON t.token = lb.track_token
            INNER JOIN category AS c ON c.token = t.category_token
            WHERE lp.lidar_token = $sensor AND lp.timestamp >= $from AND lp.timestamp <= $to
              AND lp.timestamp IN (SELECT value FROM json_each($frames))
            ORDER BY lp.timestamp ASC
            """,
            "$sensor", "$from", "$to", "$frames");
        // Only the frames that need objects (history rows and iterations, about half the rows) are joined to
        // lidar_box; their timestamps travel as one JSON array parameter rather than hundreds of parameters.
        var frameList = new StringBuilder("[", 20 * (lastFrame - firstFrame + 1));
        for (var i = firstFrame; i <= lastFrame; i++)
        {
            if (needed[i])
            {
                frameList.Append(frameList.Length > 1 ? "," : string.Empty).Append(times[i]);
            }
        }
        frameList.Append(']');
        var p = _objectsCommand.Parameters;
        p[0].Value = _sensorToken;
        p[1].Value = times[firstFrame];
        p[2].Value = times[lastFrame];
        p[3].Value = frameList.ToString();

        ReadPerFrame(_objectsCommand, times, firstFrame, lastFrame, needed, objects, capacity: 64, (reader, time) =>
        {
            var code = reader.GetInt32(1);
            if (code < 0)
            {
                throw new ScenarioDataException(Path, $"unknown object category '{reader.GetString(12)}'");
            }
            var type = (TrackedObjectType)code;
            var box = new OrientedBox(
                new Pose(reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4)),
                Length: reader.GetDouble(6),
                Width: reader.GetDouble(5),
                Height: reader.GetDouble(7));
            var velocity = type.IsAgent()
                ? new Vector2(ReadOrZero(reader, 8), ReadOrZero(reader, 9))
                : Vector2.Zero;
            return new TrackedObject(type, box, velocity, ReadHex(reader, 10), ReadTrackToken(reader, 11), time);
        });
    }

    private void ReadTrafficLights(long[] times, int firstFrame, int lastFrame, bool[] needed, TrafficLightStatus[]?[] lights)
    {
        _lightsCommand ??= Prepare(
            """
            SELECT lp.timestamp, tl.lane_connector_id,
                   CASE tl.status WHEN 'green' THEN 0 WHEN 'yellow' THEN 1 WHEN 'red' THEN 2 ELSE 3 END
            FROM lidar_pc AS lp
            INNER JOIN traffic_light_status AS tl ON tl.lidar_pc_token = lp.token
            WHERE lp.lidar_token = $sensor AND lp.timestamp >= $from AND lp.timestamp <= $to
            ORDER BY lp.timestamp ASC
            """,
            "$sensor", "$from", "$to");
        var p = _lightsCommand.Parameters;
        p[0].Value = _sensorToken;
        p[1].Value = times[firstFrame];
        p[2].Value = times[lastFrame];

        ReadPerFrame(_lightsCommand, times, firstFrame, lastFrame, needed, lights, capacity: 8, (reader, time) =>
            new TrafficLightStatus(reader.IsDBNull(1) ? 0 : reader.GetInt64(1), (TrafficLightState)reader.GetInt32(2), time));
    }

    /// <summary>
    /// Files the rows of a query ordered by timestamp (column 0) into the frames of <paramref name="times"/> they belong
    /// to, reading only the rows of <paramref name="needed"/> frames; a needed frame without rows gets an empty array
    /// (empty, not missing).
    /// </summary>
    private static void ReadPerFrame<T>(
        SqliteCommand command,
        long[] times,
        int firstFrame,
        int lastFrame,
        bool[] needed,
        T[]?[] output,
        int capacity,
        Func<SqliteDataReader, long, T> read)
    {
        var current = new List<T>(capacity);
        var frame = firstFrame;
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var time = reader.GetInt64(0);
                if (time != times[frame])
                {
                    Flush(frame);
                    while (frame <= lastFrame && times[frame] < time)
                    {
                        frame++;
                    }
                    if (frame > lastFrame || times[frame] != time)
                    {
                        // A row between frames cannot happen with unique timestamps; skip rather than misfile it.
                        frame = Math.Min(frame, lastFrame);
                        continue;
                    }
                }
                if (needed[frame])
                {
                    current.Add(read(reader, time));
                }
            }
        }
        Flush(frame);
        for (var i = firstFrame; i <= lastFrame; i++)
        {
            if (needed[i])
            {
                output[i] ??= [];
            }
        }

        void Flush(int f)
        {
            if (current.Count > 0)
            {
                output[f] = current.ToArray();
                current.Clear();
            }
        }
    }

    private static double ReadOrZero(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? 0.0 : reader.GetDouble(ordinal);

    // Microsoft.Data.Sqlite's GetFieldValue<byte[]> is measurably cheaper than two GetBytes calls (length, copy).
    private static string ReadHex(SqliteDataReader reader, int ordinal) =>
        NuPlanToken.ToHex(reader.GetFieldValue<byte[]>(ordinal));

    /// <summary>Track tokens repeat on every frame; caching the hex string keeps one copy per track.</summary>
    private string ReadTrackToken(SqliteDataReader reader, int ordinal)
    {
        var token = reader.GetFieldValue<byte[]>(ordinal);
        if (!NuPlanToken.TryGetKey(token, out var key))
        {
            return NuPlanToken.ToHex(token);
        }
        if (!_trackTokenCache.TryGetValue(key, out var hex))
        {
            hex = NuPlanToken.ToHex(token);
            _trackTokenCache[key] = hex;
        }
        return hex;
    }

    /// <summary>pyquaternion's yaw of the normalised quaternion (docs/nuplan-simulation.md §1.1).</summary>
    public static double Yaw(double qw, double qx, double qy, double qz)
    {
        var norm = Math.Sqrt(qw * qw + qx * qx + qy * qy + qz * qz);
        if (norm > 0)
        {
            qw /= norm;
            qx /= norm;
            qy /= norm;
            qz /= norm;
        }
        return Math.Atan2(2 * (qw * qz - qx * qy), 1 - 2 * (qy * qy + qz * qz));
    }

    private SqliteCommand Prepare(string sql, params string[] parameterNames)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameterNames)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }
        return command;
    }

    private static void AppendIn<T>(
        StringBuilder sql, SqliteCommand command, string column, string prefix, IReadOnlyList<string> values, Func<string, T> convert)
        where T : notnull
    {
        if (values.Count == 0)
        {
            return;
        }
        sql.Append("  AND ").Append(column).Append(" IN (");
        for (var i = 0; i < values.Count; i++)
        {
            var name = $"${prefix}{i}";
            sql.Append(i == 0 ? string.Empty : ", ").Append(name);
            command.Parameters.AddWithValue(name, convert(values[i]));
        }
        sql.AppendLine(")");
    }

    private bool TableExists(string table)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $name";
        command.Parameters.AddWithValue("$name", table);
        return command.ExecuteScalar() is not null;
    }

    private static void CheckFile(string path)
    {
        if (Directory.Exists(path))
        {
            throw new ScenarioDataException(path, "is a directory, not a log database file");
        }
        if (!File.Exists(path))
        {
            throw new ScenarioDataException(path, "log database file does not exist");
        }
        Span<byte> header = stackalloc byte[16];
        int read;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ScenarioDataException(path, $"log database file cannot be read ({e.Message})", e);
        }
        if (read == 0)
        {
            throw new ScenarioDataException(path, "not a SQLite database (the file is empty)");
        }
        if (read < header.Length || !header.SequenceEqual(SqliteHeader))
        {
            throw new ScenarioDataException(path, "not a SQLite database (no 'SQLite format 3' header)");
        }
    }

    private static void CheckSchema(string path, SqliteConnection connection)
    {
        var columns = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
        using (var command = connection.CreateCommand())
        {
            command.CommandText =
                "SELECT m.name, p.name FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p WHERE m.type = 'table'";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var table = reader.GetString(0);
                if (!columns.TryGetValue(table, out var set))
                {
                    set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                    columns[table] = set;
                }
                set.Add(reader.GetString(1));
            }
        }
        var missingTables = new List<string>();
        foreach (var table in NuPlanDbSchema.RequiredColumns.Keys)
        {
            if (!columns.ContainsKey(table))
            {
                missingTables.Add(table);
            }
        }
        if (missingTables.Count > 0)
        {
            var names = string.Join(", ", missingTables.Select(t => $"'{t}'"));
            throw new ScenarioDataException(
                path, $"not a nuPlan log database: missing table{(missingTables.Count > 1 ? "s" : string.Empty)} {names}");
        }
        foreach (var (table, required) in NuPlanDbSchema.RequiredColumns)
        {
            var missing = required.Where(c => !columns[table].Contains(c)).ToList();
            if (missing.Count > 0)
            {
                throw new ScenarioDataException(
                    path, $"not a nuPlan log database: table '{table}' lacks column(s) {string.Join(", ", missing.Select(c => $"'{c}'"))}");
            }
        }
    }

    private static byte[] FindSensor(string path, SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT token FROM lidar WHERE channel = $channel LIMIT 1";
        command.Parameters.AddWithValue("$channel", NuPlanDbSchema.MergedPointCloudChannel);
        return command.ExecuteScalar() as byte[]
            ?? throw new ScenarioDataException(
                path, $"no lidar with channel '{NuPlanDbSchema.MergedPointCloudChannel}' (every frame query needs it)");
    }
}
