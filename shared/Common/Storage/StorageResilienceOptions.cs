using NuPlanBus.Domain.Errors;

namespace NuPlanBus.Common.Storage;

/// <summary>How storage operations are retried, bounded in time and short-circuited (configuration section "Storage:Resilience").</summary>
public sealed class StorageResilienceOptions
{
    /// <summary>Upper bound on one whole operation, all attempts and back-off sleeps included.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The same bound for bulk transfers (downloads and uploads of files, multipart writes), which may be gigabytes.</summary>
    public TimeSpan TransferTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Bound on a single attempt of a non-transfer operation; a hung connection is abandoned and retried. Null: none.</summary>
    public TimeSpan? AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after the first attempt (the total timeout usually ends the sequence first).</summary>
    public int MaxRetryAttempts { get; set; } = 8;

    /// <summary>Median first back-off; later ones grow exponentially with decorrelated jitter.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Open the circuit when at least this fraction of attempts failed transiently within <see cref="CircuitSamplingDuration"/>.</summary>
    public double CircuitFailureRatio { get; set; } = 0.5;

    /// <summary>Attempts needed in the sampling window before the circuit may open.</summary>
    public int CircuitMinimumThroughput { get; set; } = 20;

    public TimeSpan CircuitSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit rejects calls at once before letting a probe through.</summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <exception cref="ConfigurationException">A value out of range.</exception>
    public void Validate()
    {
        static void Require(bool condition, string message)
        {
            if (!condition)
            {
                throw new ConfigurationException($"Storage resilience: {message}");
            }
        }

        Require(TotalTimeout >= TimeSpan.FromMilliseconds(10), "TotalTimeout must be at least 10 ms.");
        Require(TransferTimeout >= TimeSpan.FromMilliseconds(10), "TransferTimeout must be at least 10 ms.");
        Require(AttemptTimeout is null || AttemptTimeout >= TimeSpan.FromMilliseconds(10), "AttemptTimeout must be at least 10 ms.");
        Require(MaxRetryAttempts >= 0, "MaxRetryAttempts must not be negative.");
        Require(BaseDelay >= TimeSpan.Zero && MaxDelay >= BaseDelay, "BaseDelay must be non-negative and not above MaxDelay.");
        Require(CircuitFailureRatio is > 0 and <= 1, "CircuitFailureRatio must be in (0, 1].");
        Require(CircuitMinimumThroughput >= 2, "CircuitMinimumThroughput must be at least 2.");
        Require(CircuitSamplingDuration >= TimeSpan.FromMilliseconds(500), "CircuitSamplingDuration must be at least 0.5 s.");
        Require(CircuitBreakDuration >= TimeSpan.FromMilliseconds(500), "CircuitBreakDuration must be at least 0.5 s.");
    }
}
