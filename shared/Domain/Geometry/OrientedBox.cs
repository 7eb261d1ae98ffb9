namespace NuPlanBus.Domain.Geometry;

/// <summary>An oriented rectangle: centre pose, length along the heading, width across it.</summary>
public readonly record struct OrientedBox(Pose Center, double Length, double Width, double Height = 1.5)
{
    /// <summary>Corners in nuPlan's order: front-left, rear-left, rear-right, front-right.</summary>
    public void GetCorners(Span<Vector2> corners)
    {
        var (s, c) = Math.SinCos(Center.Heading);
        var hl = Length / 2;
        var hw = Width / 2;
        var cx = Center.X;
        var cy = Center.Y;
        corners[0] = Corner(hl, hw);
        corners[1] = Corner(-hl, hw);
        corners[2] = Corner(-hl, -hw);
        corners[3] = Corner(hl, -hw);

        Vector2 Corner(double lon, double lat) => new(cx + lon * c - lat * s, cy + lon * s + lat * c);
    }

    public Vector2[] Corners()
    {
        var corners = new Vector2[4];
        GetCorners(corners);
        return corners;
    }

    /// <summary>Half the diagonal: the radius of the circle that contains the box.</summary>
    public double HalfDiagonal => Math.Sqrt(Width * Width + Length * Length) / 2;
}
