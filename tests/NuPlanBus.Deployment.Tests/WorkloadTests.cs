using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NuPlanBus.Deployment.Tests;

/// <summary>What the rendered workloads promise: probes, security, labels, credentials by reference, pinned images, GPUs.</summary>
public class WorkloadTests
{
    private static readonly string AppVersion = Regex.Match(
        File.ReadAllText(Path.Combine(ChartTool.ChartDirectory, "Chart.yaml")), "^appVersion: \"?([^\"\\s]+)\"?", RegexOptions.Multiline).Groups[1].Value;

    private static JsonObject Container(JsonObject podSpec) => Assert.Single(podSpec["containers"]!.AsArray())!.AsObject();

    private static Dictionary<string, JsonNode?> Env(JsonObject container) =>
        (container["env"]?.AsArray() ?? []).ToDictionary(e => (string)e!["name"]!, e => e);

    private static JsonObject ConfigData(ChartTool.Rendered rendered, string service) =>
        rendered.Single("ConfigMap", service)["data"]!.AsObject();

    [Theory]
    [MemberData(nameof(Manifests.Both), MemberType = typeof(Manifests))]
    public void Every_deployment_probes_live_and_ready_on_the_management_port(string configuration)
    {
        var rendered = Manifests.Get(configuration);
        foreach (var service in Manifests.Services)
        {
            var container = Container(rendered.Single("Deployment", service)["spec"]!["template"]!["spec"]!.AsObject());
            var port = Assert.Single(container["ports"]!.AsArray())!;
            Assert.Equal("management", (string?)port["name"]);
            Assert.Equal(8081, (int)port["containerPort"]!);
            Assert.Equal("/health/live", (string?)container["livenessProbe"]!["httpGet"]!["path"]);
            Assert.Equal("/health/ready", (string?)container["readinessProbe"]!["httpGet"]!["path"]);
            Assert.Equal("management", (string?)container["livenessProbe"]!["httpGet"]!["port"]);
            Assert.Equal("management", (string?)container["readinessProbe"]!["httpGet"]!["port"]);

            var svc = rendered.Single("Service", service);
            Assert.Equal("management", (string?)Assert.Single(svc["spec"]!["ports"]!.AsArray())!["targetPort"]);
        }
    }

    [Theory]
    [MemberData(nameof(Manifests.Both), MemberType = typeof(Manifests))]
    public void Every_pod_runs_non_root_on_a_read_only_root_without_capabilities(string configuration)
    {
        foreach (var (workload, pod) in Manifests.Get(configuration).PodSpecs())
        {
            Assert.True((bool)pod["securityContext"]!["runAsNonRoot"]!, workload);
            Assert.Equal("RuntimeDefault", (string?)pod["securityContext"]!["seccompProfile"]!["type"]);
            Assert.False((bool)pod["automountServiceAccountToken"]!, workload);
            var container = Container(pod);
            var security = container["securityContext"]!;
            Assert.True((bool)security["runAsNonRoot"]!, workload);
            Assert.True((bool)security["readOnlyRootFilesystem"]!, workload);
            Assert.False((bool)security["allowPrivilegeEscalation"]!, workload);
            Assert.Equal(["ALL"], security["capabilities"]!["drop"]!.AsArray().Select(c => (string)c!));
            Assert.Null(security["capabilities"]!["add"]);
            Assert.Equal("RuntimeDefault", (string?)security["seccompProfile"]!["type"]);

            // The only writable paths are emptyDir volumes, /tmp and /data, and the shared runs volume when one is named.
            var mounts = container["volumeMounts"]!.AsArray().ToDictionary(m => (string)m!["mountPath"]!, m => (string)m!["name"]!);
            Assert.Equal(["/data", "/tmp"], mounts.Keys.Where(k => k != "/runs").Order());
            var volumes = pod["volumes"]!.AsArray().ToDictionary(v => (string)v!["name"]!, v => v!);
            foreach (var name in mounts.Values.Where(n => n != "runs"))
            {
                Assert.NotNull(volumes[name]["emptyDir"]!["sizeLimit"]);
            }
            Assert.NotNull(container["resources"]!["requests"]!["memory"]);
            Assert.NotNull(container["resources"]!["limits"]!["memory"]);
        }
    }

