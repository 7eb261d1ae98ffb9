using NuPlanBus.Maps;
using NuPlanBus.Maps.Synthetic;

namespace NuPlanBus.Maps.Tests;

/// <summary>Small maps written to a temporary maps root, with the corridor they hold.</summary>
public sealed class TestMapRoot : IDisposable
{
    public const string Location = "synthetic-test";
    public const string Version = "1.0";

    public TestMapRoot(double heading = 0.3, int corridors = 1)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("nuplanbus-maps-").FullName;
        var builder = new SyntheticMapBuilder(Location, 32611);
        Corridors = [.. Enumerable.Range(0, corridors).Select(i => new SyntheticCorridor(i, 600_000 + 10_000 * i, 4_000_000, heading + i, -150, 650, [120]))];
        foreach (var corridor in Corridors)
        {
            corridor.AddTo(builder);
        }
        Content = builder.Build();
        MapPath = builder.Write(Directory, Version);
        Root = new MapsRoot(Directory);
    }

    public string Directory { get; }

    public string MapPath { get; }

    public MapsRoot Root { get; }

    public Gpkg.MapContent Content { get; }

    public IReadOnlyList<SyntheticCorridor> Corridors { get; }

    public SyntheticCorridor Corridor => Corridors[0];

    public NuPlanMap Load() => NuPlanMap.Build(Gpkg.GpkgMapReader.Read(MapPath, Location), MapPath);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
