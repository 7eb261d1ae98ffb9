namespace NuPlanBus.TensorMath.States;

/// <summary>
/// What a trajectory can interpolate (nuPlan's <c>InterpolatableState</c>): a time in integer microseconds,
/// a split into linear / angular / fixed parts, and the inverse that rebuilds an equivalent state.
/// </summary>
public interface IInterpolatableState<TSelf>
    where TSelf : IInterpolatableState<TSelf>
{
    long TimeUs { get; }

    SplitState ToSplitState();

    /// <summary>Rebuilds a state from <paramref name="split"/>; a split of the wrong layout is an error.</summary>
    static abstract TSelf FromSplitState(SplitState split);
}