    [Theory]
    [MemberData(nameof(Manifests.Both), MemberType = typeof(Manifests))]
    public void Every_object_carries_the_standard_labels(string configuration)
    {
        foreach (var obj in Manifests.Get(configuration).Objects)
        {
            var labels = obj["metadata"]!["labels"]!.AsObject();
            var where = $"{obj["kind"]}/{obj["metadata"]!["name"]}";
            Assert.Equal("nuplanbus", (string?)labels["app.kubernetes.io/name"]);
            Assert.Equal(ChartTool.Release, (string?)labels["app.kubernetes.io/instance"]);
            Assert.False(string.IsNullOrEmpty((string?)labels["app.kubernetes.io/version"]), where);
            Assert.False(string.IsNullOrEmpty((string?)labels["app.kubernetes.io/component"]), where);
            Assert.Equal("nuplanbus", (string?)labels["app.kubernetes.io/part-of"]);
            Assert.Equal("Helm", (string?)labels["app.kubernetes.io/managed-by"]);
        }
        foreach (var workload in Manifests.Get(configuration).Objects.Where(o => (string?)o["kind"] is "Deployment" or "Job"))
        {
            var podLabels = workload["spec"]!["template"]!["metadata"]!["labels"]!;
            Assert.Equal(ChartTool.Release, (string?)podLabels["app.kubernetes.io/instance"]);
            Assert.Equal((string?)workload["metadata"]!["labels"]!["app.kubernetes.io/component"], (string?)podLabels["app.kubernetes.io/component"]);
            Assert.Equal("nuplanbus", (string?)podLabels["app.kubernetes.io/part-of"]);
        }
    }

    [Theory]
    [MemberData(nameof(Manifests.Both), MemberType = typeof(Manifests))]
    public void Credentials_come_only_from_references_to_existing_secrets(string configuration)
    {
        var rendered = Manifests.Get(configuration);
        Assert.Empty(rendered.OfKind("Secret"));
        var sensitive = new Regex("password|secret|connectionstring|access_key|accesskey|token", RegexOptions.IgnoreCase);
        foreach (var config in rendered.OfKind("ConfigMap"))
        {
            foreach (var (key, _) in config["data"]!.AsObject())
            {
                Assert.False(sensitive.IsMatch(key), $"ConfigMap {config["metadata"]!["name"]} holds {key}");
            }
        }
        foreach (var (workload, pod) in rendered.PodSpecs())
        {
            foreach (var (name, env) in Env(Container(pod)).Where(e => sensitive.IsMatch(e.Key)))
            {
                Assert.True(env!["valueFrom"]?["secretKeyRef"] is not null, $"{workload}: {name} is not read from a Secret");
                Assert.Null(env["value"]);
            }
        }
        var coordinator = Env(Container(rendered.Single("Deployment", "coordinator")["spec"]!["template"]!["spec"]!.AsObject()));
        Assert.NotNull(coordinator["SagaStore__ConnectionString"]!["valueFrom"]!["secretKeyRef"]!["name"]);
        Assert.NotNull(coordinator["Bus__RabbitMq__Password"]!["valueFrom"]!["secretKeyRef"]!["key"]);
    }

    [Fact]
    public void Static_S3_keys_are_referenced_only_when_a_secret_is_named()
    {
        foreach (var (_, pod) in Manifests.Default.PodSpecs())
        {
            Assert.DoesNotContain("AWS_ACCESS_KEY_ID", Env(Container(pod)).Keys);
        }
        foreach (var (workload, pod) in Manifests.AllOptions.PodSpecs())
        {
            var env = Env(Container(pod));
            Assert.Equal("s3-credentials", (string?)env["AWS_ACCESS_KEY_ID"]!["valueFrom"]!["secretKeyRef"]!["name"]);
            Assert.Equal("s3-credentials", (string?)env["AWS_SECRET_ACCESS_KEY"]!["valueFrom"]!["secretKeyRef"]!["name"]);
        }
        var account = Assert.Single(Manifests.AllOptions.OfKind("ServiceAccount"));
        Assert.NotNull(account["metadata"]!["annotations"]!["eks.amazonaws.com/role-arn"]);
    }

    [Fact]
    public void Images_are_pinned_to_the_app_version_by_default_and_never_latest()
    {
        Assert.Matches(@"^\d+\.\d+\.\d+", AppVersion);
        foreach (var (workload, pod) in Manifests.Default.PodSpecs())
        {
            Assert.EndsWith(":" + AppVersion, (string)Container(pod)["image"]!);
        }
        foreach (var (workload, pod) in Manifests.AllOptions.PodSpecs())
        {
            Assert.EndsWith(":0.1.0-rc.1", (string)Container(pod)["image"]!);
        }
        foreach (var text in Manifests.Texts)
        {
            Assert.DoesNotMatch(@"image:.*:latest\b", text);
        }
        Assert.DoesNotContain("latest", File.ReadAllText(Path.Combine(ChartTool.ChartDirectory, "values.yaml")));
    }

