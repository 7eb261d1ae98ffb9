using System.Buffers;
using System.Buffers.Binary;
using MessagePack;
using NuPlanBus.Domain.Errors;
using NuPlanBus.Domain.Geometry;
using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Domain.Simulation;
using NuPlanBus.Domain.States;
using ZstdSharp;
using ZstdSharp.Unsafe;

namespace NuPlanBus.Simulation.Logs;

/// <summary>
/// Our portable simulation log: an 8-byte magic, a little-endian uint32 format version, then one zstd frame
/// (with content size and checksum) of MessagePack written by hand against an explicit positional schema:
/// <code>
/// log      = [plannerName, scenario, history]
/// scenario = [[token, logName, scenarioType, mapName, dbIntervalS],
///             [width, frontLength, rearLength, wheelBase, cogFromRearAxle, height, vehicleName],
///             [[timeUs, ego, objects | nil, trafficLights | nil] …],   one entry per raw 20 Hz frame
///             [iterationFrame …], missionGoal | nil, [roadblockId …]]
/// history  = [mapName, missionGoal | nil, [[iterationTimeUs, iterationIndex, ego, [trajectoryState …], objects, trafficLights] …]]
/// ego      = [timeUs, x, y, heading, vx, vy, ax, ay, steeringAngle, angularVelocity, angularAcceleration, steeringRate]
/// object   = [type, cx, cy, heading, length, width, height, vx, vy, token, trackToken, timeUs]
/// light    = [laneConnectorId, status, timeUs]
/// pose     = [x, y, heading]
/// </code>
/// Any change to the schema is a new format version; readers reject versions they do not know.
/// </summary>
public static class SimulationLogSerializer
{
    public const string FileExtension = ".msgpack.zst";

    public const int CurrentFormatVersion = 1;

    /// <summary>zstd level: 3 is the library default and keeps writing well under the cost of a simulation.</summary>
    public const int CompressionLevel = 3;

    private const int HeaderLength = 12;

    private static ReadOnlySpan<byte> Magic => "NPBSIMLG"u8;

    public static byte[] Serialize(SimulationLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (log.FormatVersion != CurrentFormatVersion)
        {
            throw new ArgumentException(
                $"Only format version {CurrentFormatVersion} can be written (the log says {log.FormatVersion}).", nameof(log));
        }
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(3);
        writer.Write(log.PlannerName);
        WriteScenario(ref writer, log.Scenario);
        WriteHistory(ref writer, log.History);
        writer.Flush();

        using var compressor = new Compressor(CompressionLevel);
        compressor.SetParameter(ZSTD_cParameter.ZSTD_c_checksumFlag, 1);
        var payload = buffer.WrittenSpan;
        var output = new byte[HeaderLength + Compressor.GetCompressBound(payload.Length)];
        Magic.CopyTo(output);
        BinaryPrimitives.WriteUInt32LittleEndian(output.AsSpan(Magic.Length, 4), (uint)CurrentFormatVersion);
        var written = compressor.Wrap(payload, output.AsSpan(HeaderLength));
        Array.Resize(ref output, HeaderLength + written);
        return output;
    }

