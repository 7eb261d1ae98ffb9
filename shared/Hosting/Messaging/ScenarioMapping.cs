using NuPlanBus.Contracts;
using NuPlanBus.Scenarios;

namespace NuPlanBus.Hosting.Messaging;

/// <summary>
/// The one mapping between a scenario as enumerated (<see cref="ScenarioReference"/>) and as it travels
/// (<see cref="ScenarioDescriptor"/>): the Coordinator describes, the SimWorker resolves.
/// </summary>
public static class ScenarioMapping
{
    public static ScenarioDescriptor ToDescriptor(this ScenarioReference scenario) => new()
    {
        ScenarioId = scenario.ScenarioId,
        LogPath = scenario.LogPath,
        LogName = scenario.LogName,
        Token = scenario.Token,
        ScenarioType = scenario.ScenarioType,
        MapName = scenario.MapName,
        AnchorTimestampUs = scenario.TimestampUs,
    };

    /// <summary>The enumerated scenario the descriptor names, for a log opened at <paramref name="localLogPath"/>.</summary>
    public static ScenarioReference ToReference(this ScenarioDescriptor descriptor, string localLogPath) =>
        new(localLogPath, descriptor.LogName, descriptor.Token, descriptor.AnchorTimestampUs, descriptor.MapName, descriptor.ScenarioType);
}
