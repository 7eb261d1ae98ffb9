namespace NuPlanBus.Deployment.Tests;

/// <summary>The chart lints strictly, renders valid Kubernetes objects, and its values schema refuses bad values.</summary>
public class ChartValidityTests
{
    [Fact]
    public void Helm_lint_strict_passes_with_the_default_values()
    {
        var result = ChartTool.Lint();
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("0 chart(s) failed", result.Output);
    }

    [Fact]
    public void Helm_lint_strict_passes_with_every_option_enabled()
    {
        var result = ChartTool.Lint(ChartTool.AllOptionsValues);
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("0 chart(s) failed", result.Output);
    }

    [Theory]
    [MemberData(nameof(Manifests.Both), MemberType = typeof(Manifests))]
    public void Rendered_objects_are_valid_against_the_Kubernetes_schemas(string configuration)
    {
        var rendered = Manifests.Get(configuration);
        foreach (var service in Manifests.Services)
        {
            foreach (var kind in new[] { "Deployment", "Service", "ConfigMap", "NetworkPolicy" })
            {
                rendered.Single(kind, service);
            }
        }
    }

    [Fact]
    public void Optional_objects_are_rendered_only_when_enabled()
    {
        var kinds = new[] { "ServiceMonitor", "PrometheusRule", "ScaledObject", "TriggerAuthentication", "Job" };
        foreach (var kind in kinds)
        {
            Assert.Empty(Manifests.Default.OfKind(kind));
            Assert.NotEmpty(Manifests.AllOptions.OfKind(kind));
        }
        Assert.Equal(4, Manifests.AllOptions.OfKind("ServiceMonitor").Count());
        Assert.DoesNotContain(Manifests.Default.OfKind("ConfigMap"), c => c["data"]?["nuplanbus-dashboard.json"] is not null);
        Assert.Contains(Manifests.AllOptions.OfKind("ConfigMap"), c => c["data"]?["nuplanbus-dashboard.json"] is not null);
    }

    [Fact]
    public void The_install_notes_render_and_name_the_secrets_to_create()
    {
        // NOTES.txt is rendered only by install and upgrade; a client-side dry run needs no cluster.
        var result = ChartTool.Helm("install", ChartTool.Release, ChartTool.ChartDirectory, "--dry-run=client",
            "--namespace", ChartTool.Namespace, "-f", ChartTool.AllOptionsValues);
        Assert.True(result.ExitCode == 0, result.Output);
        var notes = result.Stdout[result.Stdout.IndexOf("NOTES:", StringComparison.Ordinal)..];
        Assert.Contains("create secret generic rabbitmq-credentials", notes);
        Assert.Contains("create secret generic nuplanbus-postgres", notes);
        Assert.Contains("create secret generic s3-credentials", notes);
        Assert.Contains("CUDA, 2 GPU(s) per pod", notes);
        Assert.Contains("consumer_timeout", notes); // partitionTimeoutSeconds 3600 exceeds RabbitMQ's default 30 minutes
        Assert.Contains("Batch job eval-2024-06-01", notes);
    }

    [Theory]
    [InlineData("image:\n  tag: latest\n", "/image/tag")]
    [InlineData("image:\n  tag: 0.1.0-latest\n", "/image/tag")]
    [InlineData("replicaCount: 3\n", "replicaCount")]
    [InlineData("simWorker:\n  gpu:\n    enabled: true\n    gpus: 2\n", "gpus")]
    [InlineData("simWorker:\n  partitionTimeoutSeconds: \"1500\"\n", "/simWorker/partitionTimeoutSeconds")]
    [InlineData("rabbitMq:\n  password: guest\n", "password")]
    [InlineData("batchJob:\n  enabled: true\n", "/batchJob/jobId")]
    [InlineData("coordinator:\n  partitionDeadlineSeconds: 700000\n", "/coordinator/partitionDeadlineSeconds")]
    [InlineData("coordinator:\n  resources:\n    limits:\n      memory: 1Gb\n", "/coordinator/resources/limits/memory")]
    public void The_values_schema_rejects_bad_values(string values, string expectedInError)
    {
        var result = ChartTool.WithValuesFile(values, file => ChartTool.Lint(file));
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("schema", result.Output);
        Assert.Contains(expectedInError, result.Output);
    }

    [Fact]
    public void A_moving_image_tag_is_refused_even_when_it_bypasses_the_schema()
    {
        // The templates guard the tag too, for one that reaches them without the schema (skipped validation, or an
        // appVersion of "latest"). helm lint only logs a template's fail(); template, install and upgrade stop on it.
        var result = ChartTool.Helm("template", ChartTool.Release, ChartTool.ChartDirectory, "--skip-schema-validation", "--set", "image.tag=latest");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("image tag \"latest\" is not allowed", result.Output);
    }

    [Fact]
    public void Every_value_in_values_yaml_is_described_by_the_schema()
    {
        // The schema rejects unknown keys at every level, so values.yaml linting clean means the schema covers it;
        // this pins that the top level is closed and every top-level key is typed.
        var schema = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(ChartTool.ChartDirectory, "values.schema.json")))!;
        Assert.Equal("http://json-schema.org/draft-07/schema#", (string?)schema["$schema"]);
        Assert.False((bool)schema["additionalProperties"]!);
        var properties = schema["properties"]!.AsObject();
        var topLevelKeys = File.ReadAllLines(Path.Combine(ChartTool.ChartDirectory, "values.yaml"))
            .Where(l => l.Length > 0 && char.IsLetter(l[0]) && l.Contains(':'))
            .Select(l => l[..l.IndexOf(':')]);
        foreach (var key in topLevelKeys)
        {
            Assert.True(properties.ContainsKey(key), $"values.schema.json does not describe '{key}'");
            Assert.True(properties[key]!["type"] is not null || properties[key]!["$ref"] is not null, $"'{key}' has no type");
        }
    }
}
