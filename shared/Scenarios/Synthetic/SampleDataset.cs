using System.Globalization;
using NuPlanBus.Domain.Errors;

namespace NuPlanBus.Scenarios.Synthetic;

/// <summary>A small dataset of synthetic logs with nuPlan-style names, for demos and end-to-end tests.</summary>
public static class SampleDataset
{
    /// <summary>
    /// Writes <paramref name="logCount"/> logs into <paramref name="directory"/> (12 situations each, about 18
    /// typed scenarios per log) and returns their paths in sorted order. Same seed ⇒ same names and content.
    /// </summary>
    public static IReadOnlyList<string> Generate(string directory, int logCount, int seed, string mapName = "us-nv-las-vegas-strip")
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
                MapName = mapName,
                VehicleName = vehicle,
                StartTime = start,
                SituationCount = 12,
            };
            var path = Path.Combine(directory, name + ".db");
            SyntheticLogGenerator.Generate(path, options);
            paths.Add(Path.GetFullPath(path));
        }
        paths.Sort(StringComparer.Ordinal);
        return paths;
    }
}
