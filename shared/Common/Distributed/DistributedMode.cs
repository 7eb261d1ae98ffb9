using NuPlanBus.Domain.Errors;

namespace NuPlanBus.Common.Distributed;

/// <summary>How a multi-node job splits scenarios between nodes (the devkit's <c>DistributedMode</c>).</summary>
public enum DistributedMode
{
    /// <summary>Every node takes every scenario (no files, no barrier).</summary>
    SingleNode,

    /// <summary>Each node takes a contiguous chunk of the sorted log files and all their scenarios.</summary>
    LogFileBased,

    /// <summary>Nodes pool their scenario keys through token files and each takes an equal contiguous chunk.</summary>
    ScenarioBased,
}

public static class DistributedModes
{
    /// <summary>
    /// Parses a configured mode by the devkit's enum names (<c>SINGLE_NODE</c>, <c>LOG_FILE_BASED</c>,
    /// <c>SCENARIO_BASED</c>), also accepting their values (<c>scenario_based</c>) and the C# names, case-insensitively.
    /// </summary>
    /// <exception cref="ConfigurationException">Any other name; the message lists the valid ones.</exception>
    public static DistributedMode Parse(string? name)
    {
        var normalized = (name ?? string.Empty).Replace("_", string.Empty, StringComparison.Ordinal).Trim();
        foreach (var mode in Enum.GetValues<DistributedMode>())
        {
            if (string.Equals(mode.ToString(), normalized, StringComparison.OrdinalIgnoreCase))
            {
                return mode;
            }
        }
        throw new ConfigurationException(
            $"Unknown distributed mode '{name}'; valid modes are {string.Join(", ", Enum.GetValues<DistributedMode>().Select(ToConfigName))}.");
    }

    /// <summary>The devkit's enum name, e.g. <c>SCENARIO_BASED</c>.</summary>
    public static string ToConfigName(this DistributedMode mode) => mode switch
    {
        DistributedMode.SingleNode => "SINGLE_NODE",
        DistributedMode.LogFileBased => "LOG_FILE_BASED",
        DistributedMode.ScenarioBased => "SCENARIO_BASED",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };
}
