using System.Text;
using System.Text.Json;
using NuPlanBus.Domain.Errors;
using NuPlanBus.Domain.Geometry;
using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.Simulation;
using NuPlanBus.Domain.States;

namespace NuPlanBus.Metrics.Tests.Scenes;

/// <summary>
/// Reads the devkit's JSON metric scenes the way its test harness does (docs/nuplan-simulation.md §5): history = <c>ego</c> then
/// <c>ego_future_states</c> (rear-axle poses, vehicle-frame velocity and acceleration); objects from <c>world</c>
/// (and <c>world_future_states</c> per later sample); <c>expert_ego_states</c> as the expert; database interval =
/// the time between the first two samples; Pacifica. Each sample carries the trajectory the harness's
/// SimplePlanner (10 s horizon, 1 s sampling, zero acceleration, max velocity 5 m/s) plans from that sample alone,
/// which the open-loop metrics compare with the expert; the expert's logged future is taken by list position
/// (<see cref="MetricSceneScenario"/>).
/// </summary>
public static class MetricSceneLoader
{
    public const string LogName = "metric_scene";
    public const string ScenarioType = "unknown";

    private const double FallbackIntervalS = 0.1;

    public static MetricScene Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ScenarioDataException(path, "cannot read the metric scene", ex);
        }
        try
        {
            return Parse(text, Path.GetFileNameWithoutExtension(path));
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new ScenarioDataException(path, $"not a valid metric scene: {ex.Message}", ex);
        }
    }

    public static MetricScene Parse(string json, string name)
    {
        // Python's json module writes bare Infinity/NaN, which System.Text.Json rejects; quote them first.
        using var document = JsonDocument.Parse(QuoteNonFiniteLiterals(json));
        var root = document.RootElement;
        var vehicle = VehicleParameters.Pacifica;

        var egoStates = new List<EgoState> { ReadEgoState(root.GetProperty("ego")) };
        if (root.TryGetProperty("ego_future_states", out var futures))
        {
            foreach (var future in futures.EnumerateArray())
            {
                egoStates.Add(ReadEgoState(future));
            }
        }

        var worlds = new List<TrackedObject[]> { ReadWorld(root.GetProperty("world"), egoStates[0].TimeUs) };
        root.TryGetProperty("world_future_states", out var worldFutures);
        for (var i = 1; i < egoStates.Count; i++)
        {
            var hasFuture = worldFutures.ValueKind == JsonValueKind.Array && worldFutures.GetArrayLength() >= i;
            worlds.Add(hasFuture ? ReadWorld(worldFutures[i - 1], egoStates[i].TimeUs) : worlds[0]);
        }

        var missionGoal = ReadGoal(root);
        var mapName = root.TryGetProperty("map", out var map) && map.TryGetProperty("area", out var area)
            ? area.GetString() ?? string.Empty
            : string.Empty;

        var history = new SimulationHistory(mapName, missionGoal, egoStates.Count);
        for (var i = 0; i < egoStates.Count; i++)
        {
            history.Add(new SimulationHistorySample(
                new SimulationIteration(egoStates[i].TimeUs, i),
                egoStates[i],
                SimplePlannerTrajectory(egoStates[i]),
                worlds[i],
                []));
        }

        var expert = root.TryGetProperty("expert_ego_states", out var expertJson)
            ? expertJson.EnumerateArray().Select(ReadEgoState).ToArray()
            : StraightExpertFromOrigin(egoStates);
        var interval = egoStates.Count >= 2 ? (egoStates[1].TimeUs - egoStates[0].TimeUs) / 1e6 : FallbackIntervalS;
        var frames = expert.Length;
        var frameObjects = new TrackedObject[]?[frames];
        var frameLights = new TrafficLightStatus[]?[frames];
        var frameTimes = new long[frames];
        var iterationFrames = new int[frames];
        for (var i = 0; i < frames; i++)
        {
            frameObjects[i] = i < worlds.Count ? worlds[i] : [];
            frameLights[i] = [];
            frameTimes[i] = expert[i].TimeUs;
            iterationFrames[i] = i;
        }
        var scenario = new MetricSceneScenario(new RecordedScenario(
            new ScenarioMetadata(name, LogName, ScenarioType, mapName, interval),
            frameTimes, expert, frameObjects, frameLights, iterationFrames, missionGoal, [], vehicle));

        return new MetricScene(name, history, scenario, ReadExpected(root), ReadParameters(root));
    }

    private static EgoState ReadEgoState(JsonElement element)
    {
        var pose = element.GetProperty("pose");
        var velocity = element.GetProperty("velocity");
        var acceleration = element.GetProperty("acceleration");
        return new EgoState(
            element.GetProperty("time_us").GetInt64(),
            new Pose(Number(pose[0]), Number(pose[1]), Number(pose[2])),
            new Vector2(Number(velocity[0]), Number(velocity[1])),
            new Vector2(Number(acceleration[0]), Number(acceleration[1])));
    }

    /// <summary>Only vehicles, pedestrians and bicycles are loaded; velocity (speed, 0) in the global frame as the devkit does.</summary>
    private static TrackedObject[] ReadWorld(JsonElement world, long timeUs)
    {
        var objects = new List<TrackedObject>();
        Read("vehicles", TrackedObjectType.Vehicle);
        Read("pedestrians", TrackedObjectType.Pedestrian);
        Read("bicycles", TrackedObjectType.Bicycle);
        return objects.ToArray();

        void Read(string key, TrackedObjectType type)
        {
            if (!world.TryGetProperty(key, out var list))
            {
                return;
            }
            foreach (var item in list.EnumerateArray())
            {
                var box = item.GetProperty("box");
                var pose = box.GetProperty("pose");
                var size = box.GetProperty("size");
                var id = item.GetProperty("id").ToString();
                objects.Add(new TrackedObject(
                    type,
                    new OrientedBox(new Pose(Number(pose[0]), Number(pose[1]), Number(pose[2])), Length: Number(size[1]), Width: Number(size[0]), Height: 1.5),
                    new Vector2(item.TryGetProperty("speed", out var speed) ? Number(speed) : 0.0, 0.0),
                    id,
                    id,
                    timeUs));
            }
        }
    }

    private static Pose? ReadGoal(JsonElement root)
    {
        if (!root.TryGetProperty("goal", out var goal) || !goal.TryGetProperty("pose", out var pose) || pose.GetArrayLength() < 3)
        {
            return null;
        }
        return new Pose(Number(pose[0]), Number(pose[1]), Number(pose[2]));
    }

    private static List<ExpectedMetricStatistics> ReadExpected(JsonElement root)
    {
        var expected = new List<ExpectedMetricStatistics>();
        if (!root.TryGetProperty("expected", out var element))
        {
            return expected;
        }
        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                expected.Add(ReadExpectedOne(item));
            }
        }
        else
        {
            expected.Add(ReadExpectedOne(element));
        }
        return expected;
    }

    private static ExpectedMetricStatistics ReadExpectedOne(JsonElement element)
    {
        var statistics = new List<ExpectedStatistic>();
        foreach (var pair in element.GetProperty("statistics").EnumerateArray())
        {
            statistics.Add(new ExpectedStatistic(pair[0].GetString() ?? string.Empty, Number(pair[1])));
        }
        List<long>? timestamps = null;
        List<double>? values = null;
        if (element.TryGetProperty("time_series", out var series) && series.ValueKind == JsonValueKind.Object
            && series.TryGetProperty("time_stamps", out var stamps) && series.TryGetProperty("values", out var seriesValues))
        {
            timestamps = stamps.EnumerateArray().Select(s => s.GetInt64()).ToList();
            values = seriesValues.EnumerateArray().Select(Number).ToList();
        }
        return new ExpectedMetricStatistics(statistics, timestamps, values);
    }

    private static Dictionary<string, double> ReadParameters(JsonElement root)
    {
        var parameters = new Dictionary<string, double>(StringComparer.Ordinal);
        if (root.TryGetProperty("metric_parameters", out var element) && element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                parameters[property.Name] = Number(property.Value);
            }
        }
        return parameters;
    }

    /// <summary>A number, boolean (1/0) or one of the quoted non-finite literals.</summary>
    private static double Number(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => element.GetDouble(),
        JsonValueKind.True => 1.0,
        JsonValueKind.False => 0.0,
        JsonValueKind.String => element.GetString() switch
        {
            "Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            "NaN" => double.NaN,
            var other => throw new FormatException($"'{other}' is not a number."),
        },
        _ => throw new FormatException($"Expected a number, found {element.ValueKind}."),
    };

    /// <summary>
    /// What the harness's <c>SimplePlanner(horizon_seconds=10, sampling_time=1, acceleration=[0, 0])</c> plans from one
    /// state: start from the rear-axle pose and velocity with zero acceleration and steering; 10 times, if
    /// |velocity| &gt; 5 set the longitudinal acceleration to 5 − |velocity| (it then stays set: devkit quirk), and
    /// propagate the kinematic bicycle model with zero steering for 1 s (x += vx·cos h·dt, y += vx·sin h·dt,
    /// vx += a·dt, vy = 0; the acceleration low-pass is a no-op because the command equals the state).
    /// </summary>
    private static InterpolatedTrajectory SimplePlannerTrajectory(EgoState start)
    {
        const int steps = 10;
        const long samplingUs = 1_000_000L;
        const double dt = 1.0;
        const double maxVelocity = 5.0;
        var states = new EgoState[steps + 1];
        var state = new EgoState(start.TimeUs, start.RearAxle, start.RearAxleVelocity, Vector2.Zero);
        states[0] = state;
        for (var k = 1; k <= steps; k++)
        {
            var acceleration = state.RearAxleAcceleration.X;
            var speed = state.Speed;
            if (speed > maxVelocity)
            {
                acceleration = maxVelocity - speed;
            }
            var pose = state.RearAxle;
            var vx = state.RearAxleVelocity.X;
            state = new EgoState(
                state.TimeUs + samplingUs,
                new Pose(pose.X + vx * Math.Cos(pose.Heading) * dt, pose.Y + vx * Math.Sin(pose.Heading) * dt, Angles.PrincipalValue(pose.Heading)),
                new Vector2(vx + acceleration * dt, 0.0),
                new Vector2(acceleration, 0.0));
            states[k] = state;
        }
        return new InterpolatedTrajectory(states);
    }

    /// <summary>
    /// Stand-in for the devkit mock scenario's expert when a scene has none: one state more than the history,
    /// from the origin along +x at 1 m/s, at the history's times. Only metrics comparing with the expert read it.
    /// </summary>
    private static EgoState[] StraightExpertFromOrigin(List<EgoState> history)
    {
        var step = history.Count >= 2 ? history[1].TimeUs - history[0].TimeUs : (long)(FallbackIntervalS * 1e6);
        var expert = new EgoState[history.Count + 1];
        for (var i = 0; i < expert.Length; i++)
        {
            var timeUs = i < history.Count ? history[i].TimeUs : history[^1].TimeUs + step;
            var x = (timeUs - history[0].TimeUs) / 1e6;
            expert[i] = new EgoState(timeUs, new Pose(x, 0, 0), new Vector2(1, 0), Vector2.Zero);
        }
        return expert;
    }

    private static string QuoteNonFiniteLiterals(string json)
    {
        var builder = new StringBuilder(json.Length + 16);
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            if (inString)
            {
                builder.Append(c);
                if (c == '\\' && i + 1 < json.Length)
                {
                    builder.Append(json[++i]);
                }
                else if (c == '"')
                {
                    inString = false;
                }
                continue;
            }
            if (c == '"')
            {
                inString = true;
                builder.Append(c);
                continue;
            }
            if (TryLiteral(json, i, "-Infinity") || TryLiteral(json, i, "Infinity") || TryLiteral(json, i, "NaN"))
            {
                var literal = json[i] == '-' ? "-Infinity" : json[i] == 'I' ? "Infinity" : "NaN";
                builder.Append('"').Append(literal).Append('"');
                i += literal.Length - 1;
                continue;
            }
            builder.Append(c);
        }
        return builder.ToString();
    }

    private static bool TryLiteral(string json, int index, string literal) =>
        string.CompareOrdinal(json, index, literal, 0, literal.Length) == 0;
}
