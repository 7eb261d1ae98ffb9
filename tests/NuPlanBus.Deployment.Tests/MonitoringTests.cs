using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NuPlanBus.Deployment.Tests;

/// <summary>Scraping, alert rules and the dashboard agree with each other and with the metric names the services export.</summary>
public class MonitoringTests
{
    /// <summary>The metric families the services export (names agreed with the service code).</summary>
    private static readonly string[] ExportedMetrics =
    [
        "nuplanbus_scenarios_simulated_total",
        "nuplanbus_scenario_duration_seconds",
        "nuplanbus_planner_step_duration_seconds",
        "nuplanbus_partitions_in_flight",
        "nuplanbus_callbacks_pending",
        "nuplanbus_callbacks_failed_total",
        "nuplanbus_report_flips_total",
        "nuplanbus_run_scenarios_expected",
        "nuplanbus_run_scenarios_settled",
        "nuplanbus_barrier_waits_total",
        "nuplanbus_barrier_releases_total",
        "nuplanbus_barrier_wait_seconds",
        "nuplanbus_storage_operations_total",
        "nuplanbus_storage_retries_total",
        "nuplanbus_storage_failures_total",
        // MassTransit's own meter, exported with Prometheus naming by the services.
        "masstransit_consume_total",
        "masstransit_consume_errors_total",
        "masstransit_consume_duration_seconds",
        "masstransit_receive_active",
    ];

    private static readonly string AlertsFile = Path.Combine(ChartTool.RepositoryRoot, "deploy", "prometheus", "alerts.yml");
    private static readonly string DashboardFile = Path.Combine(ChartTool.RepositoryRoot, "deploy", "grafana", "nuplanbus-dashboard.json");

    private static IEnumerable<string> MetricNames(string text) =>
        Regex.Matches(text, @"\b(nuplanbus|masstransit)_[a-z_]+").Select(m => Regex.Replace(m.Value, "_(bucket|sum|count)$", "")).Distinct();

    private static List<string> DashboardExpressions(JsonNode dashboard) =>
        dashboard["panels"]!.AsArray()
            .SelectMany(p => p!["targets"]?.AsArray() ?? [])
            .Select(t => (string)t!["expr"]!)
            .ToList();

    [Fact]
    public void The_chart_ships_the_same_alert_rules_and_dashboard_as_deploy()
    {
        Assert.Equal(File.ReadAllText(AlertsFile), File.ReadAllText(Path.Combine(ChartTool.ChartDirectory, "files", "alerts.yml")));
        Assert.Equal(File.ReadAllText(DashboardFile), File.ReadAllText(Path.Combine(ChartTool.ChartDirectory, "files", "nuplanbus-dashboard.json")));
    }

    [Fact]
    public void The_alert_rules_pass_promtool_and_their_unit_tests()
    {
        var check = ChartTool.Promtool("check", "rules", "alerts.yml");
        Assert.True(check.ExitCode == 0, check.Output);
        Assert.Contains("SUCCESS: 3 rules found", check.Output);
        // alerts.test.yml: each alert fires on the series it is meant for, only after its `for`, and not on the others.
        var test = ChartTool.Promtool("test", "rules", "alerts.test.yml");
        Assert.True(test.ExitCode == 0, test.Output);
    }

    [Fact]
    public void The_prometheus_rule_raises_the_three_alerts()
    {
        var rule = Assert.Single(Manifests.AllOptions.OfKind("PrometheusRule"));
        Assert.Equal("kube-prometheus-stack", (string?)rule["metadata"]!["labels"]!["release"]);
        var rules = rule["spec"]!["groups"]!.AsArray().SelectMany(g => g!["rules"]!.AsArray()).ToDictionary(r => (string)r!["alert"]!, r => r!);
        Assert.Equal(["NuPlanBusRunNoProgress", "NuPlanBusScenarioFailureRatioHigh", "NuPlanBusServiceDown"], rules.Keys.Order());

        var failures = rules["NuPlanBusScenarioFailureRatioHigh"];
        Assert.Contains("nuplanbus_scenarios_simulated_total{outcome=\"failed\"}", (string)failures["expr"]!);
        Assert.Contains("> 0.2", (string)failures["expr"]!);
        Assert.Equal("10m", (string?)failures["for"]);

        var stalled = (string)rules["NuPlanBusRunNoProgress"]["expr"]!;
        Assert.Contains("nuplanbus_run_scenarios_expected > nuplanbus_run_scenarios_settled", stalled);
        Assert.Contains("changes(nuplanbus_run_scenarios_settled[15m]) == 0", stalled);

        var down = rules["NuPlanBusServiceDown"];
        Assert.Equal("up{app_kubernetes_io_part_of=\"nuplanbus\"} == 0", ((string)down["expr"]!).Trim());
        Assert.Equal("5m", (string?)down["for"]);
        foreach (var alert in rules.Values)
        {
            Assert.NotNull(alert["labels"]!["severity"]);
            Assert.NotNull(alert["annotations"]!["summary"]);
        }
        // Prometheus templates pass through Helm untouched.
        Assert.Contains("{{ $labels.planner }}", (string)failures["annotations"]!["summary"]!);
    }

