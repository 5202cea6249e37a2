using System;
using System.Globalization;
using System.IO;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Logging;

namespace MlEnvironments.Azure.Http;

/// <summary>
/// Retries throttles (429), 408, 5xx answers and network failures, waiting on the injected <see cref="TimeProvider"/>:
/// the service's <c>Retry-After</c> (<c>retry-after-ms</c>, <c>x-ms-retry-after-ms</c>) when it gives one, else an
/// exponential back-off. A wait longer than <see cref="AzureOptions.MaxRetryDelay"/> is not taken: the answer goes
/// back to the caller, so that a huge <c>Retry-After</c> cannot stall a workflow.
/// </summary>
/// <remarks>
/// A request that is not idempotent (<c>POST</c>, <c>PATCH</c>) is retried only after a throttle (429), which ARM
/// answers before it does anything. After a 408 or 5xx answer or a network failure the server may have done the work
/// already (a 503 from a gateway after the service processed the call), so sending it again could do it twice; the
/// answer goes back to the caller, which checks what exists before it sends anything again (see
/// <c>AzureMachineLearningClient.PublishModelVersionAsync</c>). Azure.Core's own <c>RetryPolicy</c> does not make this
/// distinction. <c>GET</c>, <c>PUT</c>, <c>DELETE</c> and <c>HEAD</c> are idempotent and are retried as before.
/// </remarks>
internal sealed partial class ArmRetryPolicy : HttpPipelinePolicy
{
    private readonly AzureOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public ArmRetryPolicy(AzureOptions options, TimeProvider time, ILogger logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
    }

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        for (var attempt = 0; ; attempt++)
        {
            ExceptionDispatchInfo? failure = null;
            try
            {
                await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e, message))
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }

            if (failure is null && !IsRetriable(message.Response.Status))
            {
                return;
            }

            if (!IsIdempotent(message.Request.Method) && (failure is not null || message.Response.Status != 429))
            {
                LogNotRetried(_logger, ArmConnection.OperationOf(message), message.Request.Method.Method, failure is null ? message.Response.Status : 0);
                failure?.Throw();
                return;
            }

            var serverDelay = failure is null ? GetRetryAfter(message.Response, _time.GetUtcNow()) : null;
            var delay = serverDelay ?? Backoff(attempt);
            if (attempt >= _options.MaxRetries || delay > _options.MaxRetryDelay)
            {
                failure?.Throw();
                return;
            }

            LogRetry(_logger, ArmConnection.OperationOf(message), failure is null ? message.Response.Status : 0, attempt + 1, _options.MaxRetries, delay.TotalSeconds, _time.GetUtcNow() + delay);
            await Task.Delay(delay, _time, message.CancellationToken).ConfigureAwait(false);
        }
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        ProcessAsync(message, pipeline).AsTask().GetAwaiter().GetResult();

    /// <summary>Reads <c>retry-after-ms</c>, <c>x-ms-retry-after-ms</c>, then <c>Retry-After</c> (seconds or an HTTP date).</summary>
    public static TimeSpan? GetRetryAfter(Response? response, DateTimeOffset now)
    {
        if (response is null)
        {
            return null;
        }

        foreach (var name in new[] { "retry-after-ms", "x-ms-retry-after-ms" })
        {
            if (response.Headers.TryGetValue(name, out var ms) &&
                double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds >= 0)
            {
                return TimeSpan.FromMilliseconds(milliseconds);
            }
        }

        if (response.Headers.TryGetValue("Retry-After", out var value) && !string.IsNullOrWhiteSpace(value))
        {
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
            {
                return TimeSpan.FromSeconds(seconds);
            }

            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                return at > now ? at - now : TimeSpan.Zero;
            }
        }

        return null;
    }

    private static bool IsRetriable(int status) => status is 408 or 429 or 500 or 502 or 503 or 504;

    /// <summary>Whether sending the request twice has the effect of sending it once (RFC 9110 §9.2.2).</summary>
    internal static bool IsIdempotent(RequestMethod method) =>
        method == RequestMethod.Get || method == RequestMethod.Head || method == RequestMethod.Put ||
        method == RequestMethod.Delete || method == RequestMethod.Options;

    private static bool IsTransient(Exception e, HttpMessage message) =>
        e is RequestFailedException { Status: 0 } or IOException ||
        (e is OperationCanceledException && !message.CancellationToken.IsCancellationRequested);

    private TimeSpan Backoff(int attempt) => Backoff(_options, attempt);

    /// <summary>The wait before retry <paramref name="attempt"/> + 1: <see cref="AzureOptions.RetryDelay"/> doubled per attempt, ±20 % jitter, capped to <see cref="AzureOptions.MaxRetryDelay"/>.</summary>
    internal static TimeSpan Backoff(AzureOptions options, int attempt)
    {
        var factor = Math.Pow(2, Math.Min(attempt, 16)) * (0.8 + (Random.Shared.NextDouble() * 0.4));
        return TimeSpan.FromTicks((long)Math.Min(options.RetryDelay.Ticks * factor, options.MaxRetryDelay.Ticks));
    }

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Azure {Operation}: answered {Status} (0 = no answer) to a {Method}, which is not retried: the service may have done it already.")]
    private static partial void LogNotRetried(ILogger logger, string operation, string method, int status);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Azure {Operation}: answered {Status} (0 = no answer); retry {Attempt} of {MaxRetries} in {DelaySeconds:0.###} s (until {Until:u}).")]
    private static partial void LogRetry(ILogger logger, string operation, int status, int attempt, int maxRetries, double delaySeconds, DateTimeOffset until);
}
