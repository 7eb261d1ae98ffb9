using Microsoft.Extensions.Options;
using NuPlanBus.Common.Storage;
using NuPlanBus.Domain.Errors;

namespace NuPlanBus.Hosting.Storage;

/// <summary>Runs <see cref="S3StorageOptions.Validate"/> at start so a bad "Storage:S3" section fails the host with its own message.</summary>
public sealed class S3StorageOptionsValidator : IValidateOptions<S3StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, S3StorageOptions options)
    {
        try
        {
            options.Validate();
            return ValidateOptionsResult.Success;
        }
        catch (ConfigurationException ex)
        {
            return ValidateOptionsResult.Fail(ex.Message);
        }
    }
}
