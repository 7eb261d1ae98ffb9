using NuPlanBus.Domain.Geometry;

namespace NuPlanBus.Domain.Tests;

public class AnglesTests
{
    [Theory]
    [InlineData(new[] { 0.0, 4, 8 }, new[] { 0.0, -2.2831853071795862, -4.5663706143591725 })]
    [InlineData(new[] { 3.0, -3, 3 }, new[] { 3.0, 3.2831853071795862, 3 })]
    [InlineData(new[] { 0.1, 6.3, 12.6 }, new[] { 0.1, 0.0168146928204127, 0.03362938564082718 })]
    [InlineData(new[] { 0.0, Math.PI, 0 }, new[] { 0.0, Math.PI, 0 })]
    [InlineData(new[] { 0.0, -Math.PI, 0 }, new[] { 0.0, -Math.PI, 0 })]
    public void Unwrap_matches_numpy(double[] input, double[] expected)
    {
        var output = new double[input.Length];
        Angles.Unwrap(input, output);
        for (var i = 0; i < input.Length; i++)
        {
            Assert.Equal(expected[i], output[i], 12);
        }
    }

    [Theory]
    [InlineData(Math.PI, -Math.PI)]
    [InlineData(-Math.PI, -Math.PI)]
    [InlineData(3 * Math.PI / 2, -Math.PI / 2)]
    [InlineData(0.5, 0.5)]
    public void Principal_value_lies_in_minus_pi_to_pi(double angle, double expected) =>
        Assert.Equal(expected, Angles.PrincipalValue(angle), 12);
}