    [Fact]
    public void The_dashboard_shows_every_exported_metric()
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(DashboardFile))!;
        Assert.Equal("nuplanbus-overview", (string?)dashboard["uid"]);
        var expressions = DashboardExpressions(dashboard);
        var used = expressions.SelectMany(MetricNames).ToHashSet();
        foreach (var metric in ExportedMetrics)
        {
            Assert.Contains(metric, used);
        }
        foreach (var histogram in new[] { "nuplanbus_scenario_duration_seconds_bucket", "nuplanbus_planner_step_duration_seconds_bucket" })
        {
            Assert.Contains(expressions, e => e.StartsWith("histogram_quantile(0.5,", StringComparison.Ordinal) && e.Contains(histogram));
            Assert.Contains(expressions, e => e.StartsWith("histogram_quantile(0.95,", StringComparison.Ordinal) && e.Contains(histogram));
        }
        Assert.Contains(expressions, e => e.Contains("sum by (planner, outcome) (rate(nuplanbus_scenarios_simulated_total"));
        // Every panel queries the data source chosen in the dashboard's variable.
        foreach (var panel in dashboard["panels"]!.AsArray().Where(p => (string?)p!["type"] != "row"))
        {
            Assert.Equal("${datasource}", (string?)panel!["datasource"]!["uid"]);
        }
    }

    [Fact]
    public void Alerts_and_dashboard_use_only_exported_metric_names()
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(DashboardFile))!;
        var alerts = MetricNames(File.ReadAllText(AlertsFile)).ToList();
        var panels = DashboardExpressions(dashboard).SelectMany(MetricNames).ToList();
        // An empty match would pass the loop below vacuously: both files must name metrics the pattern finds.
        Assert.NotEmpty(alerts);
        Assert.NotEmpty(panels);
        foreach (var metric in alerts.Concat(panels))
        {
            Assert.Contains(metric, ExportedMetrics);
        }
    }

    [Fact]
    public void The_dashboard_config_map_is_picked_up_by_the_grafana_sidecar()
    {
        var config = Assert.Single(Manifests.AllOptions.OfKind("ConfigMap"), c => c["data"]?["nuplanbus-dashboard.json"] is not null);
        Assert.Equal("1", (string?)config["metadata"]!["labels"]!["grafana_dashboard"]);
        Assert.Equal("NuPlanBus", (string?)config["metadata"]!["annotations"]!["grafana_folder"]);
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse(File.ReadAllText(DashboardFile)),
            JsonNode.Parse((string)config["data"]!["nuplanbus-dashboard.json"]!)));
    }

    [Fact]
    public void Service_monitors_scrape_the_management_port_of_their_service()
    {
        foreach (var service in Manifests.Services)
        {
            var monitor = Manifests.AllOptions.Single("ServiceMonitor", service);
            var endpoint = Assert.Single(monitor["spec"]!["endpoints"]!.AsArray())!;
            Assert.Equal("management", (string?)endpoint["port"]);
            Assert.Equal("/metrics", (string?)endpoint["path"]);
            Assert.Contains("app.kubernetes.io/part-of", monitor["spec"]!["targetLabels"]!.AsArray().Select(l => (string)l!));
            Assert.Equal("kube-prometheus-stack", (string?)monitor["metadata"]!["labels"]!["release"]);

            var serviceLabels = Manifests.AllOptions.Single("Service", service)["metadata"]!["labels"]!.AsObject();
            foreach (var (key, value) in monitor["spec"]!["selector"]!["matchLabels"]!.AsObject())
            {
                Assert.Equal((string?)value, (string?)serviceLabels[key]);
            }
        }
    }
}
