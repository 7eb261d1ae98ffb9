namespace NuPlanBus.Contracts;

/// <summary>
/// Where a run's maps are, as the services see it: the devkit's map root (<c>NUPLAN_MAPS_ROOT</c>) holding
/// <c>&lt;version&gt;.json</c> and <c>&lt;location&gt;/&lt;map version&gt;/map.gpkg</c>. A run without one is scored
/// without the map-based metrics and labelled partial.
/// </summary>
public sealed record MapSpec
{
    public required string Root { get; init; }

    /// <summary>The map version set: the version file's name without <c>.json</c> (<c>NUPLAN_MAP_VERSION</c>).</summary>
    public string Version { get; init; } = "nuplan-maps-v1.0";

    /// <summary>Score the scenarios of a log whose map is missing without map metrics instead of rejecting the run.</summary>
    public bool AllowMissing { get; init; }
}
