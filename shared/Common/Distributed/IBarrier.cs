namespace NuPlanBus.Common.Distributed;

/// <summary>
/// A reusable barrier: every expected participant calls <see cref="WaitAsync"/> for the same barrier id and
/// generation, and all of them return once every expected participant has arrived.
/// </summary>
/// <remarks>
/// Contract shared by all implementations (file-backed, broker-backed), pinned by the barrier contract tests:
/// a participant arriving twice counts once; the release is seen within about one poll/delivery interval; the
/// generation makes the same barrier id reusable without waiting for anything to be cleaned up; when the set is not
/// complete in time the call fails with a <see cref="BarrierTimeoutException"/> naming the missing participants.
/// </remarks>
public interface IBarrier
{
    Task WaitAsync(BarrierRequest request, CancellationToken cancellationToken = default);
}

/// <summary>One participant's arrival at one generation of a barrier.</summary>
/// <param name="BarrierId">Names the barrier; a single path segment of letters, digits, '.', '_' or '-'.</param>
/// <param name="Generation">Epoch of the barrier (0, 1, 2, … for successive uses of the same id).</param>
/// <param name="ParticipantId">Who arrives; must be one of <paramref name="ExpectedParticipants"/>.</param>
/// <param name="ExpectedParticipants">Everybody that must arrive before anyone is released.</param>
/// <param name="Timeout">How long this participant waits, from its arrival; positive and finite.</param>
public sealed record BarrierRequest(
    string BarrierId,
    long Generation,
    string ParticipantId,
    IReadOnlyCollection<string> ExpectedParticipants,
    TimeSpan Timeout)
{
    /// <summary>Throws <see cref="ArgumentException"/> when the request is malformed.</summary>
    public void Validate()
    {
        BarrierNames.ValidateId(BarrierId, nameof(BarrierId));
        ArgumentOutOfRangeException.ThrowIfNegative(Generation);
        BarrierNames.ValidateId(ParticipantId, nameof(ParticipantId));
        ArgumentNullException.ThrowIfNull(ExpectedParticipants);
        if (ExpectedParticipants.Count == 0)
        {
            throw new ArgumentException("A barrier needs at least one expected participant.", nameof(ExpectedParticipants));
        }
        foreach (var participant in ExpectedParticipants)
        {
            BarrierNames.ValidateId(participant, nameof(ExpectedParticipants));
        }
        if (!ExpectedParticipants.Contains(ParticipantId, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"Participant '{ParticipantId}' is not among the expected participants of barrier '{BarrierId}'.", nameof(ParticipantId));
        }
        if (Timeout <= TimeSpan.Zero || Timeout == System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, "A barrier timeout must be positive and finite.");
        }
    }
}
