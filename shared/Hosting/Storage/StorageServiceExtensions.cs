using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NuPlanBus.Common.Storage;

namespace NuPlanBus.Hosting.Storage;

public static class StorageServiceExtensions
{
    /// <summary>Configuration section of <see cref="S3StorageOptions"/>.</summary>
    public const string S3Section = "Storage:S3";

    /// <summary>Configuration section of <see cref="LogDatabaseCacheOptions"/>: where log databases read from S3 are kept locally.</summary>
    public const string LogDatabaseCacheSection = "Storage:LogDatabaseCache";

    /// <summary>
    /// Registers one <see cref="IStorage"/> for local paths and s3:// URIs (S3 settings from <c>Storage:S3</c>, validated at
    /// start) and the <see cref="LogDatabaseCache"/> that gives SQLite local copies of log databases on S3. Safe to call from every service of a process: the first registration wins. Storage operations are counted by
    /// whatever <see cref="IStorageMetrics"/> the process registers, if any.
    /// </summary>
    public static IServiceCollection AddNuPlanBusStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<S3StorageOptions>()
            .Bind(configuration.GetSection(S3Section))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<S3StorageOptions>, S3StorageOptionsValidator>());
        services.TryAddSingleton(sp => new StorageFactory(
            sp.GetRequiredService<IOptions<S3StorageOptions>>().Value,
            sp.GetService<IStorageMetrics>(),
            sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton<IStorage>(sp => sp.GetRequiredService<StorageFactory>().Storage);
        services.AddOptions<LogDatabaseCacheOptions>().Bind(configuration.GetSection(LogDatabaseCacheSection));
        services.TryAddSingleton(sp => new LogDatabaseCache(
            sp.GetRequiredService<IStorage>(),
            sp.GetRequiredService<IOptions<LogDatabaseCacheOptions>>().Value,
            sp.GetService<ILogger<LogDatabaseCache>>()));
        return services;
    }
}
