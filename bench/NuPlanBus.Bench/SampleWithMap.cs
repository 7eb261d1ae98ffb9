using System.Diagnostics;
using NuPlanBus.Domain.Scenarios;
using NuPlanBus.Maps;
using NuPlanBus.Scenarios;
using NuPlanBus.Scenarios.Synthetic;

namespace NuPlanBus.Bench;

/// <summary>
/// The generated sample's first log and its map in a temporary directory, for the benchmarks that need a map: the map
/// is loaded once (its load time kept) and a few distinct scenarios are loaded up front. Disposing deletes the directory.
/// </summary>
public sealed class SampleWithMap : IDisposable
{
    private const int DistinctScenarios = 8;

    private readonly string _directory;

    public SampleWithMap(string prefix, int seed)
    {
        _directory = Directory.CreateTempSubdirectory(prefix).FullName;
        try
        {
            SampleDataset.Generate(_directory, 1, seed);
            var started = Stopwatch.GetTimestamp();
            Map = new MapProvider().Get(new MapsRoot(SampleDataset.MapsDirectory(_directory)), SampleDataset.MapName);
            MapLoad = Stopwatch.GetElapsedTime(started);
            Scenarios = [.. ScenarioCatalog.BuildFromDirectory(_directory, new ScenarioFilter { ScenarioTypes = ScenarioTypes.All })
                .Take(DistinctScenarios).Select(r => (IScenario)ScenarioCatalog.LoadScenario(r))];
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public NuPlanMap Map { get; } = null!;

    public TimeSpan MapLoad { get; }

    public IScenario[] Scenarios { get; } = [];

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
