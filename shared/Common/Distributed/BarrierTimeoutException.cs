using System.Globalization;
using NuPlanBus.Domain.Errors;

namespace NuPlanBus.Common.Distributed;

/// <summary>A barrier generation was not completed in time; names the participants that never arrived.</summary>
public sealed class BarrierTimeoutException : NuPlanBusException
{
    public BarrierTimeoutException(string barrierId, long generation, IReadOnlyList<string> missingParticipants, TimeSpan timeout)
        : base(
            $"Barrier '{barrierId}' generation {generation} timed out after {timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s; " +
            $"missing participants: {(missingParticipants.Count == 0 ? "(none recorded)" : string.Join(", ", missingParticipants))}.")
    {
        BarrierId = barrierId;
        Generation = generation;
        MissingParticipants = missingParticipants;
        Timeout = timeout;
    }

    public string BarrierId { get; }

    public long Generation { get; }

    /// <summary>Expected participants that had not arrived when the barrier gave up, in ordinal order.</summary>
    public IReadOnlyList<string> MissingParticipants { get; }

    public TimeSpan Timeout { get; }
}
