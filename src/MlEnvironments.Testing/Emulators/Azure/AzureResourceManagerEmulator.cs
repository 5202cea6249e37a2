using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace MlEnvironments.Testing;

/// <summary>
/// Azure Resource Manager on the loopback interface, over HTTPS, serving the state of an
/// <see cref="InMemoryAzureMachineLearning"/> and an <see cref="InMemoryAzureIdentity"/>: what the fakes hold is what
/// ARM answers, and what is written through ARM is in the fakes. It serves the Azure Machine Learning operations the
/// MlEnvironments interfaces use (workspaces, models, versions, publish, registry versions, jobs), the MLflow REST
/// calls under each workspace's tracking path, user-assigned identities, federated identity credentials and role
/// assignments — with ARM's envelopes, <c>nextLink</c> paging, long-running operations (<c>Azure-AsyncOperation</c>
/// and <c>Location</c>, completing after <see cref="AzureResourceManagerEmulatorOptions.LongRunningOperationPolls"/>
/// polls), error envelopes (<c>{"error":{"code","message","target","details"}}</c>), request ids, and injected
/// throttling (429 with <c>Retry-After</c>).
/// </summary>
/// <remarks>
/// <para>
/// Listens on <c>127.0.0.1</c> only, on a free port, with a self-signed certificate made at start (bearer tokens are
/// only ever sent over TLS). Give the client <see cref="CreateHttpMessageHandler"/>, which trusts exactly that
/// certificate, and point it at <see cref="Endpoint"/> instead of <c>https://management.azure.com/</c>.
/// </para>
/// <para>
/// Calls reach the fakes through their own methods, so they appear in their <c>Calls</c> and their <c>Faults</c>
/// apply: an injected <see cref="RemoteServiceException"/> answers with its status and code.
/// </para>
/// </remarks>
public sealed partial class AzureResourceManagerEmulator : IAsyncDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly AzureResourceManagerEmulatorOptions _options;
    private readonly HashSet<string> _acceptedTokens;
    private readonly SemaphoreSlim _serial = new(1, 1);
    private readonly object _gate = new();
    private readonly List<AzureEmulatorRequest> _requests = [];
    private readonly List<Throttle> _throttles = [];
    private readonly Dictionary<string, PendingOperation> _operations = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int> _reads = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int> _writes = new(StringComparer.OrdinalIgnoreCase);
    private (string Code, string Message)? _failNextOperation;
    private LoopbackHost? _host;
    private int _sequence;

    private AzureResourceManagerEmulator(InMemoryAzureMachineLearning machineLearning, InMemoryAzureIdentity identity, AzureResourceManagerEmulatorOptions options, X509Certificate2 certificate)
    {
        MachineLearning = machineLearning;
        Identity = identity;
        _options = options;
        Certificate = certificate;
        _acceptedTokens = new HashSet<string>(options.AcceptedTokens.Where(t => !string.IsNullOrEmpty(t)), StringComparer.Ordinal);
        Endpoint = new Uri("https://127.0.0.1/");
    }

    /// <summary>The ARM endpoint, e.g. <c>https://127.0.0.1:54321/</c>: what <c>https://management.azure.com/</c> is to Azure.</summary>
    public Uri Endpoint { get; private set; }

    /// <summary>The Azure Machine Learning fake whose state the emulator serves; seed it, and assert on it.</summary>
    public InMemoryAzureMachineLearning MachineLearning { get; }

    /// <summary>The identity and role-assignment fake whose state the emulator serves.</summary>
    public InMemoryAzureIdentity Identity { get; }

    /// <summary>The self-signed certificate the emulator serves (made at start for <c>127.0.0.1</c> and <c>localhost</c>).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Every request answered, in order. Never holds headers, query strings or bodies.</summary>
    public IReadOnlyList<AzureEmulatorRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests.OrderBy(r => r.Sequence)];
            }
        }
    }

    /// <summary>The requests whose method and path matched no operation the emulator serves.</summary>
    public IReadOnlyList<AzureEmulatorRequest> UnmatchedRequests => [.. Requests.Where(r => r.Operation is null)];

    /// <summary>Starts an emulator on <c>127.0.0.1</c> and a free port, over HTTPS.</summary>
    /// <param name="machineLearning">The Azure ML fake to serve; default a new, empty one.</param>
    /// <param name="identity">The identity fake to serve; default a new, empty one.</param>
    /// <param name="options">Authentication, paging and long-running operation settings.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running emulator; dispose it to stop it.</returns>
    public static async Task<AzureResourceManagerEmulator> StartAsync(
        InMemoryAzureMachineLearning? machineLearning = null,
        InMemoryAzureIdentity? identity = null,
        AzureResourceManagerEmulatorOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new AzureResourceManagerEmulatorOptions();
        if (options.PageSize < 1 || options.LongRunningOperationPolls < 0 || options.PollRetryAfter < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "PageSize must be positive; LongRunningOperationPolls and PollRetryAfter must not be negative.");
        }

        var emulator = new AzureResourceManagerEmulator(machineLearning ?? new InMemoryAzureMachineLearning(), identity ?? new InMemoryAzureIdentity(), options, CreateCertificate());
        try
        {
            await emulator.StartCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await emulator.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return emulator;
    }

    /// <summary>
    /// A handler for <see cref="HttpClient"/> (or Azure.Core's <c>HttpClientTransport</c>) that trusts exactly this
    /// emulator's certificate — compared by its SHA-256 hash — and nothing else, and follows no redirects.
    /// </summary>
    /// <returns>A new handler; the caller disposes it.</returns>
    public HttpMessageHandler CreateHttpMessageHandler()
    {
        var expected = Certificate.GetCertHash(HashAlgorithmName.SHA256);
        return new HttpClientHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
                certificate is not null && CryptographicOperations.FixedTimeEquals(certificate.GetCertHash(HashAlgorithmName.SHA256), expected),
        };
    }

    /// <summary>An <see cref="HttpClient"/> on <see cref="CreateHttpMessageHandler"/> with <see cref="Endpoint"/> as its base address.</summary>
    /// <returns>A new client; the caller disposes it.</returns>
    public HttpClient CreateHttpClient() => new(CreateHttpMessageHandler(), disposeHandler: true) { BaseAddress = Endpoint };

    /// <summary>Makes the next <paramref name="count"/> matching requests answer 429 <c>TooManyRequests</c> with <c>Retry-After</c>, as ARM throttles.</summary>
    /// <param name="count">How many requests are throttled.</param>
    /// <param name="retryAfter">The <c>Retry-After</c> (whole seconds); default one second.</param>
    /// <param name="when">Which requests (given method, path and operation; status 0); default every one.</param>
    public void InjectThrottling(int count = 1, TimeSpan? retryAfter = null, Func<AzureEmulatorRequest, bool>? when = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        lock (_gate)
        {
            _throttles.Add(new Throttle(count, retryAfter ?? TimeSpan.FromSeconds(1), when));
        }
    }

    /// <summary>Makes the next long-running operation accepted end <c>Failed</c> with this error instead of doing its work.</summary>
    /// <param name="code">The error code.</param>
    /// <param name="message">The error message.</param>
    public void FailNextLongRunningOperation(string code = "InternalServerError", string message = "The operation failed (injected by the emulator).")
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(message);
        lock (_gate)
        {
            _failNextOperation = (code, message);
        }
    }

    /// <summary>Stops the server and disposes the certificate.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        var host = Interlocked.Exchange(ref _host, null);
        if (host is not null)
        {
            await host.DisposeAsync().ConfigureAwait(false);
        }

        _serial.Dispose();
        Certificate.Dispose();
    }

    /// <summary>Returns the endpoint.</summary>
    public override string ToString() => "Azure Resource Manager emulator at " + Endpoint;

    internal static byte[] Serialize(JsonNode node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            node.WriteTo(writer);
        }

        return buffer.ToArray();
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1, O=MlEnvironments Azure emulator", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));

        // The validity period is wall-clock time on purpose: TLS stacks check it against the real clock.
        var now = DateTimeOffset.UtcNow;
        using var created = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(7));
        var pfx = created.Export(X509ContentType.Pfx);
