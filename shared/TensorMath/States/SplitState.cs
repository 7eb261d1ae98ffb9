namespace NuPlanBus.TensorMath.States;

/// <summary>
/// A state taken apart for interpolation (nuPlan's <c>SplitState</c>): <see cref="Linear"/> values are
/// interpolated linearly, <see cref="Angular"/> values are angles (period 2π) interpolated on the unwrapped
/// signal and wrapped back, <see cref="Fixed"/> values are carried through unchanged.
/// </summary>
public sealed class SplitState
{
    public SplitState(IReadOnlyList<double> linear, IReadOnlyList<double> angular, IReadOnlyList<object?> @fixed)
    {
        ArgumentNullException.ThrowIfNull(linear);
        ArgumentNullException.ThrowIfNull(angular);
        ArgumentNullException.ThrowIfNull(@fixed);
        Linear = linear;
        Angular = angular;
        Fixed = @fixed;
    }

    public IReadOnlyList<double> Linear { get; }

    public IReadOnlyList<double> Angular { get; }

    public IReadOnlyList<object?> Fixed { get; }

    /// <summary>Total number of entries of the three parts.</summary>
    public int Length => Linear.Count + Angular.Count + Fixed.Count;
}