    public static SimulationLog Deserialize(ReadOnlySpan<byte> data, string pathForErrors)
    {
        if (data.Length < HeaderLength)
        {
            throw new SimulationLogFormatException(
                pathForErrors, $"Not a simulation log: {data.Length} bytes is shorter than the {HeaderLength}-byte header.");
        }
        if (!data[..Magic.Length].SequenceEqual(Magic))
        {
            throw new SimulationLogFormatException(pathForErrors, "Not a simulation log: the file does not start with the NPBSIMLG magic.");
        }
        var version = BinaryPrimitives.ReadUInt32LittleEndian(data.Slice(Magic.Length, 4));
        if (version != CurrentFormatVersion)
        {
            throw new SimulationLogFormatException(
                pathForErrors, $"Unsupported simulation log format version {version}; this build reads version {CurrentFormatVersion}.");
        }

        byte[] payload;
        try
        {
            var compressed = data[HeaderLength..];
            var size = Decompressor.GetDecompressedSize(compressed);
            if (size > int.MaxValue)
            {
                throw new SimulationLogFormatException(pathForErrors, $"The declared payload of {size} bytes is too large.");
            }
            payload = new byte[size];
            using var decompressor = new Decompressor();
            var read = decompressor.Unwrap(compressed, payload);
            if (read != payload.Length)
            {
                throw new SimulationLogFormatException(
                    pathForErrors, $"Truncated or corrupt: decompressed {read} of {payload.Length} declared bytes.");
            }
        }
        catch (SimulationLogFormatException)
        {
            throw;
        }
        catch (Exception ex)
        {
            throw new SimulationLogFormatException(pathForErrors, $"Truncated or corrupt compressed data: {ex.Message}", ex);
        }

        try
        {
            var reader = new MessagePackReader(payload);
            ExpectArray(ref reader, 3, "log");
            var plannerName = ReadRequiredString(ref reader, "planner name");
            var scenario = ReadScenario(ref reader);
            var history = ReadHistory(ref reader);
            if (!reader.End)
            {
                throw new FormatException($"{payload.Length - reader.Consumed} unexpected bytes after the log.");
            }
            return new SimulationLog(CurrentFormatVersion, plannerName, scenario, history);
        }
        catch (Exception ex)
        {
            throw new SimulationLogFormatException(pathForErrors, $"Malformed log content: {ex.Message}", ex);
        }
    }

    private static void WriteScenario(ref MessagePackWriter w, RecordedScenario scenario)
    {
        w.WriteArrayHeader(6);
        var m = scenario.Metadata;
        w.WriteArrayHeader(5);
        w.Write(m.Token);
        w.Write(m.LogName);
        w.Write(m.ScenarioType);
        w.Write(m.MapName);
        w.Write(m.DatabaseIntervalS);

        var v = scenario.Vehicle;
        w.WriteArrayHeader(7);
        w.Write(v.Width);
        w.Write(v.FrontLength);
        w.Write(v.RearLength);
        w.Write(v.WheelBase);
        w.Write(v.CogPositionFromRearAxle);
        w.Write(v.Height);
        w.Write(v.Name);

        var n = scenario.FrameTimesUs.Length;
        w.WriteArrayHeader(n);
        for (var i = 0; i < n; i++)
        {
            w.WriteArrayHeader(4);
            w.Write(scenario.FrameTimesUs[i]);
            WriteEgo(ref w, scenario.FrameEgoStates[i]);
            var objects = scenario.FrameObjects[i];
            if (objects is null)
            {
                w.WriteNil();
            }
            else
            {
                WriteObjects(ref w, objects);
            }
            var lights = scenario.FrameTrafficLights[i];
            if (lights is null)
            {
                w.WriteNil();
            }
            else
            {
                WriteLights(ref w, lights);
            }
        }

        w.WriteArrayHeader(scenario.IterationFrames.Length);
        foreach (var frame in scenario.IterationFrames)
        {
            w.Write(frame);
        }
        WritePose(ref w, scenario.MissionGoal);
        var route = scenario.RouteRoadblockIds;
        w.WriteArrayHeader(route.Count);
        for (var i = 0; i < route.Count; i++)
        {
            w.Write(route[i]);
        }
    }

