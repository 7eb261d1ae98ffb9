using NuPlanBus.Domain.Geometry;
using static NuPlanBus.TensorMath.Tests.TestTensors;
using static TorchSharp.torch;

namespace NuPlanBus.TensorMath.Tests;

/// <summary>TensorAngles.Unwrap against docs/nuplan-runtime.md §6.3 and the Domain's span implementation.</summary>
public class UnwrapTests
{
    [Theory]
    [InlineData(new[] { 0.0, 4, 8 }, new[] { 0.0, -2.2831853071795862, -4.5663706143591725 })]
    [InlineData(new[] { 3.0, -3, 3 }, new[] { 3.0, 3.2831853071795862, 3 })]
    [InlineData(new[] { 0.1, 6.3, 12.6 }, new[] { 0.1, 0.0168146928204127, 0.03362938564082718 })]
    [InlineData(new[] { 1.0, 2, 3, 4, 5 }, new[] { 1.0, 2, 3, 4, 5 })]
    public void Matches_the_reference_examples(double[] input, double[] expected)
    {
        using var angles = Vector(input);
        using var unwrapped = TensorAngles.Unwrap(angles);
        AssertClose(expected, unwrapped, 1e-15);
    }

    [Fact]
    public void Jumps_of_exactly_pi_are_left_alone()
    {
        // (π + π) mod 2π − π = −π for the upward jump: the tie rule turns it back into +π, no correction.
        using var up = Vector(0, Math.PI, 0);
        using var down = Vector(0, -Math.PI, 0);
        Assert.Equal([0, Math.PI, 0], Values(TensorAngles.Unwrap(up)));
        Assert.Equal([0, -Math.PI, 0], Values(TensorAngles.Unwrap(down)));
    }

    [Fact]
    public void A_jump_just_over_pi_is_corrected()
    {
        using var angles = Vector(0, Math.PI + 1e-9);
        var result = Values(TensorAngles.Unwrap(angles));
        Assert.Equal(Math.PI + 1e-9 - 2 * Math.PI, result[1], 12);
    }

    [Fact]
    public void A_nan_poisons_the_rest_of_its_slice_only()
    {
        using var angles = Rows([0.0, 4, double.NaN, 1, 8], [0.0, 4, 8, 1, 2]);
        var result = Values(TensorAngles.Unwrap(angles, dim: 1));
        Assert.Equal(0.0, result[0]);
        Assert.Equal(4 - 2 * Math.PI, result[1], 14);
        Assert.All(result[2..5], v => Assert.True(double.IsNaN(v)));
        Assert.All(result[5..10], v => Assert.False(double.IsNaN(v)));
    }

    [Fact]
    public void Length_one_and_empty_slices_are_returned_unchanged()
    {
        using var one = Rows([5.0], [-7.0]);
        Assert.Equal([5.0, -7.0], Values(TensorAngles.Unwrap(one)));
        using var empty = zeros(3, 0, dtype: ScalarType.Float64);
        Assert.Equal([3L, 0L], TensorAngles.Unwrap(empty).shape);
    }

    [Fact]
    public void Works_along_any_dimension_of_any_rank()
    {
        var rng = new Random(3);
        var data = new double[4 * 5 * 6];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = rng.NextDouble() * 20 - 10;
        }
        using var cube = tensor(data, [4, 5, 6], ScalarType.Float64);
        for (var dim = -3; dim < 3; dim++)
        {
            var axis = (dim + 3) % 3;
            using var moved = cube.movedim([axis], [2]).contiguous();
            using var expectedTensor = TensorAngles.Unwrap(moved).movedim([2], [axis]);
            using var actual = TensorAngles.Unwrap(cube, dim);
            Assert.Equal(cube.shape, actual.shape);
            AssertClose(Values(expectedTensor), actual, 0, $"dim {dim}:");
        }
        using var moved0 = cube.movedim([0], [2]).contiguous();
        var lastAxis = Values(moved0);
        var unwrappedLast = Values(TensorAngles.Unwrap(moved0));
        var expected = new double[lastAxis.Length];
        for (var start = 0; start < lastAxis.Length; start += 4)
        {
            Angles.Unwrap(lastAxis.AsSpan(start, 4), expected.AsSpan(start, 4));
        }
        AssertClose(expected, unwrappedLast, 1e-12);
    }

    [Fact]
    public void Agrees_with_the_domain_unwrap_on_random_series()
    {
        var rng = new Random(42);
        const int rows = 50, n = 80;
        var data = new double[rows * n];
        for (var r = 0; r < rows; r++)
        {
            var heading = rng.NextDouble() * 2 * Math.PI - Math.PI;
            for (var i = 0; i < n; i++)
            {
                heading += (rng.NextDouble() - 0.5) * (r % 2 == 0 ? 2.0 : 12.0);
                data[r * n + i] = Angles.PrincipalValue(heading) + (r % 5 == 0 ? 2 * Math.PI * rng.Next(-3, 4) : 0);
            }
        }
        using var angles = tensor(data, [rows, n], ScalarType.Float64).to(TensorDevice.Best());
        using var unwrapped = TensorAngles.Unwrap(angles);
        var expected = new double[data.Length];
        for (var r = 0; r < rows; r++)
        {
            Angles.Unwrap(data.AsSpan(r * n, n), expected.AsSpan(r * n, n));
        }
        AssertClose(expected, unwrapped, 1e-12);
    }

    [Fact]
    public void Float32_is_supported_and_bad_arguments_are_rejected()
    {
        using var f32 = tensor(new float[] { 0, 4, 8 });
        using var result = TensorAngles.Unwrap(f32);
        Assert.Equal(ScalarType.Float32, result.dtype);
        Assert.Equal(-2.2831853f, result[1].item<float>(), 5);
        using var scalar = tensor(1.0);
        Assert.Throws<ArgumentException>(() => TensorAngles.Unwrap(scalar));
        using var ints = tensor(new long[] { 0, 4 });
        Assert.Throws<ArgumentException>(() => TensorAngles.Unwrap(ints));
        using var v = Vector(0, 1);
        Assert.Throws<ArgumentOutOfRangeException>(() => TensorAngles.Unwrap(v, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => TensorAngles.Unwrap(v, -2));
    }

    [Fact]
    public void Wrap_maps_into_minus_pi_to_pi()
    {
        using var angles = Vector(Math.PI, -Math.PI, 3 * Math.PI / 2, 0.5, -7);
        AssertClose([-Math.PI, -Math.PI, -Math.PI / 2, 0.5, Angles.PrincipalValue(-7)], TensorAngles.Wrap(angles), 1e-15);
    }
}
