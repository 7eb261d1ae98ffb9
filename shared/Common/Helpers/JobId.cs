using System.Security.Cryptography;
using System.Text;
using NuPlanBus.Domain.Errors;

namespace NuPlanBus.Common.Helpers;

/// <summary>
/// The devkit's <c>get_unique_job_id</c>: the lowercase hex SHA-256 of <c>NUPLAN_JOB_ID</c>, or of a random UUID
/// when that variable is unset. Memoised for the process until <see cref="Reset"/>.
/// </summary>
/// <remarks>
/// Nodes only agree on the id when they share <c>NUPLAN_JOB_ID</c>: without it each node invents its own id,
/// synchronises in its own directory and waits for a barrier that cannot complete. Multi-node callers use
/// <see cref="GetShared"/>, which fails fast instead.
/// </remarks>
public static class JobId
{
    public const string EnvironmentVariable = "NUPLAN_JOB_ID";

    private static readonly Lock Gate = new();
    private static string? _cached;

    /// <summary>The memoised job id (64 lowercase hex characters).</summary>
    public static string Get()
    {
        lock (Gate)
        {
            return _cached ??= Compute(Environment.GetEnvironmentVariable(EnvironmentVariable));
        }
    }

    /// <summary>
    /// The job id for a run on <paramref name="numNodes"/> nodes: as <see cref="Get"/>, but a multi-node run without
    /// a shared <c>NUPLAN_JOB_ID</c> is a <see cref="ConfigurationException"/>.
    /// </summary>
    public static string GetShared(int numNodes, Func<string, string?>? getVariable = null)
    {
        EnsureShared(numNodes, getVariable);
        return getVariable is null ? Get() : Compute(getVariable(EnvironmentVariable));
    }

    /// <summary>Throws when more than one node runs and <c>NUPLAN_JOB_ID</c> is unset or blank.</summary>
    public static void EnsureShared(int numNodes, Func<string, string?>? getVariable = null)
    {
        var value = (getVariable ?? Environment.GetEnvironmentVariable)(EnvironmentVariable);
        if (numNodes > 1 && string.IsNullOrWhiteSpace(value))
        {
            throw new ConfigurationException(
                $"{numNodes} nodes are configured but {EnvironmentVariable} is not set: every node would invent its own job id " +
                $"and wait forever for the others. Set {EnvironmentVariable} to the same value on every node (e.g. the Job's uid).");
        }
    }

    /// <summary>Forgets the memoised id; the next <see cref="Get"/> computes it again.</summary>
    public static void Reset()
    {
        lock (Gate)
        {
            _cached = null;
        }
    }

    /// <summary>The id for a given <c>NUPLAN_JOB_ID</c> value; null or empty means "a fresh random UUID".</summary>
    public static string Compute(string? nuplanJobId)
    {
        var source = string.IsNullOrEmpty(nuplanJobId) ? Guid.NewGuid().ToString() : nuplanJobId;
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source)));
    }
}