    private static RecordedScenario ReadScenario(ref MessagePackReader r)
    {
        ExpectArray(ref r, 6, "scenario");
        ExpectArray(ref r, 5, "scenario metadata");
        var metadata = new ScenarioMetadata(
            ReadRequiredString(ref r, "token"),
            ReadRequiredString(ref r, "log name"),
            ReadRequiredString(ref r, "scenario type"),
            ReadRequiredString(ref r, "map name"),
            r.ReadDouble());

        ExpectArray(ref r, 7, "vehicle parameters");
        var vehicle = new VehicleParameters(
            r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble(), r.ReadDouble(),
            ReadRequiredString(ref r, "vehicle name"));

        var n = r.ReadArrayHeader();
        var times = new long[n];
        var egos = new EgoState[n];
        var objects = new TrackedObject[]?[n];
        var lights = new TrafficLightStatus[]?[n];
        for (var i = 0; i < n; i++)
        {
            ExpectArray(ref r, 4, "frame");
            times[i] = r.ReadInt64();
            egos[i] = ReadEgo(ref r);
            objects[i] = r.TryReadNil() ? null : ReadObjects(ref r);
            lights[i] = r.TryReadNil() ? null : ReadLights(ref r);
        }

        var iterationCount = r.ReadArrayHeader();
        var iterationFrames = new int[iterationCount];
        for (var i = 0; i < iterationCount; i++)
        {
            iterationFrames[i] = r.ReadInt32();
        }
        var missionGoal = ReadPose(ref r);
        var routeCount = r.ReadArrayHeader();
        var route = new string[routeCount];
        for (var i = 0; i < routeCount; i++)
        {
            route[i] = ReadRequiredString(ref r, "roadblock id");
        }
        return new RecordedScenario(metadata, times, egos, objects, lights, iterationFrames, missionGoal, route, vehicle);
    }

    private static void WriteHistory(ref MessagePackWriter w, SimulationHistory history)
    {
        w.WriteArrayHeader(3);
        w.Write(history.MapName);
        WritePose(ref w, history.MissionGoal);
        var samples = history.Samples;
        w.WriteArrayHeader(samples.Count);
        for (var i = 0; i < samples.Count; i++)
        {
            var sample = samples[i];
            w.WriteArrayHeader(6);
            w.Write(sample.Iteration.TimeUs);
            w.Write(sample.Iteration.Index);
            WriteEgo(ref w, sample.EgoState);
            var states = sample.Trajectory.SampledStates;
            w.WriteArrayHeader(states.Count);
            for (var k = 0; k < states.Count; k++)
            {
                WriteEgo(ref w, states[k]);
            }
            WriteObjects(ref w, sample.Observation);
            WriteLights(ref w, sample.TrafficLights);
        }
    }

    private static SimulationHistory ReadHistory(ref MessagePackReader r)
    {
        ExpectArray(ref r, 3, "history");
        var mapName = ReadRequiredString(ref r, "history map name");
        var missionGoal = ReadPose(ref r);
        var count = r.ReadArrayHeader();
        var history = new SimulationHistory(mapName, missionGoal, count);
        for (var i = 0; i < count; i++)
        {
            ExpectArray(ref r, 6, "history sample");
            var iteration = new SimulationIteration(r.ReadInt64(), r.ReadInt32());
            var ego = ReadEgo(ref r);
            var stateCount = r.ReadArrayHeader();
            var states = new EgoState[stateCount];
            for (var k = 0; k < stateCount; k++)
            {
                states[k] = ReadEgo(ref r);
            }
            var objects = ReadObjects(ref r);
            var lights = ReadLights(ref r);
            history.Add(new SimulationHistorySample(iteration, ego, new InterpolatedTrajectory(states), objects, lights));
        }
        return history;
    }

    private static void WriteEgo(ref MessagePackWriter w, in EgoState s)
    {
        w.WriteArrayHeader(12);
        w.Write(s.TimeUs);
        w.Write(s.RearAxle.X);
        w.Write(s.RearAxle.Y);
        w.Write(s.RearAxle.Heading);
        w.Write(s.RearAxleVelocity.X);
        w.Write(s.RearAxleVelocity.Y);
        w.Write(s.RearAxleAcceleration.X);
        w.Write(s.RearAxleAcceleration.Y);
        w.Write(s.TireSteeringAngle);
        w.Write(s.AngularVelocity);
        w.Write(s.AngularAcceleration);
        w.Write(s.TireSteeringRate);
    }

    private static EgoState ReadEgo(ref MessagePackReader r)
    {
        ExpectArray(ref r, 12, "ego state");
        return new EgoState(
            r.ReadInt64(),
            new Pose(r.ReadDouble(), r.ReadDouble(), r.ReadDouble()),
            new Vector2(r.ReadDouble(), r.ReadDouble()),
            new Vector2(r.ReadDouble(), r.ReadDouble()),
            r.ReadDouble(),
            r.ReadDouble(),
            r.ReadDouble(),
            r.ReadDouble());
    }