#if NET9_0_OR_GREATER
        return X509CertificateLoader.LoadPkcs12(pfx, null);
#else
        return new X509Certificate2(pfx);
#endif
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        _host = await LoopbackHost.StartAsync("Azure emulator", HandleAsync, Certificate, cancellationToken).ConfigureAwait(false);
        Endpoint = _host.BaseAddress;
    }

    private async Task HandleAsync(HttpContext http)
    {
        var sequence = Interlocked.Increment(ref _sequence);
        var method = http.Request.Method.ToUpperInvariant();
        var rawTarget = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (http.Request.PathBase + http.Request.Path + http.Request.QueryString).ToString();
        if (Uri.TryCreate(rawTarget, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.OrdinalIgnoreCase))
        {
            rawTarget = absolute.PathAndQuery;
        }

        var queryStart = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var rawPath = queryStart < 0 ? rawTarget : rawTarget[..queryStart];
        var apiVersion = http.Request.Query["api-version"].ToString();
        var clientRequestId = http.Request.Headers["x-ms-client-request-id"].ToString();
        var route = Match(method, rawPath);

        ArmAnswer answer;
        try
        {
            if (route is null)
            {
                answer = ArmAnswer.Error(404, "NotFound", $"The emulator serves no {method} {rawPath}.");
            }
            else
            {
                var body = await ReadBodyAsync(http).ConfigureAwait(false);
                await _serial.WaitAsync(http.RequestAborted).ConfigureAwait(false);
                try
                {
                    answer = await ProcessAsync(http, route, body, rawPath, sequence, clientRequestId).ConfigureAwait(false);
                }
                finally
                {
                    _serial.Release();
                }
            }
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (BadHttpRequestException e)
        {
            answer = ArmAnswer.Error(e.StatusCode, "BadRequest", "The request could not be read.");
        }

        // Logged before the answer is written: a client that has its answer finds its request in Requests.
        lock (_gate)
        {
            _requests.Add(new AzureEmulatorRequest(sequence, method, rawPath, route?.Operation, answer.StatusCode,
                apiVersion.Length == 0 ? null : apiVersion, clientRequestId.Length == 0 ? null : clientRequestId));
        }

        await WriteAsync(http, answer, route, method, clientRequestId).ConfigureAwait(false);
    }

    private async Task<ArmAnswer> ProcessAsync(HttpContext http, Route route, byte[]? body, string rawPath, int sequence, string clientRequestId)
    {
        if (Authenticate(http) is { } failure)
        {
            return failure;
        }

        if (!route.IsMlflow && string.IsNullOrEmpty(http.Request.Query["api-version"].ToString()))
        {
            return ArmAnswer.Error(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests.");
        }

        if (Authorize(http, route) is { } refused)
        {
            return refused;
        }

        var pending = new AzureEmulatorRequest(sequence, route.Method, rawPath, route.Operation, 0, null, clientRequestId.Length == 0 ? null : clientRequestId);
        if (TakeThrottle(pending) is { } wait)
        {
            var seconds = Math.Max(0, (int)Math.Ceiling(wait.TotalSeconds));
            return ArmAnswer.Error(429, "TooManyRequests", $"The request is being throttled; retry after {seconds} seconds.")
                .WithHeader("Retry-After", seconds.ToString(CultureInfo.InvariantCulture));
        }

        JsonElement? json = null;
        JsonDocument? document = null;
        if (body is { Length: > 0 })
        {
            try
            {
                document = JsonDocument.Parse(body);
                json = document.RootElement;
            }
            catch (JsonException)
            {
                return ArmAnswer.Error(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized.");
            }
        }

        using (document)
        {
            var request = new ArmRequest(http, route, json);
            try
            {
                return await route.Handler(request).ConfigureAwait(false);
            }
            catch (RemoteServiceException e)
            {
                var status = e.StatusCode is >= 400 and < 600 ? e.StatusCode : 500;
                return route.IsMlflow
                    ? ArmAnswer.Mlflow(status, e.ErrorCode ?? "INTERNAL_ERROR", e.Message)
                    : ArmAnswer.Error(status, e.ErrorCode ?? DefaultCode(status), e.Message);
            }
            catch (EmulatorBadRequestException e)
            {
                return route.IsMlflow ? ArmAnswer.Mlflow(400, "INVALID_PARAMETER_VALUE", e.Message) : ArmAnswer.Error(400, e.Code, e.Message, e.Target);
            }
            catch (ArgumentException e)
            {
                return ArmAnswer.Error(400, "BadRequest", e.Message);
            }
            catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A fault injected with a custom exception type: answer as ARM answers an internal error.
                return ArmAnswer.Error(500, "InternalServerError", "Internal server error: " + e.Message);
            }
        }
    }

    private ArmAnswer? Authenticate(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
        if (string.IsNullOrEmpty(token))
        {
            return _options.RequireAuthorization
                ? ArmAnswer.Error(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing.")
                : null;
        }

        return _acceptedTokens.Count > 0 && !_acceptedTokens.Contains(token)
            ? ArmAnswer.Error(401, "InvalidAuthenticationToken", "The access token is invalid.")
            : null;
    }

    private TimeSpan? TakeThrottle(AzureEmulatorRequest request)
    {
        lock (_gate)
        {
            for (var i = 0; i < _throttles.Count; i++)
            {
                var throttle = _throttles[i];
                if (throttle.When is not null && !throttle.When(request))
                {
                    continue;
                }

                if (throttle.Remaining <= 1)
                {
                    _throttles.RemoveAt(i);
                }
                else
                {
                    _throttles[i] = throttle with { Remaining = throttle.Remaining - 1 };
                }

                return throttle.RetryAfter;
            }
        }

        return null;
    }

    private async Task WriteAsync(HttpContext http, ArmAnswer answer, Route? route, string method, string clientRequestId)
    {
        var response = http.Response;
        var headers = response.Headers;
        headers["x-ms-request-id"] = Guid.NewGuid().ToString("D");
        var correlation = http.Request.Headers["x-ms-correlation-request-id"].ToString();
        headers["x-ms-correlation-request-id"] = correlation.Length > 0 ? correlation : Guid.NewGuid().ToString("D");
        if (clientRequestId.Length > 0)
        {
            headers["x-ms-client-request-id"] = clientRequestId;
        }

        if (route is not null && !route.IsMlflow)
        {
            var subscription = SubscriptionOf(route, http.Request.Path.Value ?? string.Empty);
            lock (_gate)
            {
                var counters = method == "GET" ? _reads : _writes;
                counters[subscription] = counters.GetValueOrDefault(subscription) + 1;
                headers[method == "GET" ? "x-ms-ratelimit-remaining-subscription-reads" : "x-ms-ratelimit-remaining-subscription-writes"] =
                    Math.Max(0, (method == "GET" ? 12_000 : 1_200) - counters[subscription]).ToString(CultureInfo.InvariantCulture);
            }
        }

        foreach (var header in answer.Headers)
        {
            headers[header.Key] = header.Value;
        }

        response.StatusCode = answer.StatusCode;
        if (answer.Body is { } body)
        {
            var payload = Serialize(body);
            response.ContentType = "application/json; charset=utf-8";
            response.ContentLength = payload.Length;
            await response.Body.WriteAsync(payload, http.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            response.ContentLength = 0;
        }
    }

    private static string SubscriptionOf(Route route, string path)
    {
        var parts = path.Trim('/').Split('/');
        return parts.Length >= 2 && parts[0].Equals("subscriptions", StringComparison.OrdinalIgnoreCase) ? parts[1] : route.Operation;
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpContext http)
    {
        if (http.Request.ContentLength == 0)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted).ConfigureAwait(false);
        return buffer.Length == 0 ? null : buffer.ToArray();
    }

    private static string DefaultCode(int status) => status switch
    {
        400 => "BadRequest",
        401 => "AuthenticationFailed",
        403 => "AuthorizationFailed",
        404 => "ResourceNotFound",
        409 => "Conflict",
        429 => "TooManyRequests",
        _ => "InternalServerError",
    };

    private sealed record Throttle(int Remaining, TimeSpan RetryAfter, Func<AzureEmulatorRequest, bool>? When);
}

/// <summary>A request matched to a route, with what the handlers need.</summary>
internal sealed class ArmRequest(HttpContext http, AzureResourceManagerEmulator.Route route, JsonElement? body)
{
    public HttpContext Http { get; } = http;

    public AzureResourceManagerEmulator.Route Route { get; } = route;

    public JsonElement? Body { get; } = body;

    public CancellationToken CancellationToken => Http.RequestAborted;

    public string this[string parameter] => Route.Parameters[parameter];

    public string? Query(string name)
    {
        var value = Http.Request.Query[name].ToString();
        return value.Length == 0 ? null : value;
    }

    public string ApiVersion => Query("api-version") ?? string.Empty;
}

/// <summary>What a handler answers: status, JSON body (or none) and extra headers.</summary>
internal sealed class ArmAnswer
{
    private ArmAnswer(int statusCode, JsonNode? body)
    {
        StatusCode = statusCode;
        Body = body;
    }

    public int StatusCode { get; }

    public JsonNode? Body { get; }

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public static ArmAnswer Json(int statusCode, JsonNode body) => new(statusCode, body);

    public static ArmAnswer Empty(int statusCode) => new(statusCode, null);

    /// <summary>ARM's error envelope: <c>{"error":{"code","message","target","details":[]}}</c>.</summary>
    public static ArmAnswer Error(int statusCode, string code, string message, string? target = null)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (target is not null)
        {
            error["target"] = target;
        }

        error["details"] = new JsonArray();
        return new ArmAnswer(statusCode, new JsonObject { ["error"] = error });
    }

    /// <summary>MLflow's error body: <c>{"error_code","message"}</c>.</summary>
    public static ArmAnswer Mlflow(int statusCode, string code, string message) =>
        new(statusCode, new JsonObject { ["error_code"] = code, ["message"] = message });

    public ArmAnswer WithHeader(string name, string value)
    {
        Headers[name] = value;
        return this;
    }
}

/// <summary>A request body or parameter ARM would refuse with 400.</summary>
internal sealed class EmulatorBadRequestException(string code, string message, string? target = null) : Exception(message)
{
    public string Code { get; } = code;

    public string? Target { get; } = target;
}
