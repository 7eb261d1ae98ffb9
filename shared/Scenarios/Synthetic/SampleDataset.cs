using System.Globalization;
using NuPlanBus.Domain.Errors;

namespace NuPlanBus.Scenarios.Synthetic;

/// <summary>
/// A small dataset of synthetic logs with nuPlan-style names, for demos and end-to-end tests, with their map: every
/// log drives its own corridor of the <see cref="MapName"/> map, written in the devkit's layout under
/// <see cref="MapsDirectory"/> (<c>&lt;directory&gt;/maps</c>), so the dataset is scored with every map metric.
/// </summary>
public static class SampleDataset
{
    /// <summary>The location (<c>log.map_version</c>) of the sample logs' map.</summary>
    public const string MapName = "synthetic-town";

    /// <summary>Its map version under the maps root.</summary>
    public const string MapVersion = "1.0";

    /// <summary>Its projected frame, UTM 11N as Las Vegas (the corridors lie far from real map coordinates).</summary>
    public const int MapEpsg = 32611;

    /// <summary>The maps root the generator writes beside the logs.</summary>
    public static string MapsDirectory(string directory) => Path.Combine(directory, "maps");

    /// <summary>
    /// Writes <paramref name="logCount"/> logs into <paramref name="directory"/> (12 situations each, about 18
    /// typed scenarios per log) and their map into <see cref="MapsDirectory"/>, and returns the logs' paths in sorted
    /// order. Same seed ⇒ same names and content.
    /// </summary>
    public static IReadOnlyList<string> Generate(string directory, int logCount, int seed)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (logCount < 1)
        {
            throw new ConfigurationException($"A sample dataset needs at least one log, got {logCount}.");
        }
        Directory.CreateDirectory(directory);
        var random = new Random(seed);
        var start = new DateTimeOffset(2021, 5, 12, 19, 36, 12, TimeSpan.Zero).AddDays(random.Next(0, 60));
        var paths = new List<string>(logCount);
        var map = new Maps.Synthetic.SyntheticMapBuilder(MapName, MapEpsg);
        for (var i = 0; i < logCount; i++)
        {
            start = start.AddMinutes(random.Next(20, 240)).AddSeconds(random.Next(0, 60));
            var vehicle = $"veh-{random.Next(12, 50)}";
            var first = random.Next(1, 3000);
            var last = first + random.Next(300, 500);
            var name = string.Create(
                CultureInfo.InvariantCulture, $"{start:yyyy.MM.dd.HH.mm.ss}_{vehicle}_{first:D5}_{last:D5}");
            var options = new SyntheticLogOptions
            {
                Seed = random.Next(),
                LogName = name,
                MapName = MapName,
                CorridorIndex = i,
                VehicleName = vehicle,
                StartTime = start,
                SituationCount = 12,
            };
            var path = Path.Combine(directory, name + ".db");
            var summary = SyntheticLogGenerator.Generate(path, options);
            summary.Corridor!.AddTo(map);
            paths.Add(Path.GetFullPath(path));
        }
        map.Write(MapsDirectory(directory), MapVersion);
        paths.Sort(StringComparer.Ordinal);
        return paths;
    }
}
