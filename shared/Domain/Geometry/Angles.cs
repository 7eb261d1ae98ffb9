namespace NuPlanBus.Domain.Geometry;

public static class Angles
{
    public const double TwoPi = 2.0 * Math.PI;

    /// <summary>((a + π) mod 2π) − π with a floored modulo, so the result lies in [−π, π).</summary>
    public static double PrincipalValue(double angle)
    {
        var shifted = angle + Math.PI;
        var m = shifted - TwoPi * Math.Floor(shifted / TwoPi);
        if (m >= TwoPi)
        {
            m -= TwoPi;
        }
        return m - Math.PI;
    }

    /// <summary>numpy's <c>deg2rad</c>: degrees × (π / 180).</summary>
    public static double DegreesToRadians(double degrees) => degrees * (Math.PI / 180.0);

    /// <summary>Absolute wrapped difference |principal(a − b)|.</summary>
    public static double HeadingError(double a, double b) => Math.Abs(PrincipalValue(a - b));

    /// <summary>numpy.unwrap semantics (threshold π, period 2π) over a series, written into <paramref name="output"/>.</summary>
    public static void Unwrap(ReadOnlySpan<double> angles, Span<double> output)
    {
        if (angles.Length == 0)
        {
            return;
        }
        output[0] = angles[0];
        var correction = 0.0;
        for (var k = 1; k < angles.Length; k++)
        {
            var d = angles[k] - angles[k - 1];
            var shifted = d + Math.PI;
            var m = shifted - TwoPi * Math.Floor(shifted / TwoPi) - Math.PI;
            if (m == -Math.PI && d > 0)
            {
                m = Math.PI;
            }
            var c = m - d;
            if (Math.Abs(d) < Math.PI)
            {
                c = 0;
            }
            correction += c;
            output[k] = angles[k] + correction;
        }
    }
}
