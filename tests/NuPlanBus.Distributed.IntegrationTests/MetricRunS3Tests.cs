using Amazon.S3.Model;
using NuPlanBus.Common.Experiments;
using NuPlanBus.Common.IntegrationTests;
using NuPlanBus.Common.Storage;
using NuPlanBus.Scenarios.Synthetic;
using NuPlanBus.Testing;

namespace NuPlanBus.Distributed.IntegrationTests;

/// <summary><c>nuplanbus metrics</c> over simulation logs kept on S3 (a real S3 API, moto).</summary>
public sealed class MetricRunS3Tests(MotoServer moto) : IClassFixture<MotoServer>
{
    [Fact]
    public async Task Metrics_over_an_S3_prefix_of_simulation_logs_reproduce_the_run_metric_files()
    {
        var root = Directory.CreateTempSubdirectory("nuplanbus-metrics-s3-").FullName;
        var dataset = Path.Combine(root, "data");
        SampleDataset.Generate(dataset, logCount: 1, seed: 41);
        var cli = ServicePaths.Assembly("coordinator");
        var simulated = await Processes.RunAsync(
            "dotnet", [cli, "simulate", "--dataset", dataset, "--output", root, "--name", "original", "--limit", "5"], TimeSpan.FromMinutes(3));
        Assert.True(simulated.ExitCode == 0, simulated.Output);
        var original = Path.Combine(root, "original");

        var bucket = await moto.CreateBucketAsync("logs-" + Guid.NewGuid().ToString("N")[..12]);
        using var client = S3Storage.CreateClient(moto.Options());
        var logDirectory = Path.Combine(original, RunLayout.SimulationLogDirectoryName);
        foreach (var file in Directory.GetFiles(logDirectory, "*", SearchOption.AllDirectories))
        {
            var key = "archive/" + Path.GetRelativePath(logDirectory, file).Replace(Path.DirectorySeparatorChar, '/');
            await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, FilePath = file });
        }

        var recomputed = await Processes.RunAsync(
            "dotnet",
            // Logs on S3 record no maps root: name the one the original run used.
            [cli, "metrics", $"s3://{bucket}/archive", "--output", root, "--name", "from-s3", "--maps-root", SampleDataset.MapsDirectory(dataset)],
            TimeSpan.FromMinutes(3),
            new Dictionary<string, string>
            {
                ["Storage__S3__ServiceUrl"] = moto.Url,
                ["Storage__S3__ForcePathStyle"] = "true",
                ["Storage__S3__Region"] = "us-east-1",
                ["AWS_ACCESS_KEY_ID"] = "testing",
                ["AWS_SECRET_ACCESS_KEY"] = "testing",
            });

        Assert.True(recomputed.ExitCode == 0, recomputed.Output);
        var expected = Directory.GetFiles(Path.Combine(original, "metrics", "scenarios"), "*.json");
        Assert.Equal(5, expected.Length);
        foreach (var file in expected)
        {
            var twin = Path.Combine(root, "from-s3", "metrics", "scenarios", Path.GetFileName(file));
            Assert.Equal(await File.ReadAllBytesAsync(file), await File.ReadAllBytesAsync(twin));
        }
        Directory.Delete(root, recursive: true);
    }
}
