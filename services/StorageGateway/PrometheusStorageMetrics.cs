using Microsoft.Extensions.Logging;
using NuPlanBus.Common.Storage;
using NuPlanBus.Hosting.Observability;

namespace NuPlanBus.StorageGateway;

/// <summary>Exports the storage back ends' events as <c>nuplanbus_storage_{operations,retries,failures}_total</c>.</summary>
public sealed class PrometheusStorageMetrics(NuPlanBusMetrics metrics, ILogger<PrometheusStorageMetrics> logger) : IStorageMetrics
{
    public void OperationCompleted(string backend, StorageOperation operation, bool succeeded, TimeSpan duration)
    {
        var name = operation.ToName();
        metrics.StorageOperation(backend, name);
        if (!succeeded)
        {
            metrics.StorageFailure(backend, name);
        }
    }

    public void RetryScheduled(string backend, StorageOperation operation, int attemptNumber, TimeSpan delay, Exception? error) =>
        metrics.StorageRetry(backend, operation.ToName());

    public void CircuitStateChanged(string backend, bool open)
    {
        if (open)
        {
            logger.LogWarning("Storage circuit breaker for {Backend} opened", backend);
        }
        else
        {
            logger.LogInformation("Storage circuit breaker for {Backend} closed", backend);
        }
    }
}