    private static void WriteObjects(ref MessagePackWriter w, IReadOnlyList<TrackedObject> objects)
    {
        w.WriteArrayHeader(objects.Count);
        for (var i = 0; i < objects.Count; i++)
        {
            var o = objects[i];
            w.WriteArrayHeader(12);
            w.Write((int)o.Type);
            w.Write(o.Box.Center.X);
            w.Write(o.Box.Center.Y);
            w.Write(o.Box.Center.Heading);
            w.Write(o.Box.Length);
            w.Write(o.Box.Width);
            w.Write(o.Box.Height);
            w.Write(o.Velocity.X);
            w.Write(o.Velocity.Y);
            w.Write(o.Token);
            w.Write(o.TrackToken);
            w.Write(o.TimeUs);
        }
    }

    private static TrackedObject[] ReadObjects(ref MessagePackReader r)
    {
        var count = r.ReadArrayHeader();
        var objects = new TrackedObject[count];
        for (var i = 0; i < count; i++)
        {
            ExpectArray(ref r, 12, "tracked object");
            var type = r.ReadInt32();
            if (type is < (int)TrackedObjectType.Vehicle or > (int)TrackedObjectType.Ego)
            {
                throw new FormatException($"Unknown tracked object type {type}.");
            }
            var center = new Pose(r.ReadDouble(), r.ReadDouble(), r.ReadDouble());
            var box = new OrientedBox(center, r.ReadDouble(), r.ReadDouble(), r.ReadDouble());
            var velocity = new Vector2(r.ReadDouble(), r.ReadDouble());
            objects[i] = new TrackedObject(
                (TrackedObjectType)type, box, velocity, r.ReadString()!, r.ReadString()!, r.ReadInt64());
        }
        return objects;
    }

    private static void WriteLights(ref MessagePackWriter w, IReadOnlyList<TrafficLightStatus> lights)
    {
        w.WriteArrayHeader(lights.Count);
        for (var i = 0; i < lights.Count; i++)
        {
            var l = lights[i];
            w.WriteArrayHeader(3);
            w.Write(l.LaneConnectorId);
            w.Write((int)l.Status);
            w.Write(l.TimeUs);
        }
    }

    private static TrafficLightStatus[] ReadLights(ref MessagePackReader r)
    {
        var count = r.ReadArrayHeader();
        var lights = new TrafficLightStatus[count];
        for (var i = 0; i < count; i++)
        {
            ExpectArray(ref r, 3, "traffic light");
            var id = r.ReadInt64();
            var status = r.ReadInt32();
            if (status is < (int)TrafficLightState.Green or > (int)TrafficLightState.Unknown)
            {
                throw new FormatException($"Unknown traffic light status {status}.");
            }
            lights[i] = new TrafficLightStatus(id, (TrafficLightState)status, r.ReadInt64());
        }
        return lights;
    }

    private static void WritePose(ref MessagePackWriter w, Pose? pose)
    {
        if (pose is not { } p)
        {
            w.WriteNil();
            return;
        }
        w.WriteArrayHeader(3);
        w.Write(p.X);
        w.Write(p.Y);
        w.Write(p.Heading);
    }

    private static Pose? ReadPose(ref MessagePackReader r)
    {
        if (r.TryReadNil())
        {
            return null;
        }
        ExpectArray(ref r, 3, "pose");
        return new Pose(r.ReadDouble(), r.ReadDouble(), r.ReadDouble());
    }

    private static string ReadRequiredString(ref MessagePackReader r, string what) =>
        r.ReadString() ?? throw new FormatException($"The {what} is missing.");

    private static void ExpectArray(ref MessagePackReader r, int length, string what)
    {
        var actual = r.ReadArrayHeader();
        if (actual != length)
        {
            throw new FormatException($"Expected a {what} of {length} fields, found {actual}.");
        }
    }
}
