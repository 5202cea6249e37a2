using System;
using Azure;
using Azure.Core;

namespace MlEnvironments.Azure.Http;

/// <summary>What the client keeps of an answer once the pipeline's message is disposed: never a request header.</summary>
internal sealed class ArmResponse
{
    public ArmResponse(Response response, TimeProvider time, string? clientRequestId)
    {
        Status = response.Status;
        Content = BinaryData.FromBytes(response.Content.ToArray());
        RequestId = Header(response, "x-ms-request-id");
        CorrelationId = Header(response, "x-ms-correlation-request-id");
        ClientRequestId = Header(response, "x-ms-client-request-id") ?? clientRequestId;
        Location = Header(response, "Location");
        AsyncOperation = Header(response, "Azure-AsyncOperation");
        AsyncOperationTimeout = Header(response, "x-ms-async-operation-timeout");
        RetryAfter = ArmRetryPolicy.GetRetryAfter(response, time.GetUtcNow());
        if (response.IsError)
        {
            Failure = new RequestFailedException(response);
        }
    }

    public int Status { get; }

    public BinaryData Content { get; }

    public string? RequestId { get; }

    public string? CorrelationId { get; }

    public string? ClientRequestId { get; }

    public string? Location { get; }

    public string? AsyncOperation { get; }

    public string? AsyncOperationTimeout { get; }

    public TimeSpan? RetryAfter { get; }

    /// <summary>Azure.Core's exception for an error answer (the inner exception of ours).</summary>
    public RequestFailedException? Failure { get; }

    public bool IsSuccess => Status is >= 200 and < 300;

    public bool HasContent => Content.ToMemory().Length > 0;

    private static string? Header(Response response, string name) =>
        response.Headers.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
}
