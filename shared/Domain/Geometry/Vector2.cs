namespace NuPlanBus.Domain.Geometry;

/// <summary>A 2-D vector (metres, metres per second, …) with the few operations the simulation needs.</summary>
public readonly record struct Vector2(double X, double Y)
{
    public static readonly Vector2 Zero = new(0, 0);

    public double Magnitude => Math.Sqrt(X * X + Y * Y);

    public static Vector2 operator +(Vector2 a, Vector2 b) => new(a.X + b.X, a.Y + b.Y);
    public static Vector2 operator -(Vector2 a, Vector2 b) => new(a.X - b.X, a.Y - b.Y);
    public static Vector2 operator *(Vector2 a, double s) => new(a.X * s, a.Y * s);
    public static Vector2 operator *(double s, Vector2 a) => new(a.X * s, a.Y * s);

    public double Dot(Vector2 other) => X * other.X + Y * other.Y;

    /// <summary>Rotates the vector counter-clockwise by <paramref name="angle"/> radians.</summary>
    public Vector2 Rotate(double angle)
    {
        var (s, c) = Math.SinCos(angle);
        return new Vector2(c * X - s * Y, s * X + c * Y);
    }
}
