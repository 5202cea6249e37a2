using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using System.Xml;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MlEnvironments.Azure.Wire;

namespace MlEnvironments.Azure.Http;

/// <summary>
/// One Azure.Core pipeline (client request id, telemetry, our retry policy on the injected clock, bearer token for
/// <c>{audience}/.default</c>, logging, transport) and the ARM conventions every client needs: URIs with
/// api-versions, error envelopes, <c>nextLink</c> paging, and the two long-running operation shapes.
/// </summary>
internal sealed class ArmConnection
{
    private const string OperationProperty = "MlEnvironments.Azure.Operation";
    private const int MaxPages = 10_000;

    private readonly HttpPipeline _pipeline;

    public ArmConnection(AzureOptions options, TokenCredential credential, TimeProvider time, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(time);
        Options = options;
        Time = time;
        Credential = credential;
        var logger = loggers?.CreateLogger("MlEnvironments.Azure") ?? NullLogger.Instance;
        Endpoint = options.Endpoint.AbsoluteUri.EndsWith('/') ? options.Endpoint : new Uri(options.Endpoint.AbsoluteUri + "/");

        var pipelineOptions = new ArmPipelineOptions();
        if (options.Transport is not null)
        {
            pipelineOptions.Transport = options.Transport;
        }

        pipelineOptions.Retry.NetworkTimeout = options.NetworkTimeout;
        pipelineOptions.RetryPolicy = new ArmRetryPolicy(options, time, logger);
        pipelineOptions.Diagnostics.IsLoggingContentEnabled = false;
        pipelineOptions.Diagnostics.ApplicationId = "MlEnvironments";
        foreach (var header in new[] { "x-ms-correlation-request-id", "x-ms-ratelimit-remaining-subscription-reads", "x-ms-ratelimit-remaining-subscription-writes", "Azure-AsyncOperation", "Location" })
        {
            pipelineOptions.Diagnostics.LoggedHeaderNames.Add(header);
        }

        pipelineOptions.Diagnostics.LoggedQueryParameters.Add("api-version");
        _pipeline = HttpPipelineBuilder.Build(
            pipelineOptions,
            [],
            [new BearerTokenAuthenticationPolicy(credential, options.GetTokenScope()), new ArmLoggingPolicy(logger, time)],
            new ResponseClassifier());
    }

    public AzureOptions Options { get; }

    public TimeProvider Time { get; }

    public TokenCredential Credential { get; }

    /// <summary>The ARM endpoint with a trailing slash.</summary>
    public Uri Endpoint { get; }

    public static string OperationOf(HttpMessage message) =>
        message.TryGetProperty(OperationProperty, out var value) && value is string operation ? operation : "(unknown)";

    /// <summary>
    /// Escapes one path segment: the one place resource names enter an ARM path. A name is always exactly one segment
    /// (<c>/</c>, <c>?</c>, <c>#</c>, <c>%</c> and spaces are percent-encoded); an empty name, <c>.</c>, <c>..</c> (which a URL
    /// resolves away, reaching another resource or operation) and text with an unpaired surrogate are refused with an
    /// <see cref="ArgumentException"/> naming the parameter, before anything is sent.
    /// </summary>
    /// <param name="value">The name.</param>
    /// <param name="parameterName">The caller's parameter (by default the argument's expression, up to its first dot).</param>
    public static string Segment(string value, [CallerArgumentExpression(nameof(value))] string parameterName = "")
    {
        var dot = parameterName.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            parameterName = parameterName[..dot];
        }

        ArgumentNullException.ThrowIfNull(value, parameterName);
        if (value.Length == 0)
        {
            throw new ArgumentException($"{parameterName} is empty; a name in an Azure Resource Manager URL must have at least one character.", parameterName);
        }

