namespace NuPlanBus.Deployment.Tests;

/// <summary>The chart rendered and validated once per test run in its two reference configurations.</summary>
public static class Manifests
{
    private static readonly Lazy<string> DefaultText = new(() => ChartTool.Template());
    private static readonly Lazy<string> AllOptionsText = new(() => ChartTool.Template([ChartTool.AllOptionsValues]));
    private static readonly Lazy<ChartTool.Rendered> DefaultRender = new(() => ChartTool.Validate(DefaultText.Value));
    private static readonly Lazy<ChartTool.Rendered> AllOptionsRender = new(() => ChartTool.Validate(AllOptionsText.Value));

    /// <summary>The YAML helm template wrote for values.yaml alone and for ci/all-options-values.yaml.</summary>
    public static IEnumerable<string> Texts => [DefaultText.Value, AllOptionsText.Value];

    /// <summary>values.yaml alone.</summary>
    public static ChartTool.Rendered Default => DefaultRender.Value;

    /// <summary>ci/all-options-values.yaml: GPU, KEDA, static S3 keys, monitoring objects, the batch Job.</summary>
    public static ChartTool.Rendered AllOptions => AllOptionsRender.Value;

    public static IEnumerable<object[]> Both() => [["default"], ["all-options"]];

    public static ChartTool.Rendered Get(string configuration) => configuration switch
    {
        "default" => Default,
        "all-options" => AllOptions,
        _ => throw new ArgumentOutOfRangeException(nameof(configuration), configuration, null),
    };

    public static readonly string[] Services = ["coordinator", "sim-worker", "metric-worker", "storage-gateway"];
}
