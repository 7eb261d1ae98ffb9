using System.Collections.Concurrent;
using NuPlanBus.Maps.Gpkg;

namespace NuPlanBus.Maps;

/// <summary>
/// Maps loaded once per process: the first scenario that needs (root, version set, location) reads the file and
/// builds the indexes, every later one — on any thread — shares the same <see cref="NuPlanMap"/>. A map that
/// failed to load is not cached, so a corrected file is picked up by the next request.
/// </summary>
public sealed class MapProvider
{
    private readonly ConcurrentDictionary<(string Root, string Version, string Location), Lazy<NuPlanMap>> _maps = new();

    /// <summary>The process-wide provider.</summary>
    public static MapProvider Shared { get; } = new();

    public int LoadedCount => _maps.Values.Count(m => m.IsValueCreated);

    public NuPlanMap Get(MapsRoot root, string location)
    {
        ArgumentNullException.ThrowIfNull(root);
        var name = MapsRoot.Normalise(location);
        var key = (root.Root, root.MapVersion, name);
        var lazy = _maps.GetOrAdd(key, k => new Lazy<NuPlanMap>(() => Load(root, k.Location), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch
        {
            _maps.TryRemove(new KeyValuePair<(string, string, string), Lazy<NuPlanMap>>(key, lazy));
            throw;
        }
    }

    /// <summary>
    /// The map of <paramref name="location"/> under a run's maps root, or null when <paramref name="allowMissing"/>
    /// and the root does not hold it (those scenarios are scored without map metrics).
    /// </summary>
    public NuPlanMap? Find(string root, string version, bool allowMissing, string location)
    {
        var mapsRoot = new MapsRoot(root, version);
        return allowMissing && !mapsRoot.Has(location) ? null : Get(mapsRoot, location);
    }

    private static NuPlanMap Load(MapsRoot root, string location)
    {
        var path = root.Resolve(location);
        return NuPlanMap.Build(GpkgMapReader.Read(path, location), path);
    }
}
