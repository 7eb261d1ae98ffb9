using NuPlanBus.Domain.Errors;

namespace NuPlanBus.Common.Storage;

/// <summary>Configuration of <see cref="S3Storage"/> (section "Storage:S3").</summary>
/// <remarks>
/// Credentials, in this order: explicit <see cref="AccessKeyId"/>/<see cref="SecretAccessKey"/>; then, when
/// <c>AWS_WEB_IDENTITY_TOKEN_FILE</c> is set (Kubernetes IRSA), the SDK's default chain, which uses web identity;
/// then the named <see cref="Profile"/>; otherwise the SDK's default chain (environment keys, shared profile files,
/// web identity, container and instance metadata).
/// </remarks>
public sealed class S3StorageOptions
{
    /// <summary>Endpoint of a non-AWS S3 API (moto, MinIO, Ceph); null for AWS.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>Bucket in the path rather than the host name; required by most non-AWS endpoints.</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>AWS region (e.g. "eu-west-1"). With <see cref="ServiceUrl"/> it is the signing region (default us-east-1);
    /// without, null lets the SDK resolve it (AWS_REGION, profile).</summary>
    public string? Region { get; set; }

    public string? Profile { get; set; }

    /// <summary>Shared credentials file holding <see cref="Profile"/>; null: the SDK's default locations (~/.aws/credentials, ~/.aws/config).</summary>
    public string? CredentialsFile { get; set; }

    public string? AccessKeyId { get; set; }

    public string? SecretAccessKey { get; set; }

    public string? SessionToken { get; set; }

    /// <summary>
    /// Use <c>If-None-Match: *</c> conditional puts for create-if-absent (AWS since August 2024, moto, recent MinIO).
    /// Turn off for an S3 API without them; then create-if-absent is HEAD followed by PUT, which two racing
    /// writers can both win.
    /// </summary>
    public bool ConditionalWrites { get; set; } = true;

    /// <summary>Writes larger than this use multipart upload (aborted on failure, so no partial object remains).</summary>
    public long MultipartThreshold { get; set; } = 64L * 1024 * 1024;

    /// <summary>Part size of multipart uploads (S3 minimum 5 MiB except the last part).</summary>
    public long MultipartPartSize { get; set; } = 16L * 1024 * 1024;

    /// <summary>Keys per ListObjectsV2 page, 1 to 1000.</summary>
    public int ListPageSize { get; set; } = 1000;

    /// <summary>
    /// Only compute request checksums when an operation requires them. Many non-AWS S3 APIs reject the SDK's
    /// default streaming checksum trailers; AWS accepts both. Null: true with <see cref="ServiceUrl"/>, false without.
    /// </summary>
    public bool? ChecksumsOnlyWhenRequired { get; set; }

    public StorageResilienceOptions Resilience { get; set; } = new();

    /// <exception cref="ConfigurationException">A value out of range or half of a key pair.</exception>
    public void Validate()
    {
        if (ServiceUrl is not null && !Uri.TryCreate(ServiceUrl, UriKind.Absolute, out _))
        {
            throw new ConfigurationException($"S3 storage: ServiceUrl '{ServiceUrl}' is not an absolute URL.");
        }
        if (string.IsNullOrEmpty(AccessKeyId) != string.IsNullOrEmpty(SecretAccessKey))
        {
            throw new ConfigurationException("S3 storage: AccessKeyId and SecretAccessKey must be given together.");
        }
        if (ListPageSize is < 1 or > 1000)
        {
            throw new ConfigurationException("S3 storage: ListPageSize must be between 1 and 1000.");
        }
        if (MultipartPartSize < 5L * 1024 * 1024)
        {
            throw new ConfigurationException("S3 storage: MultipartPartSize must be at least 5 MiB.");
        }
        if (MultipartThreshold < MultipartPartSize)
        {
            throw new ConfigurationException("S3 storage: MultipartThreshold must not be below MultipartPartSize.");
        }
        Resilience.Validate();
    }
}
