namespace NuPlanBus.Common.Storage;

/// <summary>Picks the back end that serves a path.</summary>
public interface IStorageResolver
{
    IStorage Resolve(StoragePath path);
}