        if (value is "." or "..")
        {
            throw new ArgumentException(
                $"{parameterName} is '{value}', which a URL resolves as a relative path (the request would reach another resource); Azure resource names cannot be '.' or '..'.",
                parameterName);
        }

        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]))
            {
                throw new ArgumentException($"{parameterName} contains an unpaired surrogate (not valid text), so it cannot be encoded in a URL.", parameterName);
            }
        }

        return Uri.EscapeDataString(value);
    }

    /// <summary>
    /// Escapes every segment of an ARM id or scope. Segments are taken as given, once unescaped (an id may come
    /// escaped or not), and each is then checked and escaped by <see cref="Segment"/>: <c>%2e%2e</c> is <c>..</c> too.
    /// </summary>
    public static string EscapeResourcePath(string resourceId)
    {
        var trimmed = resourceId.Trim('/');
        if (trimmed.Length == 0 || trimmed.Contains('?', StringComparison.Ordinal) || trimmed.Contains('#', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{resourceId}' is not an ARM id or scope.", nameof(resourceId));
        }

        try
        {
            return string.Join('/', trimmed.Split('/').Select(s => Segment(Uri.UnescapeDataString(s), nameof(resourceId))));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"'{resourceId}' is not an ARM id or scope: {e.Message}", nameof(resourceId), e);
        }
    }

    /// <summary>An ARM URI: the endpoint, the escaped path, <c>api-version</c> for the resource type, then the query.</summary>
    public Uri ArmUri(string escapedPath, string resourceType, params (string Name, string Value)[] query)
    {
        var text = new StringBuilder(Endpoint.AbsoluteUri).Append(escapedPath.TrimStart('/'))
            .Append("?api-version=").Append(Uri.EscapeDataString(Options.GetApiVersion(resourceType)));
        foreach (var (name, value) in query)
        {
            text.Append('&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return new Uri(text.ToString());
    }

    /// <summary>Sends one request through the pipeline; answers (errors included) come back, network failures throw <see cref="AzureException"/>.</summary>
    public async Task<ArmResponse> SendAsync(string operation, RequestMethod method, Uri uri, JsonNode? body, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var message = _pipeline.CreateMessage();
        message.SetProperty(OperationProperty, operation);
        var request = message.Request;
        request.Method = method;
        request.Uri.Reset(uri);
        request.Headers.Add("Accept", "application/json");
        if (body is not null)
        {
            request.Headers.Add("Content-Type", "application/json");
            request.Content = RequestContent.Create(BinaryData.FromString(body.ToJsonString()));
        }

        try
        {
            await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (e.Status == 0)
        {
            throw new AzureException(operation, 0, $"Azure could not be reached for {operation} ({method} {uri.Host}): {e.Message}", innerException: e)
            {
                ClientRequestId = request.ClientRequestId,
            };
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AzureException(operation, 0, $"Azure did not answer {operation} within {Options.NetworkTimeout} (NetworkTimeout).", "Timeout", innerException: e)
            {
                ClientRequestId = request.ClientRequestId,
            };
        }

        return new ArmResponse(message.Response, Time, request.ClientRequestId);
    }

    /// <summary>Reads a successful answer's JSON.</summary>
    public static T Read<T>(string operation, ArmResponse response, JsonTypeInfo<T> info)
        where T : class
    {
        try
        {
            return (response.HasContent ? JsonSerializer.Deserialize(response.Content.ToMemory().Span, info) : null)
                   ?? throw new JsonException("The answer has no JSON body.");
        }
        catch (JsonException e)
        {
            throw new AzureException(operation, response.Status, $"Azure answered {operation} with JSON the client cannot read: {e.Message}", "InvalidResponse",
                requestId: response.RequestId ?? response.CorrelationId, innerException: e)
            {
                CorrelationId = response.CorrelationId,
                ClientRequestId = response.ClientRequestId,
            };
        }
    }

    /// <summary>Reads a successful answer's JSON as a mutable tree.</summary>
    public static JsonObject ReadNode(string operation, ArmResponse response)
    {
        try
        {
            return JsonNode.Parse(response.Content.ToMemory().Span) as JsonObject ?? throw new JsonException("The answer is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new AzureException(operation, response.Status, $"Azure answered {operation} with JSON the client cannot read: {e.Message}", "InvalidResponse",
                requestId: response.RequestId ?? response.CorrelationId, innerException: e);
        }
    }

    /// <summary>Turns an error answer into an <see cref="AzureException"/> with ARM's code, message, target and the request ids.</summary>
    public static AzureException Error(string operation, ArmResponse response, string? context = null)
    {
        ArmErrorResponseDto? envelope = null;
        if (response.HasContent)
        {
            try
            {
                envelope = JsonSerializer.Deserialize(response.Content.ToMemory().Span, ArmJsonContext.Default.ArmErrorResponseDto);
            }
            catch (JsonException)
            {
            }
        }

        var error = envelope?.Error;
        var code = error?.Code ?? envelope?.MlflowErrorCode ?? envelope?.Code;
        var message = error?.Message ?? envelope?.Message;
        if (message is null && response.HasContent && envelope is null)
        {
            var text = response.Content.ToString();
            message = text.Length > 300 ? text[..300] + "…" : text;
        }

        var details = new List<AzureErrorDetail>();
        Flatten(error?.Details, details, 0);
        var summary = new StringBuilder()
            .Append("Azure answered ").Append(response.Status.ToString(CultureInfo.InvariantCulture)).Append(" to ").Append(operation);
        if (context is not null)
        {
            summary.Append(" (").Append(context).Append(')');
        }

        summary.Append(": ").Append(code is null ? string.Empty : code + ": ").Append(message ?? "(no message)");
        if (error?.Target is { Length: > 0 } target)
        {
            summary.Append(" [target: ").Append(target).Append(']');
        }

        foreach (var detail in details)
        {
            summary.Append(" | ").Append(detail.Code).Append(": ").Append(detail.Message);
        }

        summary.Append(response.Status switch
        {
            401 => " Check the credential: the token is missing, expired, or for another tenant or audience.",
            403 => " The identity lacks a role on this scope (reading needs Reader or AzureML Data Scientist; role assignments need Owner, User Access Administrator or RBAC Administrator).",
            429 => response.RetryAfter is { } wait
                ? $" Azure throttled the request and asked to wait {wait.TotalSeconds:0} s, longer than the client waits (MaxRetryDelay) or after the last retry (MaxRetries)."
                : " Azure throttled the request after the last retry (MaxRetries).",
            _ => string.Empty,
        });
        summary.Append(CultureInfo.InvariantCulture, $" (x-ms-request-id {response.RequestId ?? "none"}, x-ms-correlation-request-id {response.CorrelationId ?? "none"}, x-ms-client-request-id {response.ClientRequestId ?? "none"})");
        return new AzureException(operation, response.Status, summary.ToString(), code, error?.Target, response.RequestId ?? response.CorrelationId, response.Failure)
        {
            CorrelationId = response.CorrelationId,
            ClientRequestId = response.ClientRequestId,
            Details = details,
            RetryAfter = response.Status == 429 ? response.RetryAfter : null,
        };
    }

    /// <summary>Reads every page of an ARM list, following <c>nextLink</c> verbatim; <see langword="null"/> when the first page is a 404.</summary>
    public async Task<List<T>?> ListAsync<TDto, T>(string operation, Uri first, JsonTypeInfo<ArmListDto<TDto>> info, Func<TDto, T?> map, bool nullOnNotFound, CancellationToken cancellationToken)
        where TDto : class
        where T : class
    {
        var result = new List<T>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { first.AbsoluteUri };
        var uri = first;
        for (var page = 0; page < MaxPages; page++)
        {
            var response = await SendAsync(operation, RequestMethod.Get, uri, null, cancellationToken).ConfigureAwait(false);
            if (page == 0 && nullOnNotFound && response.Status == 404)
            {
                return null;
            }

            if (!response.IsSuccess)
            {
                throw Error(operation, response);
            }

            var list = Read(operation, response, info);
            foreach (var item in list.Value ?? [])
            {
                if (item is not null && map(item) is { } mapped)
                {
                    result.Add(mapped);
                }
            }

            if (string.IsNullOrEmpty(list.NextLink))
            {
                return result;
            }

            uri = Link(operation, list.NextLink, "nextLink");
            if (!seen.Add(uri.AbsoluteUri))
            {
                throw new AzureException(operation, response.Status, $"Azure answered {operation} with a nextLink that repeats an earlier page; stopping.", "InvalidResponse", requestId: response.RequestId);
            }
        }

        throw new AzureException(operation, 200, $"Azure answered {operation} with more than {MaxPages} pages; stopping.", "InvalidResponse");
    }

    /// <summary>
    /// A link Azure answered (nextLink, Azure-AsyncOperation, Location), followed verbatim but only on the ARM
    /// endpoint's own scheme, host and port: the bearer token is never sent anywhere else.
    /// </summary>
    public Uri Link(string operation, string link, string what)
    {
        if (!Uri.TryCreate(Endpoint, link, out var uri) || uri.Scheme != Uri.UriSchemeHttps ||
            !string.Equals(uri.Host, Endpoint.Host, StringComparison.OrdinalIgnoreCase) || uri.Port != Endpoint.Port)
        {
            throw new AzureException(operation, 0,
                $"Azure answered {operation} with a {what} outside {Endpoint.GetLeftPart(UriPartial.Authority)}; the client does not follow it (it would send the token there).",
                "InvalidResponse");
        }

        return uri;
    }

    /// <summary>
    /// Whether the token may go to <paramref name="uri"/> for an Azure Machine Learning data-plane call (MLflow):
    /// https at the <see cref="Endpoint"/>'s own host and port, or https on the default port at a host that ends
    /// with one of <see cref="AzureOptions.GetMachineLearningApiHostSuffixes"/> after at least one label.
    /// </summary>
    public bool IsMachineLearningApiHost(Uri uri)
    {
        if (!uri.IsAbsoluteUri || uri.Scheme != Uri.UriSchemeHttps || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return false;
        }

        if (string.Equals(uri.Host, Endpoint.Host, StringComparison.OrdinalIgnoreCase) && uri.Port == Endpoint.Port)
        {
            return true;
        }

        var host = uri.IdnHost.TrimEnd('.');
        return uri.IsDefaultPort && uri.HostNameType == UriHostNameType.Dns &&
               Options.GetMachineLearningApiHostSuffixes().Any(suffix =>
                   host.Length > suffix.Length + 1 &&
                   host.EndsWith("." + suffix, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Polls an <c>Azure-AsyncOperation</c> status URL until it says <c>Succeeded</c>; <c>Failed</c> and <c>Canceled</c> throw.</summary>
    public async Task WaitForAsyncOperationAsync(string operation, ArmResponse initial, CancellationToken cancellationToken)
    {
        var status = Link(operation, initial.AsyncOperation!, "Azure-AsyncOperation URL");
        var deadline = Deadline(initial);
        var polls = 0;
        var delay = PollDelay(initial, polls);
        while (true)
        {
            await WaitAsync(operation, delay, deadline, cancellationToken).ConfigureAwait(false);
            var poll = await SendAsync(operation, RequestMethod.Get, status, null, cancellationToken).ConfigureAwait(false);
            if (!poll.IsSuccess)
            {
                throw Error(operation, poll, "polling its Azure-AsyncOperation");
            }

            var body = Read(operation, poll, ArmJsonContext.Default.AsyncOperationStatusDto);
            switch (body.Status?.ToUpperInvariant())
            {
                case "SUCCEEDED":
                    return;
                case "FAILED":
                case "CANCELED":
                case "CANCELLED":
                    throw new AzureException(operation, poll.Status,
                        $"Azure's long-running {operation} ended {body.Status}: {(body.Error?.Code is { } code ? code + ": " : string.Empty)}{body.Error?.Message ?? "(no message)"} (x-ms-request-id {initial.RequestId ?? "none"})",
                        body.Error?.Code ?? body.Status, body.Error?.Target, initial.RequestId ?? initial.CorrelationId)
                    {
                        CorrelationId = initial.CorrelationId,
                        ClientRequestId = initial.ClientRequestId,
                    };
                default:
                    delay = PollDelay(poll, ++polls);
                    break;
            }
        }
    }

    /// <summary>Polls a <c>Location</c> URL while it answers 202; the first 200/201/204 is the result.</summary>
    public async Task<ArmResponse> WaitForLocationAsync(string operation, ArmResponse initial, CancellationToken cancellationToken)
    {
        var location = Link(operation, initial.Location!, "Location");
        var deadline = Deadline(initial);
        var polls = 0;
        var delay = PollDelay(initial, polls);
        while (true)
        {
            await WaitAsync(operation, delay, deadline, cancellationToken).ConfigureAwait(false);
            var poll = await SendAsync(operation, RequestMethod.Get, location, null, cancellationToken).ConfigureAwait(false);
            if (poll.Status == 202)
            {
                if (poll.Location is { } next)
                {
                    location = Link(operation, next, "Location");
                }

                delay = PollDelay(poll, ++polls);
                continue;
            }

            if (!poll.IsSuccess)
            {
                throw Error(operation, poll, "polling its Location");
            }

            return poll;
        }
    }

    /// <summary>The retry policy's back-off before retry <paramref name="attempt"/> + 1 (for calls the pipeline does not retry itself).</summary>
    public TimeSpan RetryBackoff(int attempt) => ArmRetryPolicy.Backoff(Options, attempt);

    /// <summary>
    /// The wait before poll number <paramref name="polls"/> + 1: the service's <c>Retry-After</c> when the answer
    /// carries one, else Azure.Core's schedule for management (ARM) long-running operations — 1, 1, 1, 2, 4, 8, 16,
    /// 32 seconds, then 32 — capped to <see cref="AzureOptions.PollingInterval"/>.
    /// </summary>
    internal TimeSpan PollDelay(ArmResponse answer, int polls) =>
        answer.RetryAfter ?? PollSchedule(polls, Options.PollingInterval);

    /// <summary>Azure.Core's <c>SequentialDelayStrategy</c> (no jitter), capped to <paramref name="cap"/>.</summary>
    internal static TimeSpan PollSchedule(int polls, TimeSpan cap)
    {
        var seconds = polls < 3 ? 1 : 1 << Math.Min(polls - 2, 5);
        var delay = TimeSpan.FromSeconds(seconds);
        return delay < cap ? delay : cap;
    }

    private DateTimeOffset Deadline(ArmResponse initial)
    {
        var timeout = Options.LongRunningOperationTimeout;
        if (initial.AsyncOperationTimeout is { } text)
        {
            try
            {
                var service = XmlConvert.ToTimeSpan(text);
                if (service > TimeSpan.Zero && service < timeout)
                {
                    timeout = service;
                }
            }
            catch (FormatException)
            {
            }
        }

        return Time.GetUtcNow() + timeout;
    }

    private async Task WaitAsync(string operation, TimeSpan delay, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        if (now >= deadline)
        {
            throw new AzureException(operation, 0, $"Azure's long-running {operation} did not finish in time (LongRunningOperationTimeout {Options.LongRunningOperationTimeout}, or the service's x-ms-async-operation-timeout).", "OperationTimedOut");
        }

        if (now + delay > deadline)
        {
            delay = deadline - now;
        }

        await Task.Delay(delay, Time, cancellationToken).ConfigureAwait(false);
    }

    private static void Flatten(List<ArmErrorDto?>? details, List<AzureErrorDetail> into, int depth)
    {
        if (details is null || depth > 5)
        {
            return;
        }

        foreach (var detail in details)
        {
            if (detail is null)
            {
                continue;
            }

            into.Add(new AzureErrorDetail(detail.Code, detail.Message, detail.Target));
            Flatten(detail.Details, into, depth + 1);
        }
    }

    private sealed class ArmPipelineOptions : ClientOptions
    {
    }
}
