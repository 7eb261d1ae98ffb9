using MassTransit;
using NuPlanBus.Persistence;

namespace NuPlanBus.Coordination.Barriers;

/// <summary>
/// One generation of one barrier: who is expected, who arrived (a set: arriving twice counts once) and the deadline,
/// which is the earliest give-up time among the arrivals. Kept after the outcome, so late or restarted participants can
/// still learn it.
/// </summary>
public sealed class BarrierState : SagaStateMachineInstance, ISagaVersion, ISagaDeadline
{
    public Guid CorrelationId { get; set; }

    public int Version { get; set; }

    public string CurrentState { get; set; } = "";

    public string BarrierId { get; set; } = "";

    public long Generation { get; set; }

    /// <summary>Expected participants in ordinal order, as announced by the first arrival.</summary>
    public List<string> Expected { get; set; } = [];

    /// <summary>Arrived participants in ordinal order, without duplicates.</summary>
    public List<string> Arrived { get; set; } = [];

    public DateTime? Deadline { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? SettledAt { get; set; }

    /// <summary>Expected participants that have not arrived, in ordinal order.</summary>
    public IReadOnlyList<string> Missing => Expected.Where(p => Arrived.BinarySearch(p, StringComparer.Ordinal) < 0).ToArray();

    public bool IsComplete => Expected.Count > 0 && Missing.Count == 0;

    /// <summary>Records an arrival; returns false for a participant that had arrived already.</summary>
    public bool RecordArrival(string participantId, DateTime timeoutAt)
    {
        var index = Arrived.BinarySearch(participantId, StringComparer.Ordinal);
        var timeoutUtc = timeoutAt.Kind == DateTimeKind.Local ? timeoutAt.ToUniversalTime() : DateTime.SpecifyKind(timeoutAt, DateTimeKind.Utc);
        if (Deadline is null || timeoutUtc < Deadline)
        {
            Deadline = timeoutUtc;
        }
        if (index >= 0)
        {
            return false;
        }
        Arrived.Insert(~index, participantId);
        return true;
    }
}
