using static TorchSharp.torch;

namespace NuPlanBus.TensorMath;

/// <summary>Angle helpers on tensors of any rank (radians, period 2π).</summary>
public static class TensorAngles
{
    /// <summary>
    /// numpy/devkit <c>unwrap</c> along <paramref name="dim"/> (discontinuity π, period 2π): each jump
    /// <c>d</c> with <c>|d| ≥ π</c> is replaced by <c>((d + π) mod 2π) − π</c> (floored modulo), except that a
    /// result of −π for a positive jump becomes +π, so jumps of exactly ±π are left alone. The first element of
    /// every slice is unchanged; a NaN poisons the rest of its slice; slices of length 0 or 1 come back as they are.
    /// </summary>
    public static Tensor Unwrap(Tensor angles, long dim = -1)
    {
        ArgumentNullException.ThrowIfNull(angles);
        if (angles.dim() == 0)
        {
            throw new ArgumentException("unwrap needs at least one dimension.", nameof(angles));
        }
        if (!angles.is_floating_point())
        {
            throw new ArgumentException($"angles must be floating point, got {angles.dtype}.", nameof(angles));
        }
        var rank = angles.dim();
        if (dim < -rank || dim >= rank)
        {
            throw new ArgumentOutOfRangeException(nameof(dim), dim, $"dim must lie in [{-rank}, {rank - 1}].");
        }
        var axis = dim < 0 ? dim + rank : dim;
        var n = angles.shape[axis];
        if (n <= 1)
        {
            return angles.clone();
        }

        using var scope = NewDisposeScope();
        var jumps = angles.narrow(axis, 1, n - 1) - angles.narrow(axis, 0, n - 1);
        var wrapped = remainder(jumps + Math.PI, 2.0 * Math.PI) - Math.PI;
        wrapped = where(wrapped.eq(-Math.PI).logical_and(jumps.gt(0)), full_like(wrapped, Math.PI), wrapped);
        var correction = wrapped - jumps;
        correction = where(jumps.abs().lt(Math.PI), zeros_like(correction), correction);
        var first = zeros_like(angles.narrow(axis, 0, 1));
        var total = cat([first, correction.cumsum(axis)], axis);
        return (angles + total).MoveToOuterDisposeScope();
    }

    /// <summary>Principal value <c>((θ + π) mod 2π) − π</c> with a floored modulo, in [−π, π).</summary>
    public static Tensor Wrap(Tensor angles)
    {
        ArgumentNullException.ThrowIfNull(angles);
        using var scope = NewDisposeScope();
        return (remainder(angles + Math.PI, 2.0 * Math.PI) - Math.PI).MoveToOuterDisposeScope();
    }
}
