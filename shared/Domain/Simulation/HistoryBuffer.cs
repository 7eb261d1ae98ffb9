using NuPlanBus.Domain.States;

namespace NuPlanBus.Domain.Simulation;

/// <summary>
/// The rolling window of past ego states and observations a planner sees (nuPlan's SimulationHistoryBuffer):
/// fixed capacity, oldest dropped on append, ascending in time. Backed by ring buffers: no per-step allocation.
/// </summary>
public sealed class HistoryBuffer
{
    private readonly EgoState[] _egoStates;
    private readonly IReadOnlyList<TrackedObject>[] _observations;
    private int _start;

    public HistoryBuffer(int capacity, double sampleIntervalS)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _egoStates = new EgoState[capacity];
        _observations = new IReadOnlyList<TrackedObject>[capacity];
        SampleIntervalS = sampleIntervalS;
    }

    /// <summary>nuPlan's buffer size for a duration: int((duration + interval) / interval) + 1 (22 for 2 s at 0.1 s).</summary>
    public static int SizeFor(double durationS, double databaseIntervalS)
    {
        if (durationS < databaseIntervalS)
        {
            throw new ArgumentException($"History buffer duration {durationS} s is shorter than the database interval {databaseIntervalS} s.");
        }
        return (int)((durationS + databaseIntervalS) / databaseIntervalS) + 1;
    }

    public int Capacity => _egoStates.Length;

    public int Count { get; private set; }

    public double SampleIntervalS { get; }

    public EgoState CurrentEgoState => EgoStateAt(Count - 1);

    public IReadOnlyList<TrackedObject> CurrentObservation => ObservationAt(Count - 1);

    /// <summary>The i-th oldest ego state.</summary>
    public EgoState EgoStateAt(int i) => _egoStates[Slot(i)];

    public IReadOnlyList<TrackedObject> ObservationAt(int i) => _observations[Slot(i)];

    public void Clear()
    {
        Count = 0;
        _start = 0;
    }

    public void Append(EgoState egoState, IReadOnlyList<TrackedObject> observation)
    {
        if (Count < Capacity)
        {
            var slot = (_start + Count) % Capacity;
            _egoStates[slot] = egoState;
            _observations[slot] = observation;
            Count++;
        }
        else
        {
            _egoStates[_start] = egoState;
            _observations[_start] = observation;
            _start = (_start + 1) % Capacity;
        }
    }

    private int Slot(int i)
    {
        if ((uint)i >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(i));
        }
        return (_start + i) % Capacity;
    }
}
