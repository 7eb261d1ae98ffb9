namespace NuPlanBus.Domain.Geometry;

/// <summary>A planar pose (x, y, heading), nuPlan's StateSE2. Heading in radians, counter-clockwise.</summary>
public readonly record struct Pose(double X, double Y, double Heading)
{
    public Vector2 Position => new(X, Y);

    public double DistanceTo(Pose other) => Math.Sqrt((X - other.X) * (X - other.X) + (Y - other.Y) * (Y - other.Y));

    /// <summary>Moves the pose by <paramref name="longitudinal"/> metres along its heading and
    /// <paramref name="lateral"/> metres to its left.</summary>
    public Pose Translate(double longitudinal, double lateral = 0)
    {
        var (s, c) = Math.SinCos(Heading);
        return new Pose(X + longitudinal * c - lateral * s, Y + longitudinal * s + lateral * c, Heading);
    }

    /// <summary>
    /// nuPlan's <c>get_agent_relative_angle</c>: the angle between this pose's heading and the vector from the pose to
    /// the point, arccos of the normalised dot product. NaN when the point coincides with the pose (as numpy gives).
    /// </summary>
    public double RelativeAngleTo(Vector2 point)
    {
        var vx = point.X - X;
        var vy = point.Y - Y;
        var norm = double.Hypot(vx, vy);
        var (sin, cos) = Math.SinCos(Heading);
        return Math.Acos(cos * (vx / norm) + sin * (vy / norm));
    }
}
