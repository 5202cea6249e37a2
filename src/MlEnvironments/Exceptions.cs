using System;
using System.Linq;

namespace MlEnvironments;

/// <summary>The base of every exception MlEnvironments throws on purpose.</summary>
public class MlEnvironmentsException : Exception
{
    /// <summary>Creates an exception.</summary>
    public MlEnvironmentsException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    public MlEnvironmentsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and a cause.</summary>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="innerException">The cause.</param>
    public MlEnvironmentsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A definition broke one or more rules; <see cref="Result"/> lists every violation.</summary>
public sealed class ValidationFailedException : MlEnvironmentsException
{
    /// <summary>Creates the exception from a result that holds errors.</summary>
    /// <param name="result">The validation result.</param>
    public ValidationFailedException(ValidationResult result)
        : base(BuildMessage(result))
    {
        Result = result;
    }

    /// <summary>Every violation.</summary>
    public ValidationResult Result { get; }

    private static string BuildMessage(ValidationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var count = result.Errors.Length;
        return $"The definition is not valid ({count} {(count == 1 ? "error" : "errors")}):" + Environment.NewLine +
               string.Join(Environment.NewLine, result.Errors.Select(e => "  - " + e));
    }
}

/// <summary>
/// A call to GitHub or Azure failed. Carries the service, the operation, the HTTP status, the service's error code and
/// the request id, so that support can trace it; the original error is the <see cref="Exception.InnerException"/>.
/// </summary>
public class RemoteServiceException : MlEnvironmentsException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="service">The service, e.g. <c>GitHub</c> or <c>Azure</c>.</param>
    /// <param name="operation">The operation, e.g. <c>repos/create-or-update-environment</c>.</param>
    /// <param name="statusCode">The HTTP status code, or 0 when no response arrived.</param>
    /// <param name="message">What went wrong and what to do.</param>
    /// <param name="errorCode">The service's error code, if any.</param>
    /// <param name="requestId">The request id the service returned, if any.</param>
    /// <param name="innerException">The cause.</param>
    public RemoteServiceException(
        string service,
        string operation,
        int statusCode,
        string message,
        string? errorCode = null,
        string? requestId = null,
        Exception? innerException = null)
        : base(message, innerException!)
    {
        Service = service;
        Operation = operation;
        StatusCode = statusCode;
        ErrorCode = errorCode;
        RequestId = requestId;
    }

    /// <summary>The service (<c>GitHub</c>, <c>Azure</c>).</summary>
    public string Service { get; }

    /// <summary>The operation that failed.</summary>
    public string Operation { get; }

    /// <summary>The HTTP status code, or 0 when no response arrived.</summary>
    public int StatusCode { get; }

    /// <summary>The service's error code, if any.</summary>
    public string? ErrorCode { get; }

    /// <summary>The request id, if any.</summary>
    public string? RequestId { get; }
}
