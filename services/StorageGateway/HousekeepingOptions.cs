using System.ComponentModel.DataAnnotations;

namespace NuPlanBus.StorageGateway;

/// <summary>The periodic clean-up of <see cref="HousekeepingService"/> (section "StorageGateway:Housekeeping"); off unless enabled.</summary>
public sealed class HousekeepingOptions : IValidatableObject
{
    public const string Section = "StorageGateway:Housekeeping";

    public bool Enabled { get; set; }

    /// <summary>Time between two passes; the first pass runs one interval after start, when the bus is up.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Synchronization roots (local paths or s3:// URIs) whose <c>barrier/</c> and <c>tokens/</c> folders are cleaned.</summary>
    public List<string> SyncRoots { get; set; } = [];

    /// <summary>Output roots (local paths or s3:// URIs) whose run directories are subject to retention.</summary>
    public List<string> OutputRoots { get; set; } = [];

    /// <summary>Barrier markers, outcome files and token CSVs older than this are deleted.</summary>
    public TimeSpan SyncMaxAge { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Run directories whose newest file is older than this are deleted.</summary>
    public TimeSpan RunMaxAge { get; set; } = TimeSpan.FromDays(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Interval <= TimeSpan.Zero)
        {
            yield return new ValidationResult("Interval must be positive.", [nameof(Interval)]);
        }
        if (SyncMaxAge <= TimeSpan.Zero)
        {
            yield return new ValidationResult("SyncMaxAge must be positive.", [nameof(SyncMaxAge)]);
        }
        if (RunMaxAge <= TimeSpan.Zero)
        {
            yield return new ValidationResult("RunMaxAge must be positive.", [nameof(RunMaxAge)]);
        }
        foreach (var root in SyncRoots.Concat(OutputRoots))
        {
            if (!Common.Storage.StoragePath.TryParse(root, out _))
            {
                yield return new ValidationResult($"'{root}' is neither a local path nor an s3://bucket/key URI.", [nameof(SyncRoots), nameof(OutputRoots)]);
            }
        }
    }
}
