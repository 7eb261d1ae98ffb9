using NuPlanBus.Metrics.Engine;

namespace NuPlanBus.Coordinator.Submissions;

public sealed class MetricNameValidator(MetricCatalog catalog) : IMetricNameValidator
{
    public void Validate(IReadOnlyList<string> names) => catalog.Expand(names);
}
