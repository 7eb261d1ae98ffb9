namespace NuPlanBus.Scenarios.Synthetic;

/// <summary>What <see cref="SyntheticLogGenerator"/> writes. Same options ⇒ the same logical content.</summary>
public sealed record SyntheticLogOptions
{
    public int Seed { get; init; }

    /// <summary>The file stem of a real log; the reader takes the log name from the file name, so keep them equal.</summary>
    public string LogName { get; init; } = "2021.05.12.19.36.12_veh-35_00005_00204";

    /// <summary><c>log.map_version</c>: the scenarios' map name.</summary>
    public string MapName { get; init; } = "us-nv-las-vegas-strip";

    public string VehicleName { get; init; } = "veh-35";

    /// <summary>Time of the first frame.</summary>
    public DateTimeOffset StartTime { get; init; } = new(2021, 5, 12, 19, 36, 12, TimeSpan.Zero);

    /// <summary>Scene length; nuPlan scenes are about 20 s. Must be a whole number of 0.05 s rows.</summary>
    public double SceneDurationS { get; init; } = 20.0;

    /// <summary>At least this many scenes (the first two and last two never yield scenarios).</summary>
    public int MinimumSceneCount { get; init; } = 5;

    /// <summary>
    /// Number of tagged situations driven one after another. The first nine cover every situation kind once
    /// (shuffled by the seed); later ones repeat kinds. Each yields one or two tagged anchor frames.
    /// </summary>
    public int SituationCount { get; init; } = 11;

    public bool IncludeTrafficLights { get; init; } = true;

    /// <summary>Vehicles passing in the two oncoming lanes.</summary>
    public bool IncludeOncomingTraffic { get; init; } = true;

    /// <summary>Spacing of parked vehicles lining both road sides; 0 for none. Dense values stress loading (8 m ≈ 50 objects per frame).</summary>
    public double ParkedVehicleSpacingM { get; init; }

    /// <summary>
    /// When set, the road is corridor <c>k</c> of a synthetic map (<see cref="Maps.Synthetic.SyntheticCorridor"/>):
    /// placed at a fixed origin 20 km from the other corridors, with <c>scene.roadblock_ids</c> naming the map's
    /// roadblocks along the expert's drive. The summary returns the corridor so the map can be written.
    /// </summary>
    public int? CorridorIndex { get; init; }
}

/// <summary>One tag the generator wrote: the anchor frame of a situation.</summary>
public sealed record SyntheticScenarioTag(string Token, string ScenarioType, long TimestampUs, int Frame);

/// <summary>What was written, for tests and tools.</summary>
public sealed record SyntheticLogSummary(
    string Path,
    string LogName,
    int FrameCount,
    int SceneCount,
    int FramesPerScene,
    long StartTimestampUs,
    IReadOnlyList<SyntheticScenarioTag> Tags,
    int BoxCount,
    Maps.Synthetic.SyntheticCorridor? Corridor = null);
