using Microsoft.Extensions.Logging;
using NuPlanBus.Contracts;
using NuPlanBus.Domain.Errors;
using NuPlanBus.Maps;

namespace NuPlanBus.Coordinator.Submissions;

/// <summary>
/// Checks, before any work, that every map a run's scenarios need is under its maps root and readable: a missing
/// map rejects the run naming the map and the paths searched (or, with <see cref="MapSpec.AllowMissing"/>, leaves
/// those scenarios without map metrics, said in the log); a corrupt map rejects it naming the file and layer. Each
/// map is loaded through the process's <see cref="MapProvider"/>, so an embedded run reads it once for everything.
/// </summary>
public sealed class MapAvailability(MapProvider maps, ILogger<MapAvailability> logger)
{
    /// <summary>Throws unless every map of <paramref name="mapNames"/> loads or is missing and allowed to be.</summary>
    public void Check(MapSpec? spec, IEnumerable<string> mapNames)
    {
        if (spec is null)
        {
            return;
        }
        if (spec.Root.StartsWith("s3:", StringComparison.Ordinal))
        {
            throw new ConfigurationException($"The maps root must be a directory the services can read, not '{spec.Root}'.");
        }
        var root = new MapsRoot(spec.Root, spec.Version);
        foreach (var name in mapNames.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (spec.AllowMissing && !root.Has(name))
            {
                logger.LogWarning("Map {Map} is not under {MapsRoot}: its scenarios are scored without map metrics", name, root);
                continue;
            }
            maps.Find(spec.Root, spec.Version, allowMissing: false, name);
        }
    }
}
