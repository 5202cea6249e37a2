using System;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Logging;

namespace MlEnvironments.Azure.Http;

/// <summary>
/// Logs every attempt to <see cref="ILogger"/>: operation, method, path (never the query string), status, time and
/// the request ids; never a header value or a body, so never a token. Azure.Core's own event-source logging stays on
/// with its header and query redaction.
/// </summary>
internal sealed partial class ArmLoggingPolicy : HttpPipelinePolicy
{
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public ArmLoggingPolicy(ILogger logger, TimeProvider time)
    {
        _logger = logger;
        _time = time;
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        var started = _time.GetTimestamp();
        try
        {
            await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !message.CancellationToken.IsCancellationRequested)
        {
            if (_logger.IsEnabled(LogLevel.Information))
            {
                var (operation, method, path) = Describe(message);
                var errorType = e.GetType().Name;
                LogFailure(_logger, operation, method, path, errorType, message.Request.ClientRequestId);
            }

            throw;
        }

        var response = message.Response;
        var level = response.Status >= 400 ? LogLevel.Information : LogLevel.Debug;
        if (_logger.IsEnabled(level))
        {
            var (operation, method, path) = Describe(message);
            var elapsed = _time.GetElapsedTime(started).TotalMilliseconds;
            response.Headers.TryGetValue("x-ms-request-id", out var requestId);
            var status = response.Status;
            LogAnswer(_logger, level, operation, method, path, status, elapsed, requestId, message.Request.ClientRequestId);
        }
    }

    private static (string Operation, string Method, string Path) Describe(HttpMessage message) =>
        (ArmConnection.OperationOf(message), message.Request.Method.Method, message.Request.Uri.Path);

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    [LoggerMessage(EventId = 1, Message = "Azure {Operation}: {Method} {Path} answered {Status} in {ElapsedMs:0} ms (x-ms-request-id {RequestId}, x-ms-client-request-id {ClientRequestId}).")]
    private static partial void LogAnswer(ILogger logger, LogLevel level, string operation, string method, string path, int status, double elapsedMs, string? requestId, string clientRequestId);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Azure {Operation}: {Method} {Path} got no answer ({ErrorType}; x-ms-client-request-id {ClientRequestId}).")]
    private static partial void LogFailure(ILogger logger, string operation, string method, string path, string errorType, string clientRequestId);
}
