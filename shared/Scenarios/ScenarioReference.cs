namespace NuPlanBus.Scenarios;

/// <summary>
/// A scenario found by enumeration, before its data is loaded: the log file and the anchor frame.
/// </summary>
/// <param name="LogPath">Path of the log database file.</param>
/// <param name="LogName">The file stem, as the devkit derives it (never the DB contents).</param>
/// <param name="Token">Anchor lidar_pc token, 16 lowercase hex characters; nuPlan's scenario name.</param>
/// <param name="TimestampUs">Anchor lidar_pc timestamp.</param>
/// <param name="MapName"><c>log.map_version</c>.</param>
/// <param name="ScenarioType">The greatest matching tag, or <c>unknown</c> for an untagged frame.</param>
public sealed record ScenarioReference(
    string LogPath,
    string LogName,
    string Token,
    long TimestampUs,
    string MapName,
    string ScenarioType)
{
    /// <summary>Report identity "log_name/token": tokens are only unique within a log, and names collide across logs.</summary>
    public string ScenarioId => $"{LogName}/{Token}";
}