    [Fact]
    public void Gpu_resources_are_requested_only_when_gpu_mode_is_on()
    {
        foreach (var (_, defaultPod) in Manifests.Default.PodSpecs())
        {
            var resources = Container(defaultPod)["resources"]!.ToJsonString();
            Assert.DoesNotContain("nvidia.com/gpu", resources);
        }
        Assert.Equal("cpu", (string?)ConfigData(Manifests.Default, "sim-worker")["SimWorker__Device"]);

        var deployment = Manifests.AllOptions.Single("Deployment", "sim-worker");
        var pod = deployment["spec"]!["template"]!["spec"]!.AsObject();
        var container = Container(pod);
        Assert.Equal(2, (int)container["resources"]!["limits"]!["nvidia.com/gpu"]!);
        Assert.Equal(2, (int)container["resources"]!["requests"]!["nvidia.com/gpu"]!);
        Assert.Equal("cuda", (string?)ConfigData(Manifests.AllOptions, "sim-worker")["SimWorker__Device"]);
        Assert.Contains("/sim-worker-cuda:", (string)container["image"]!);
        Assert.Equal("true", (string?)pod["nodeSelector"]!["nvidia.com/gpu.present"]);
        Assert.Equal("amd64", (string?)pod["nodeSelector"]!["kubernetes.io/arch"]);
        Assert.Contains(pod["tolerations"]!.AsArray(), t => (string?)t!["key"] == "nvidia.com/gpu");
        Assert.Contains(pod["tolerations"]!.AsArray(), t => (string?)t!["key"] == "dedicated");
        Assert.Equal("nvidia", (string?)pod["runtimeClassName"]);

        // Other services never get GPUs, even in GPU mode.
        foreach (var service in Manifests.Services.Where(s => s != "sim-worker"))
        {
            var other = Manifests.AllOptions.Single("Deployment", service)["spec"]!["template"]!["spec"]!.AsObject();
            Assert.DoesNotContain("nvidia.com/gpu", Container(other)["resources"]!.ToJsonString());
        }
    }

