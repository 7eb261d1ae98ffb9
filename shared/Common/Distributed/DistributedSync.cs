using System.Globalization;

namespace NuPlanBus.Common.Distributed;

/// <summary>
/// The devkit's <c>distributed_sync</c>: every node of a multi-node job waits until all nodes reached the same
/// point. A single node returns at once and touches nothing.
/// </summary>
public static class DistributedSync
{
    /// <summary>The devkit's default (<c>distributed_timeout_seconds</c>): two hours.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(7200);

    /// <summary>The participant id of a node: <c>barrier_token_&lt;rank&gt;</c>, as in the devkit.</summary>
    public static string ParticipantId(int nodeRank) => "barrier_token_" + nodeRank.ToString(CultureInfo.InvariantCulture);

    /// <summary>The participant ids of all nodes, by rank.</summary>
    public static IReadOnlyList<string> ExpectedParticipants(int numNodes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numNodes);
        return Enumerable.Range(0, numNodes).Select(ParticipantId).ToArray();
    }

    /// <summary>
    /// Waits on <paramref name="barrier"/> as <c>barrier_token_&lt;rank&gt;</c> until all <c>barrier_token_0 … n−1</c>
    /// arrived at (<paramref name="barrierId"/>, <paramref name="generation"/>); returns immediately when
    /// <see cref="NodeContext.NumNodes"/> ≤ 1.
    /// </summary>
    /// <exception cref="BarrierTimeoutException">Not every node arrived within <paramref name="timeout"/> (default 7200 s).</exception>
    public static Task SyncAsync(
        IBarrier barrier,
        NodeContext node,
        string barrierId,
        long generation = 0,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(barrier);
        ArgumentNullException.ThrowIfNull(node);
        if (!node.IsMultiNode)
        {
            return Task.CompletedTask;
        }
        var request = new BarrierRequest(
            barrierId,
            generation,
            ParticipantId(node.NodeRank),
            ExpectedParticipants(node.NumNodes),
            timeout ?? DefaultTimeout);
        return barrier.WaitAsync(request, cancellationToken);
    }
}
