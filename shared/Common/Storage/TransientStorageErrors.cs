using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using NuPlanBus.Domain.Errors;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace NuPlanBus.Common.Storage;

/// <summary>
/// Which failures are worth another attempt: network and timeout errors, 5xx, 408, 429 and S3's throttling codes.
/// Client errors (400, 403, 404, 412 …), cancellations by the caller and <see cref="StorageException"/>s are not.
/// </summary>
public static class TransientStorageErrors
{
    private static readonly HashSet<string> RetryableErrorCodes = new(StringComparer.Ordinal)
    {
        "SlowDown", "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottled", "RequestThrottledException",
        "TooManyRequestsException", "RequestLimitExceeded", "BandwidthLimitExceeded", "ProvisionedThroughputExceededException",
        "RequestTimeout", "RequestTimeoutException", "InternalError", "ServiceUnavailable", "ConditionalRequestConflict",
        "PriorRequestNotComplete", "IDPCommunicationError", "EC2ThrottledException",
    };

    public static bool IsTransient(Exception exception)
    {
        switch (exception)
        {
            case StorageException:
            case BrokenCircuitException:
                return false;
            case TimeoutRejectedException:
            case TimeoutException:
            case SocketException:
                return true;
            case AmazonServiceException service:
                return IsTransientService(service);
            case AmazonClientException client:
                return client.InnerException is not null && IsTransient(client.InnerException);
            case HttpRequestException http:
                return http.StatusCode is null || IsTransientStatus(http.StatusCode.Value);
            case FileNotFoundException or DirectoryNotFoundException or PathTooLongException or DriveNotFoundException:
                return false;
            case IOException:
                // Network streams (an S3 body cut off mid-read) surface as IOException.
                return true;
            case OperationCanceledException:
                // Reached only when the caller's token is not cancelled (checked by the pipeline): an HTTP client timeout.
                return true;
            default:
                return false;
        }
    }

    private static bool IsTransientService(AmazonServiceException service)
    {
        if (service.ErrorCode is { } code && RetryableErrorCodes.Contains(code))
        {
            return true;
        }
        if ((int)service.StatusCode == 0)
        {
            // No HTTP response at all: the failure happened on the way (connection refused, reset, DNS).
            return service.InnerException is null || IsTransient(service.InnerException);
        }
        return IsTransientStatus(service.StatusCode);
    }

    private static bool IsTransientStatus(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
}