    [Theory]
    [InlineData(1500, 60)]
    [InlineData(7200, 300)]
    public void A_terminating_sim_worker_may_finish_its_longest_partition(int partitionTimeout, int margin)
    {
        var rendered = ChartTool.Render(sets:
        [
            $"simWorker.partitionTimeoutSeconds={partitionTimeout}",
            $"simWorker.shutdownMarginSeconds={margin}",
            $"coordinator.partitionDeadlineSeconds={partitionTimeout + 600}",
        ]);
        var pod = rendered.Single("Deployment", "sim-worker")["spec"]!["template"]!["spec"]!;
        var grace = (int)pod["terminationGracePeriodSeconds"]!;
        Assert.Equal(partitionTimeout + margin, grace);
        // The bus lets the longest partition finish, within the host's shutdown, within the kubelet's grace.
        var config = ConfigData(rendered, "sim-worker");
        var hostTimeout = int.Parse((string)config["ShutdownTimeoutSeconds"]!);
        var busTimeout = TimeSpan.Parse((string)config["Bus__StopTimeout"]!, System.Globalization.CultureInfo.InvariantCulture).TotalSeconds;
        Assert.InRange(busTimeout, partitionTimeout, hostTimeout - 1);
        Assert.InRange(hostTimeout, partitionTimeout, grace - 1);
        Assert.Equal(TimeSpan.FromSeconds(partitionTimeout + 600),
            TimeSpan.Parse((string)ConfigData(rendered, "coordinator")["Coordinator__PartitionDeadline"]!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Services_get_their_configuration_from_the_config_map()
    {
        foreach (var service in Manifests.Services)
        {
            var data = ConfigData(Manifests.AllOptions, service);
            Assert.Equal("RabbitMq", (string?)data["Bus__Transport"]);
            Assert.Equal("rabbitmq.messaging.svc", (string?)data["Bus__RabbitMq__Host"]);
            Assert.Equal("5671", (string?)data["Bus__RabbitMq__Port"]);
            Assert.Equal("true", (string?)data["Bus__RabbitMq__UseTls"]);
            Assert.Equal("8081", (string?)data["Management__Port"]);
            Assert.Equal("json", (string?)data["Logging__Format"]);
            Assert.Equal("https://minio.storage.svc:9000", (string?)data["Storage__S3__ServiceUrl"]);
            var grace = (int)Manifests.AllOptions.Single("Deployment", service)["spec"]!["template"]!["spec"]!["terminationGracePeriodSeconds"]!;
            Assert.True(int.Parse((string)data["ShutdownTimeoutSeconds"]!) < grace, service);
            Assert.NotNull(data["Bus__StopTimeout"]);
            Assert.Equal("true", (string?)data["Storage__S3__ForcePathStyle"]);
            var container = Container(Manifests.AllOptions.Single("Deployment", service)["spec"]!["template"]!["spec"]!.AsObject());
            Assert.Equal((string?)Manifests.AllOptions.Single("ConfigMap", service)["metadata"]!["name"],
                (string?)container["envFrom"]![0]!["configMapRef"]!["name"]);
        }
        Assert.Equal("1.01:00:00", (string?)ConfigData(Manifests.AllOptions, "coordinator")["Coordinator__PartitionDeadline"]);
        Assert.Equal("5", (string?)ConfigData(Manifests.AllOptions, "coordinator")["Coordinator__MaxPartitionAttempts"]);
        Assert.Equal("2", (string?)ConfigData(Manifests.AllOptions, "sim-worker")["SimWorker__ConcurrentPartitions"]);
        Assert.Equal("2", (string?)ConfigData(Manifests.AllOptions, "metric-worker")["MetricWorker__ConcurrentScenarios"]);
        var coordinator = Container(Manifests.Default.Single("Deployment", "coordinator")["spec"]!["template"]!["spec"]!.AsObject());
        Assert.Equal(["serve"], coordinator["args"]!.AsArray().Select(a => (string)a!));
        Assert.Equal("Postgres", (string?)Env(coordinator)["SagaStore__Provider"]!["value"]);
    }

    [Fact]
    public void Every_service_has_a_disruption_budget_unless_turned_off()
    {
        foreach (var service in Manifests.Services)
        {
            var pdb = Manifests.Default.Single("PodDisruptionBudget", service);
            Assert.Equal(1, (int)pdb["spec"]!["maxUnavailable"]!);
            Assert.Equal(service, (string?)pdb["spec"]!["selector"]!["matchLabels"]!["app.kubernetes.io/component"]);
        }
        Assert.Equal("50%", (string?)Manifests.AllOptions.Single("PodDisruptionBudget", "metric-worker")["spec"]!["maxUnavailable"]);
        Assert.DoesNotContain(Manifests.AllOptions.OfKind("PodDisruptionBudget"),
            p => (string?)p["metadata"]!["labels"]!["app.kubernetes.io/component"] == "storage-gateway");
    }

    [Fact]
    public void Network_policies_allow_only_the_dependencies_each_component_needs()
    {
        static IEnumerable<int> EgressPorts(JsonObject policy) =>
            policy["spec"]!["egress"]!.AsArray().SelectMany(rule => rule!["ports"]!.AsArray()).Select(p => (int)p!["port"]!);

        var rendered = Manifests.AllOptions;
        var coordinator = rendered.Single("NetworkPolicy", "coordinator");
        Assert.Equal([53, 53, 5671, 5432, 443, 9000], EgressPorts(coordinator));
        foreach (var worker in new[] { "sim-worker", "metric-worker", "storage-gateway" })
        {
            Assert.Equal([53, 53, 5671, 443, 9000], EgressPorts(rendered.Single("NetworkPolicy", worker)));
        }
        // The batch Job has no broker and no saga store: DNS and S3 only, and nothing may connect to it.
        var batch = rendered.Single("NetworkPolicy", "batch");
        Assert.Equal([53, 53, 443, 9000], EgressPorts(batch));
        Assert.Empty(batch["spec"]!["ingress"]!.AsArray());

        foreach (var service in Manifests.Services)
        {
            var policy = rendered.Single("NetworkPolicy", service)["spec"]!;
            Assert.Equal(["Ingress", "Egress"], policy["policyTypes"]!.AsArray().Select(t => (string)t!));
            var ingress = Assert.Single(policy["ingress"]!.AsArray())!;
            Assert.Equal("management", (string?)Assert.Single(ingress["ports"]!.AsArray())!["port"]);
            var from = Assert.Single(ingress["from"]!.AsArray())!;
            Assert.Equal("monitoring", (string?)from["namespaceSelector"]!["matchLabels"]!["kubernetes.io/metadata.name"]);
            Assert.Equal("prometheus", (string?)from["podSelector"]!["matchLabels"]!["app.kubernetes.io/name"]);
        }
    }

    [Fact]
    public void The_batch_job_is_indexed_with_all_nodes_running_at_once()
    {
        var job = Assert.Single(Manifests.AllOptions.OfKind("Job"));
        var spec = job["spec"]!;
        Assert.Equal("Indexed", (string?)spec["completionMode"]);
        Assert.Equal(8, (int)spec["completions"]!);
        Assert.Equal(8, (int)spec["parallelism"]!);
        Assert.EndsWith("-eval-2024-06-01", (string)job["metadata"]!["name"]!);
        var pod = spec["template"]!["spec"]!.AsObject();
        Assert.Equal("Never", (string?)pod["restartPolicy"]);
        var container = Container(pod);
        Assert.Contains("/coordinator:", (string)container["image"]!);
        var args = container["args"]!.AsArray().Select(a => (string)a!).ToList();
        Assert.Equal(
            ["batch", "--sync-path", "s3://nuplanbus-runs/sync/eval-2024-06-01/", "--output", "s3://nuplanbus-runs/runs/", "--work-dir", "/data",
             "--dataset", "s3://nuplan-data/mini", "--planner", "idm_planner"],
            args);
        var env = Env(container);
        Assert.Equal("8", (string?)env["NUM_NODES"]!["value"]);
        Assert.Equal("eval-2024-06-01", (string?)env["NUPLAN_JOB_ID"]!["value"]);
        Assert.Equal("InMemory", (string?)env["Bus__Transport"]!["value"]);
        // Kubernetes sets JOB_COMPLETION_INDEX itself for Indexed Jobs; the chart must not shadow it.
        Assert.DoesNotContain("JOB_COMPLETION_INDEX", env.Keys);
        Assert.DoesNotContain(env.Keys, k => k.StartsWith("Bus__RabbitMq__", StringComparison.Ordinal));
        // The root filesystem is read-only: the node's scratch (logs, staged run, saga store) is the data volume.
        Assert.Contains("/data", container["volumeMounts"]!.AsArray().Select(m => (string?)m!["mountPath"]));
        Assert.DoesNotContain(env.Keys, k => k.StartsWith("SagaStore__", StringComparison.Ordinal));
    }

    [Fact]
    public void Keda_scales_the_sim_workers_on_their_queue_and_owns_their_replica_count()
    {
        Assert.NotNull(Manifests.Default.Single("Deployment", "sim-worker")["spec"]!["replicas"]);
        var deployment = Manifests.AllOptions.Single("Deployment", "sim-worker");
        Assert.Null(deployment["spec"]!["replicas"]);

        var scaled = Assert.Single(Manifests.AllOptions.OfKind("ScaledObject"));
        Assert.Equal((string?)deployment["metadata"]!["name"], (string?)scaled["spec"]!["scaleTargetRef"]!["name"]);
        var trigger = Assert.Single(scaled["spec"]!["triggers"]!.AsArray())!;
        Assert.Equal("rabbitmq", (string?)trigger["type"]);
        Assert.Equal("simulate-scenario-partition", (string?)trigger["metadata"]!["queueName"]);
        Assert.Equal("QueueLength", (string?)trigger["metadata"]!["mode"]);
        var auth = Assert.Single(Manifests.AllOptions.OfKind("TriggerAuthentication"));
        Assert.Equal((string?)auth["metadata"]!["name"], (string?)trigger["authenticationRef"]!["name"]);
        var secretRef = Assert.Single(auth["spec"]!["secretTargetRef"]!.AsArray())!;
        Assert.Equal("host", (string?)secretRef["parameter"]);
        Assert.Equal("nuplanbus-rabbitmq", (string?)secretRef["name"]);
    }

    [Fact]
    public void Every_service_mounts_the_runs_volume_when_one_is_named_and_the_batch_job_does_not()
    {
        Assert.All(Manifests.Default.PodSpecs(), w => Assert.DoesNotContain("runs", w.PodSpec["volumes"]!.AsArray().Select(v => (string?)v!["name"])));
        var services = Manifests.AllOptions.OfKind("Deployment").ToList();
        Assert.Equal(4, services.Count);
        foreach (var (workload, pod) in Manifests.AllOptions.PodSpecs())
        {
            var volumes = pod["volumes"]!.AsArray();
            var mounts = Container(pod)["volumeMounts"]!.AsArray();
            if (workload.Contains("batch", StringComparison.Ordinal))
            {
                Assert.DoesNotContain("runs", volumes.Select(v => (string?)v!["name"]));
                continue;
            }
            var runs = Assert.Single(volumes, v => (string?)v!["name"] == "runs")!;
            Assert.Equal("nuplanbus-runs", (string?)runs["persistentVolumeClaim"]!["claimName"]);
            Assert.Equal("/runs", (string?)Assert.Single(mounts, m => (string?)m!["name"] == "runs")!["mountPath"]);
        }
    }
}
