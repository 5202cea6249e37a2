using System;
using System.Collections.Generic;

namespace MlEnvironments.Azure;

/// <summary>
/// Azure answered an error: the operation id (e.g. <c>ModelVersions_Get</c>), the status, ARM's error code,
/// message and target, and the request ids support needs (<c>x-ms-request-id</c>, <c>x-ms-correlation-request-id</c>,
/// the client's <c>x-ms-client-request-id</c>). Tokens never appear in it.
/// </summary>
public class AzureException : RemoteServiceException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="operation">The operation id, e.g. <c>ModelVersions_Get</c>.</param>
    /// <param name="statusCode">The HTTP status, or 0 when no response arrived.</param>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="errorCode">ARM's <c>error.code</c>, if any.</param>
    /// <param name="target">ARM's <c>error.target</c>, if any.</param>
    /// <param name="requestId">The request id (<c>x-ms-request-id</c>, else <c>x-ms-correlation-request-id</c>), if any.</param>
    /// <param name="innerException">The cause.</param>
    public AzureException(string operation, int statusCode, string message, string? errorCode = null, string? target = null, string? requestId = null, Exception? innerException = null)
        : base("Azure", operation, statusCode, message, errorCode, requestId, innerException)
    {
        Target = target;
    }

    /// <summary>ARM's <c>error.target</c>: the part of the request the error is about, if the service said.</summary>
    public string? Target { get; }

    /// <summary>The <c>x-ms-correlation-request-id</c> of the answer, if any.</summary>
    public string? CorrelationId { get; init; }

    /// <summary>The <c>x-ms-client-request-id</c> the client sent with the request, if any.</summary>
    public string? ClientRequestId { get; init; }

    /// <summary>The codes and messages of ARM's <c>error.details</c>, outermost first.</summary>
    public IReadOnlyList<AzureErrorDetail> Details { get; init; } = [];

    /// <summary>How long the service asked the client to wait (<c>Retry-After</c>) when it gave up on a throttle, if it said.</summary>
    public TimeSpan? RetryAfter { get; init; }
}

/// <summary>One entry of ARM's <c>error.details</c>.</summary>
/// <param name="Code">The code.</param>
/// <param name="Message">The message.</param>
/// <param name="Target">The target, if any.</param>
public sealed record AzureErrorDetail(string? Code, string? Message, string? Target);
