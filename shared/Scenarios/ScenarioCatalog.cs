using NuPlanBus.Domain.Errors;
using NuPlanBus.Domain.Scenarios;

namespace NuPlanBus.Scenarios;

/// <summary>
/// Builds the scenario list of a run from log files, replicating the devkit's scenario builder (docs/nuplan-simulation.md §2.4):
/// log-name filter before opening, per-file SQL enumeration, grouping by type, then per-type cap, total limit and
/// timestamp spacing, and finally a list sorted by token (shuffled when asked).
/// </summary>
public static class ScenarioCatalog
{
    /// <summary>All <c>*.db</c> files directly in <paramref name="directory"/>, in ordinal path order.</summary>
    public static IReadOnlyList<string> DiscoverLogs(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var full = Path.GetFullPath(directory);
        if (!Directory.Exists(full))
        {
            throw new ScenarioDataException(full, File.Exists(full) ? "is a file, not a dataset directory" : "dataset directory does not exist");
        }
        var files = Directory.GetFiles(full, "*.db", SearchOption.TopDirectoryOnly);
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }

    /// <summary>Builds the scenario list from every <c>*.db</c> file of a directory.</summary>
    public static IReadOnlyList<ScenarioReference> BuildFromDirectory(string directory, ScenarioFilter filter) =>
        Build(DiscoverLogs(directory), filter);

    /// <summary>Builds the scenario list from log files (duplicates ignored, processed in ordinal path order).</summary>
    public static IReadOnlyList<ScenarioReference> Build(IEnumerable<string> logPaths, ScenarioFilter filter)
    {
        ArgumentNullException.ThrowIfNull(logPaths);
        ArgumentNullException.ThrowIfNull(filter);
        filter.Validate();

        var paths = logPaths.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal).ToList();
        paths.Sort(StringComparer.Ordinal);
        if (filter.LogNames.Count > 0)
        {
            var wanted = new HashSet<string>(filter.LogNames, StringComparer.Ordinal);
            paths = paths.Where(p => wanted.Contains(Path.GetFileNameWithoutExtension(p))).ToList();
        }

        var query = filter.ToQuery();
        var byType = new ScenarioGroups();
        foreach (var path in paths)
        {
            using var database = NuPlanLogDatabase.Open(path);
            foreach (var scenario in database.EnumerateScenarios(query))
            {
                byType.Add(scenario);
            }
        }

        var random = new Random(filter.Seed);
        if (filter.NumScenariosPerType is { } perType)
        {
            byType.CapPerType(perType, filter.Shuffle, random);
        }
        if (filter.LimitTotalScenarios is { } limit)
        {
            byType = byType.LimitTotal(limit, filter.Shuffle, random);
        }
        if (filter.TimestampThresholdS is { } threshold)
        {
            byType.SpaceByTimestamp(threshold);
        }

        var result = byType.Flatten();
        if (filter.Shuffle)
        {
            random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(result));
        }
        return result;
    }

    /// <summary>Opens the scenario's log and loads it with the type's default extraction.</summary>
    public static RecordedScenario LoadScenario(ScenarioReference reference, ScenarioExtraction? extraction = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        using var database = NuPlanLogDatabase.Open(reference.LogPath);
        return database.LoadScenario(reference, extraction);
    }

    /// <summary>Equisampling as the devkit does it: every ⌊n/k⌋-th element from the first, truncated to k.</summary>
    internal static List<T> Equisample<T>(List<T> items, int keep)
    {
        var step = Math.Max(items.Count / keep, 1);
        var kept = new List<T>(Math.Min(keep, items.Count));
        for (var i = 0; i < items.Count && kept.Count < keep; i += step)
        {
            kept.Add(items[i]);
        }
        return kept;
    }

    internal static List<T> RandomSample<T>(List<T> items, int keep, Random random)
    {
        var copy = items.ToArray();
        random.Shuffle(copy);
        return copy.Take(keep).ToList();
    }

    /// <summary>Type → scenarios, types in first-seen order (Python dict semantics).</summary>
    private sealed class ScenarioGroups
    {
        private readonly List<string> _order = [];
        private readonly Dictionary<string, List<ScenarioReference>> _groups = new(StringComparer.Ordinal);

        public void Add(ScenarioReference scenario)
        {
            if (!_groups.TryGetValue(scenario.ScenarioType, out var list))
            {
                list = [];
                _groups[scenario.ScenarioType] = list;
                _order.Add(scenario.ScenarioType);
            }
            list.Add(scenario);
        }

        public int Count => _groups.Values.Sum(g => g.Count);

        public void CapPerType(int perType, bool shuffle, Random random)
        {
            foreach (var type in _order)
            {
                var list = _groups[type];
                _groups[type] = shuffle && perType < list.Count
                    ? RandomSample(list, perType, random)
                    : Equisample(list, perType);
            }
        }

        /// <summary>
        /// The devkit's total limit: a count keeps ⌈limit / NUM_NODES⌉ (one node here) only when that is fewer than
        /// the total; a fraction keeps ⌈f · total⌉. <c>unknown</c> scenarios go first; typed ones are thinned
        /// only when dropping every unknown is not enough, from the token-sorted list.
        /// </summary>
        public ScenarioGroups LimitTotal(double limit, bool shuffle, Random random)
        {
            var total = Count;
            int required;
            if (limit >= 1)
            {
                required = (int)limit;
                if (required >= total)
                {
                    return this;
                }
            }
            else
            {
                required = (int)Math.Ceiling(limit * total);
            }
            if (total == 0 || required == 0)
            {
                return new ScenarioGroups();
            }
            if (_groups.TryGetValue(ScenarioTypes.Unknown, out var unknown))
            {
                if (total - required < unknown.Count)
                {
                    var keepUnknown = unknown.Count - (total - required);
                    _groups[ScenarioTypes.Unknown] = shuffle ? RandomSample(unknown, keepUnknown, random) : Equisample(unknown, keepUnknown);
                    return this;
                }
                _groups.Remove(ScenarioTypes.Unknown);
                _order.Remove(ScenarioTypes.Unknown);
            }
            var remaining = Flatten();
            var kept = shuffle ? RandomSample(remaining, required, random) : Equisample(remaining, required);
            var regrouped = new ScenarioGroups();
            foreach (var scenario in kept)
            {
                regrouped.Add(scenario);
            }
            return regrouped;
        }

        /// <summary>Per type, by anchor time: keep one, then skip anchors closer than the threshold to it.</summary>
        public void SpaceByTimestamp(double thresholdS)
        {
            foreach (var type in _order)
            {
                var list = _groups[type];
                if (list.Count == 0)
                {
                    continue;
                }
                var sorted = list.OrderBy(s => s.TimestampUs).ToList();
                var kept = new List<ScenarioReference>(sorted.Count);
                var next = sorted[0].TimestampUs * 1e-6;
                foreach (var scenario in sorted)
                {
                    var time = scenario.TimestampUs * 1e-6;
                    if (time >= next)
                    {
                        kept.Add(scenario);
                        next = time + thresholdS;
                    }
                }
                _groups[type] = kept;
            }
        }

        /// <summary>All scenarios sorted by token (ordinal, as Python sorts strings); ties keep log order.</summary>
        public List<ScenarioReference> Flatten()
        {
            var all = new List<ScenarioReference>(Count);
            foreach (var type in _order)
            {
                all.AddRange(_groups[type]);
            }
            return all.OrderBy(s => s.Token, StringComparer.Ordinal).ToList();
        }
    }
}
