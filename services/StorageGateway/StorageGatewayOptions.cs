using System.ComponentModel.DataAnnotations;

namespace NuPlanBus.StorageGateway;

/// <summary>Configuration of the StorageGateway (section "StorageGateway").</summary>
public sealed class StorageGatewayOptions
{
    public const string Section = "StorageGateway";

    /// <summary>Upper bound on <c>ListStoragePath.MaxEntries</c>: keeps one answer well below the broker's message size limit.</summary>
    [Range(1, 100_000)]
    public int MaxListEntries { get; set; } = 10_000;
}
