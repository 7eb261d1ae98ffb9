using Microsoft.Extensions.Logging.Abstractions;
using NuPlanBus.Common.Storage;
using NuPlanBus.Contracts;
using NuPlanBus.Hosting.Observability;
using Prometheus;

namespace NuPlanBus.StorageGateway.Tests;

public sealed class StorageMetricsTests
{
    [Fact]
    public async Task The_adapter_counts_operations_retries_and_failures_by_backend_and_operation()
    {
        using var metrics = new NuPlanBusMetrics("storage-gateway-test");
        var adapter = new PrometheusStorageMetrics(metrics, NullLogger<PrometheusStorageMetrics>.Instance);

        adapter.OperationCompleted("s3", StorageOperation.Read, succeeded: true, TimeSpan.FromMilliseconds(3));
        adapter.OperationCompleted("s3", StorageOperation.Read, succeeded: false, TimeSpan.FromMilliseconds(3));
        adapter.RetryScheduled("s3", StorageOperation.Read, 1, TimeSpan.FromMilliseconds(10), null);
        adapter.OperationCompleted("local", StorageOperation.CreateIfAbsent, succeeded: true, TimeSpan.Zero);
        adapter.CircuitStateChanged("s3", open: true);

        var text = await ExportAsync(metrics.Registry);
        Assert.Contains("nuplanbus_storage_operations_total{backend=\"s3\",operation=\"read\"} 2", text);
        Assert.Contains("nuplanbus_storage_failures_total{backend=\"s3\",operation=\"read\"} 1", text);
        Assert.Contains("nuplanbus_storage_retries_total{backend=\"s3\",operation=\"read\"} 1", text);
        Assert.Contains("nuplanbus_storage_operations_total{backend=\"local\",operation=\"create_if_absent\"} 1", text);
    }

    [Fact]
    public async Task The_gateways_storage_reports_into_the_registered_metrics()
    {
        await using var gateway = await GatewayHarness.StartAsync();
        gateway.WriteFile("d/a.txt", TimeSpan.Zero);

        await gateway.RequestAsync<CheckStoragePath, StoragePathChecked>(new CheckStoragePath { Path = Path.Combine(gateway.Root, "d") });
        await gateway.RequestAsync<CheckStoragePath, StoragePathChecked>(new CheckStoragePath { Path = Path.Combine(gateway.Root, "d", "a.txt", "x") });

        var text = await ExportAsync(gateway.Metrics.Registry);
        // The directory: exists as file (no), exists with directories (yes), list; the bad path: exists twice.
        Assert.Contains("nuplanbus_storage_operations_total{backend=\"local\",operation=\"exists\"} 4", text);
        Assert.Contains("nuplanbus_storage_operations_total{backend=\"local\",operation=\"list\"} 1", text);
    }

    private static async Task<string> ExportAsync(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
