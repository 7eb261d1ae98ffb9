using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace NuPlanBus.Metrics.Engine;

/// <summary>Adds a metric (or set) to the catalog a host resolves; registered before the catalog is first used.</summary>
public sealed class MetricCatalogContribution(Action<MetricCatalog> apply)
{
    public void Apply(MetricCatalog catalog) => apply(catalog);
}

public static class ServiceCollectionExtensions
{
    /// <summary>The built-in metric catalog plus every <see cref="MetricCatalogContribution"/> in the container.</summary>
    public static IServiceCollection AddMetricCatalog(this IServiceCollection services)
    {
        services.TryAddSingleton(sp =>
        {
            var catalog = MetricCatalog.CreateDefault();
            foreach (var contribution in sp.GetServices<MetricCatalogContribution>())
            {
                contribution.Apply(catalog);
            }
            return catalog;
        });
        return services;
    }

    public static IServiceCollection AddMetric(this IServiceCollection services, string name, Func<IMetric> factory) =>
        services.AddSingleton(new MetricCatalogContribution(catalog => catalog.Register(name, factory)));
}
