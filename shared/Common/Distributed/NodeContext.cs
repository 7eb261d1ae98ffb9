using System.Globalization;
using NuPlanBus.Domain.Errors;

namespace NuPlanBus.Common.Distributed;

/// <summary>
/// Where this process sits in a multi-node batch job without a coordinator: <see cref="NumNodes"/> nodes numbered
/// 0 … <see cref="NumNodes"/> − 1.
/// </summary>
public sealed record NodeContext
{
    public const string NumNodesVariable = "NUM_NODES";
    public const string NodeRankVariable = "NODE_RANK";

    /// <summary>Set by Kubernetes on the pods of an Indexed Job; the rank when <c>NODE_RANK</c> is absent.</summary>
    public const string JobCompletionIndexVariable = "JOB_COMPLETION_INDEX";

    /// <summary>One node, rank 0.</summary>
    public static readonly NodeContext Single = new(1, 0);

    /// <exception cref="ConfigurationException">Fewer than one node, or a rank outside 0 … numNodes − 1.</exception>
    public NodeContext(int numNodes, int nodeRank)
    {
        if (numNodes < 1)
        {
            throw new ConfigurationException($"{NumNodesVariable} must be at least 1, got {numNodes}.");
        }
        if (nodeRank < 0 || nodeRank >= numNodes)
        {
            throw new ConfigurationException($"Node rank {nodeRank} is outside 0..{numNodes - 1} for {numNodes} node(s).");
        }
        NumNodes = numNodes;
        NodeRank = nodeRank;
    }

    public int NumNodes { get; }

    public int NodeRank { get; }

    public bool IsMultiNode => NumNodes > 1;

    /// <summary>Reads the process environment; see <see cref="FromEnvironment(Func{string, string?})"/>.</summary>
    public static NodeContext FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable);

    /// <summary>
    /// <c>NUM_NODES</c> (default 1) and the rank from <c>NODE_RANK</c>, else <c>JOB_COMPLETION_INDEX</c>, else 0.
    /// Blank values count as unset; anything else that is not an integer is a <see cref="ConfigurationException"/>.
    /// </summary>
    public static NodeContext FromEnvironment(Func<string, string?> getVariable)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        var numNodes = ReadInt(getVariable, NumNodesVariable) ?? 1;
        var rank = ReadInt(getVariable, NodeRankVariable) ?? ReadInt(getVariable, JobCompletionIndexVariable) ?? 0;
        return new NodeContext(numNodes, rank);
    }

    public override string ToString() => $"node {NodeRank} of {NumNodes}";

    private static int? ReadInt(Func<string, string?> getVariable, string name)
    {
        var value = getVariable(name);
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (!int.TryParse(value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
        {
            throw new ConfigurationException($"{name} must be an integer, got '{value}'.");
        }
        return parsed;
    }
}
