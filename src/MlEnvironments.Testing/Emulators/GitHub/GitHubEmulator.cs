using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace MlEnvironments.Testing;

/// <summary>
/// A GitHub REST API on the loopback interface, over the same state as an <see cref="InMemoryGitHub"/>: what the
/// fake holds is what the API answers, and what is written through the API is in the fake. It serves the
/// environment, branch-policy, protection-rule, environment secret and variable, identity, repository, OIDC,
/// App installation, rate-limit, deployment and deployment-status, workflow-run, workflow-dispatch, pending-deployment
/// review, custom-gate, workflow and file-content operations of GitHub's description (REST API version 2022-11-28), validates
/// every request against that description, pages, tags GET responses with ETags, reports rate limits, and can
/// require tokens or GitHub App JWTs.
/// </summary>
/// <remarks>
/// <para>
/// Listens on <c>127.0.0.1</c> only, on a free port chosen by the system, over plain HTTP. Start it with
/// <see cref="StartAsync"/> and point the client at <see cref="BaseAddress"/>, as it would point at
/// <c>https://api.github.com/</c>.
/// </para>
/// <para>
/// Requests are matched to operations by method and path template; a request that matches none answers 404 and is
/// listed in <see cref="UnmatchedRequests"/>. A JSON body that does not conform to the operation's schema answers
/// 422 and is listed in <see cref="SchemaViolations"/>. Operations of the description the emulator does not serve
/// answer 501. Calls reach the fake through its own methods, so they appear in <see cref="InMemoryGitHub.Calls"/>
/// and its <see cref="InMemoryGitHub.Faults"/> apply: an injected failure answers with its status code.
/// </para>
/// </remarks>
public sealed partial class GitHubEmulator : IAsyncDisposable
{
    private const string ApiVersion = "2022-11-28";
    private const string RepositoryMediaType = "application/vnd.github.v3.repository+json";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly TimeSpan MaxLatency = TimeSpan.FromHours(1);

    private readonly GitHubEmulatorOptions _options;
    private readonly OpenApiDescription _description = OpenApiDescription.Default;
    private readonly GitHubAppRegistry _apps = new();
    private readonly SemaphoreSlim _serial = new(1, 1);
    private readonly object _gate = new();
    private readonly List<EmulatorRequest> _requests = [];
    private readonly Dictionary<string, GitHubEmulatorKeyPair> _keyPairs = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _acceptedTokens;
    private LoopbackHost? _host;
    private GitHubJson? _json;
    private int _sequence;

    private GitHubEmulator(InMemoryGitHub state, GitHubEmulatorOptions options)
    {
        State = state;
        _options = options;
        _acceptedTokens = new HashSet<string>(options.AcceptedTokens.Where(t => !string.IsNullOrEmpty(t)), StringComparer.Ordinal);
        RateLimits = new GitHubEmulatorRateLimits(options.TimeProvider, options.PrimaryRateLimit);
        BaseAddress = new Uri("http://127.0.0.1/");
    }

    /// <summary>The API root, e.g. <c>http://127.0.0.1:54321/</c>: what <c>https://api.github.com/</c> is to GitHub.</summary>
    public Uri BaseAddress { get; private set; }

    /// <summary>The fake whose state the emulator serves; seed it, and assert on it.</summary>
    public InMemoryGitHub State { get; }

    /// <summary>
    /// Every request answered, in order. A request is listed before its answer is sent, so a client that has its
    /// answer finds it here. Never holds headers, query strings or bodies.
    /// </summary>
    public IReadOnlyList<EmulatorRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests.OrderBy(r => r.Sequence)];
            }
        }
    }

    /// <summary>The requests that did not conform to GitHub's description (a body or a path parameter).</summary>
    public IReadOnlyList<EmulatorRequest> SchemaViolations => [.. Requests.Where(r => r.SchemaErrors.Count > 0)];

    /// <summary>The requests whose method and path match no operation of the description.</summary>
    public IReadOnlyList<EmulatorRequest> UnmatchedRequests => [.. Requests.Where(r => r.OperationId is null)];

    /// <summary>The primary rate limit, and rate-limit failures to inject.</summary>
    public GitHubEmulatorRateLimits RateLimits { get; }

    /// <summary>Starts an emulator on <c>127.0.0.1</c> and a free port.</summary>
    /// <param name="state">The fake to serve; default a new, empty one (on <see cref="GitHubEmulatorOptions.TimeProvider"/>).</param>
    /// <param name="options">Authentication, clock and limits; default none required.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running emulator; dispose it to stop it.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="GitHubEmulatorOptions.Latency"/> is negative or longer than one hour.</exception>
    public static async Task<GitHubEmulator> StartAsync(InMemoryGitHub? state = null, GitHubEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new GitHubEmulatorOptions();
        if (options.Latency < TimeSpan.Zero || options.Latency > MaxLatency)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Latency, "GitHubEmulatorOptions.Latency must be between zero and one hour.");
        }

        var emulator = new GitHubEmulator(state ?? new InMemoryGitHub(options.TimeProvider), options);
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
    /// The Curve25519 key pair whose public key <c>actions/get-environment-public-key</c> answers for an environment
    /// (made on first use with Sodium.Core's <c>PublicKeyBox.GenerateKeyPair()</c>, then kept for the emulator's life).
    /// </summary>
    /// <param name="repository">The repository.</param>
    /// <param name="environmentName">The environment, without regard to case.</param>
    /// <returns>The key pair.</returns>
    public GitHubEmulatorKeyPair GetEnvironmentSecretKeyPair(RepositoryId repository, string environmentName)
    {
        ArgumentNullException.ThrowIfNull(environmentName);
        var key = repository.ToString() + "\n" + environmentName;
        lock (_gate)
        {
            if (!_keyPairs.TryGetValue(key, out var pair))
            {
                var generated = Sodium.PublicKeyBox.GenerateKeyPair();
                var keyId = BitConverter.ToUInt64(SHA256.HashData(generated.PublicKey), 0).ToString(CultureInfo.InvariantCulture);
                pair = new GitHubEmulatorKeyPair(keyId, generated.PublicKey, generated.PrivateKey);
                _keyPairs.Add(key, pair);
            }

            return pair;
        }
    }

    /// <summary>
    /// Registers a GitHub App with one installation on some repositories (added to <see cref="State"/> when unknown).
    /// JWTs the App signs (RS256, <c>iss</c> the App id, <c>exp</c> at most 10 minutes ahead) are then accepted by
    /// <c>apps/get-repo-installation</c> and <c>apps/create-installation-access-token</c>, and the installation tokens
    /// issued are accepted by every other operation on those repositories until they expire.
    /// </summary>
    /// <param name="appId">The App's id.</param>
    /// <param name="publicKey">The App's RSA key (only its public part is kept).</param>
    /// <param name="installationId">The installation's id.</param>
    /// <param name="repositories">The repositories the installation can access.</param>
    public void RegisterApp(long appId, RSA publicKey, long installationId, params RepositoryId[] repositories)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentNullException.ThrowIfNull(repositories);
        foreach (var repository in repositories)
        {
            State.AddRepository(repository);
        }

        _apps.Register(appId, publicKey.ExportParameters(false), installationId, repositories);
    }

    /// <summary>Registers a GitHub App from a PEM key (public, or the private key GitHub gives; only its public part is kept).</summary>
    /// <param name="appId">The App's id.</param>
    /// <param name="publicKeyPem">The key, PEM-encoded.</param>
    /// <param name="installationId">The installation's id.</param>
    /// <param name="repositories">The repositories the installation can access.</param>
    public void RegisterApp(long appId, string publicKeyPem, long installationId, params RepositoryId[] repositories)
    {
        ArgumentNullException.ThrowIfNull(publicKeyPem);
        using var rsa = RSA.Create();
        rsa.ImportFromPem(publicKeyPem);
        RegisterApp(appId, rsa, installationId, repositories);
    }

    /// <summary>Stops the server.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        var host = Interlocked.Exchange(ref _host, null);
        if (host is not null)
        {
            await host.DisposeAsync().ConfigureAwait(false);
        }

        _serial.Dispose();
        _apps.Dispose();
    }

    /// <summary>Returns the base address.</summary>
    public override string ToString() => "GitHub emulator at " + BaseAddress;

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        _host = await LoopbackHost.StartAsync("GitHub emulator", HandleAsync, certificate: null, cancellationToken).ConfigureAwait(false);
        BaseAddress = _host.BaseAddress;
        _json = new GitHubJson(BaseAddress);
    }

    private async Task HandleAsync(HttpContext http)
    {
        var sequence = Interlocked.Increment(ref _sequence);
        var requestId = NewRequestId();
        var method = http.Request.Method.ToUpperInvariant();
        var rawTarget = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (http.Request.PathBase + http.Request.Path + http.Request.QueryString).ToString();
        if (Uri.TryCreate(rawTarget, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.OrdinalIgnoreCase))
        {
            rawTarget = absolute.PathAndQuery;
        }

        var queryStart = rawTarget.IndexOf('?', StringComparison.Ordinal);
        var rawPath = queryStart < 0 ? rawTarget : rawTarget[..queryStart];
        var rawQuery = queryStart < 0 ? string.Empty : rawTarget[(queryStart + 1)..];

        var trace = new RequestTrace();
        EmulatorResult result;
        OpenApiOperation? operation = null;
        try
        {
            if (_options.Latency > TimeSpan.Zero)
            {
                // Wall-clock on purpose (see GitHubEmulatorOptions.Latency), and outside the serial section so that
                // concurrent requests wait in parallel.
                await Task.Delay(_options.Latency, http.RequestAborted).ConfigureAwait(false);
            }

            var match = _description.Match(method, SplitPath(rawPath));
            operation = match?.Operation;
            if (match is null)
            {
                result = EmulatorResult.Error(404, "Not Found", "https://docs.github.com/rest");
            }
            else
            {
                var body = await ReadBodyAsync(http).ConfigureAwait(false);
                await _serial.WaitAsync(http.RequestAborted).ConfigureAwait(false);
                try
                {
                    result = await ProcessAsync(http, match, body, rawPath, rawQuery, sequence, trace).ConfigureAwait(false);
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
            result = EmulatorResult.Error(e.StatusCode, e.StatusCode == 413 ? "Request body too large" : "Bad request", "https://docs.github.com/rest");
        }

        // Recorded once the status is known and before any byte of the answer leaves, so that a client that has
        // its answer finds the request in Requests.
        await WriteAsync(http, result, method, operation, requestId, status =>
        {
            lock (_gate)
            {
                _requests.Add(new EmulatorRequest(sequence, method, rawPath, operation?.Id, status, trace.BodyValid, [.. trace.Errors]));
            }
        }).ConfigureAwait(false);
    }

    private async Task<EmulatorResult> ProcessAsync(HttpContext http, OpenApiMatch match, byte[]? body, string rawPath, string rawQuery, int sequence, RequestTrace trace)
    {
        var operation = match.Operation;
        var docs = operation.DocumentationUrl;

        var (failure, app, token) = Authenticate(http, operation);
        if (failure is not null)
        {
            return failure;
        }

        var version = http.Request.Headers["X-GitHub-Api-Version"].ToString();
        if (version.Length > 0 && version != ApiVersion)
        {
            return EmulatorResult.Error(400, $"The emulator implements REST API version {ApiVersion}; '{version}' is not supported.", "https://docs.github.com/rest/about-the-rest-api/api-versions");
        }

        var pending = new EmulatorRequest(sequence, http.Request.Method.ToUpperInvariant(), rawPath, operation.Id, 0, true, []);
        if ((RateLimits.TakeInjected(pending) ?? RateLimits.Exhausted()) is { } limited)
        {
            return EmulatorResult.RateLimited(limited);
        }

        foreach (var parameter in operation.Parameters.Where(p => p.In == "path"))
        {
            if (!match.PathParameters.TryGetValue(parameter.Name, out var value) || value.Length == 0)
            {
                trace.Errors.Add($"path parameter '{parameter.Name}' is missing.");
            }
            else if (parameter.Schema.ValueKind == JsonValueKind.Object && parameter.Schema.TryGetProperty("type", out var type) &&
                     type.GetString() == "integer" && !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            {
                trace.Errors.Add($"path parameter '{parameter.Name}' must be an integer.");
            }
        }

        if (trace.Errors.Count > 0)
        {
            return EmulatorResult.Error(404, "Not Found", docs);
        }

        var context = new RequestContext(http, match, rawPath, rawQuery) { App = app };
        if (match.PathParameters.TryGetValue("owner", out var owner) && match.PathParameters.TryGetValue("repo", out var repo))
        {
            if (!RepositoryId.TryParse(owner + "/" + repo, out var repository))
            {
                return EmulatorResult.Error(404, "Not Found", docs);
            }

            context.Repository = repository;
            if (token is not null && !token.Repositories.Contains(repository))
            {
                return EmulatorResult.Error(404, "Not Found", docs);
            }
        }

        if (operation.RequestBodySchema is { } schema)
        {
            JsonDocument? document = null;
            if (body is { Length: > 0 })
            {
                try
                {
                    document = JsonDocument.Parse(body);
                }
                catch (JsonException)
                {
                    trace.BodyValid = false;
                    trace.Errors.Add("(body): not valid JSON.");
                    return EmulatorResult.Error(400, "Problems parsing JSON", docs);
                }
            }

            using (document)
            {
                var errors = document is null
                    ? operation.RequestBodyRequired ? JsonSchemaValidator.Validate(schema, null) : []
                    : JsonSchemaValidator.Validate(schema, document.RootElement);
                if (errors.Count > 0)
                {
                    trace.BodyValid = false;
                    trace.Errors.AddRange(errors);
                    return EmulatorResult.Error(422, "Invalid request.\n\n" + string.Join("\n", errors), docs);
                }

                context.Body = document?.RootElement;
                return await DispatchGuardedAsync(context).ConfigureAwait(false);
            }
        }

        return await DispatchGuardedAsync(context).ConfigureAwait(false);
    }

    private async Task<EmulatorResult> DispatchGuardedAsync(RequestContext context)
    {
        var docs = context.Operation.DocumentationUrl;
        try
        {
            var handler = DispatchAsync(context);
            return handler is null
                ? EmulatorResult.Error(501, $"The GitHub emulator does not implement {context.Operation.Id}.", docs)
                : await handler.ConfigureAwait(false);
        }
        catch (RemoteServiceException e)
        {
            var status = e.StatusCode is >= 400 and < 600 ? e.StatusCode : 500;
            return EmulatorResult.Error(status, status == 404 ? "Not Found" : e.Message, docs);
        }
        catch (OperationCanceledException) when (context.Http.RequestAborted.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A fault injected with a custom exception type: answer as GitHub answers an internal error.
            return EmulatorResult.Error(500, "Server Error: " + e.Message, docs);
        }
    }

    private (EmulatorResult? Failure, RegisteredApp? App, IssuedToken? Token) Authenticate(HttpContext http, OpenApiOperation operation)
    {
        var credential = ParseAuthorization(http.Request.Headers.Authorization.ToString());
        var now = _options.TimeProvider.GetUtcNow();
        if (operation.Id.StartsWith("apps/", StringComparison.Ordinal))
        {
            if (credential is null)
            {
                return (EmulatorResult.Error(401, "A JSON web token could not be decoded", operation.DocumentationUrl), null, null);
            }

            var (app, error) = _apps.ValidateJwt(credential, now);
            return app is null
                ? (EmulatorResult.Error(401, error!, operation.DocumentationUrl), null, null)
                : (null, app, null);
        }

        if (credential is not null && _apps.FindToken(credential) is { } token)
        {
            return token.ExpiresAt > now
                ? (null, null, token)
                : (EmulatorResult.Error(401, "Bad credentials", "https://docs.github.com/rest"), null, null);
        }

        if (_acceptedTokens.Count > 0 && (credential is null || !_acceptedTokens.Contains(credential)))
        {
            return (EmulatorResult.Error(401, "Bad credentials", "https://docs.github.com/rest"), null, null);
        }

        return (null, null, null);
    }

    private static string? ParseAuthorization(string header)
    {
        var space = header.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return null;
        }

        var scheme = header[..space];
        var value = header[(space + 1)..].Trim();
        return value.Length > 0 && (scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase) || scheme.Equals("token", StringComparison.OrdinalIgnoreCase))
            ? value
            : null;
    }

    private async Task WriteAsync(HttpContext http, EmulatorResult result, string method, OpenApiOperation? operation, string requestId, Action<int> record)
    {
        var response = http.Response;
        var headers = response.Headers;
        headers["X-GitHub-Request-Id"] = requestId;
        headers["X-GitHub-Media-Type"] = "github.v3; format=json";
        headers["X-GitHub-Api-Version-Selected"] = ApiVersion;
        foreach (var header in result.Headers)
        {
            headers[header.Key] = header.Value;
        }

        byte[]? payload = null;
        var body = result.Body;
        if (result.RateLimit is { } limit)
        {
            body = ErrorBody(limit.StatusCode, string.Format(CultureInfo.InvariantCulture, limit.MessageFormat, requestId), limit.DocumentationUrl);
        }

        if (body is not null)
        {
            payload = Serialize(body);
        }

        var status = result.StatusCode;
        if (payload is not null && method == "GET" && status == 200)
        {
            var etag = "W/\"" + Convert.ToHexString(SHA256.HashData(payload)).ToLowerInvariant() + "\"";
            headers.ETag = etag;
            if (Matches(http.Request.Headers.IfNoneMatch.ToString(), etag))
            {
                status = 304;
                payload = null;
            }
        }

        var counts = status != 304 && result.RateLimit is null && operation?.Id != "rate-limit/get";
        if (counts)
        {
            RateLimits.Count();
        }

        var (limitValue, remaining, used, reset) = RateLimits.Snapshot();
        if (result.RateLimit is { Secondary: false })
        {
            remaining = 0;
            used = limitValue;
        }

        headers["x-ratelimit-limit"] = limitValue.ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-used"] = used.ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-reset"] = reset.ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-resource"] = "core";
        if (result.RateLimit is { Secondary: true } secondary)
        {
            headers.RetryAfter = secondary.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }

        response.StatusCode = status;
        record(status);
        if (payload is not null)
        {
            response.ContentType = "application/json; charset=utf-8";
            response.ContentLength = payload.Length;
            await response.Body.WriteAsync(payload, http.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            response.ContentLength = 0;
        }
    }

    private static bool Matches(string ifNoneMatch, string etag)
    {
        if (ifNoneMatch.Length == 0)
        {
            return false;
        }

        var opaque = etag.StartsWith("W/", StringComparison.Ordinal) ? etag[2..] : etag;
        foreach (var candidate in ifNoneMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var value = candidate.StartsWith("W/", StringComparison.OrdinalIgnoreCase) ? candidate[2..] : candidate;
            if (value == "*" || value == opaque)
            {
                return true;
            }
        }

        return false;
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

    private static string[] SplitPath(string rawPath)
    {
        var parts = rawPath.Split('/');
        var segments = new string[Math.Max(parts.Length - 1, 0)];
        for (var i = 1; i < parts.Length; i++)
        {
            try
            {
                segments[i - 1] = Uri.UnescapeDataString(parts[i]);
            }
            catch (UriFormatException)
            {
                segments[i - 1] = parts[i];
            }
        }

        return segments;
    }

    private static string NewRequestId()
    {
        Span<byte> bytes = stackalloc byte[10];
        RandomNumberGenerator.Fill(bytes);
        var hex = Convert.ToHexString(bytes);
        return $"{hex[..4]}:{hex[4..8]}:{hex[8..14]}:{hex[14..20]}:{BitConverter.ToUInt32(bytes[..4]):X8}";
    }

    internal static byte[] Serialize(JsonNode node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            node.WriteTo(writer);
        }

        return buffer.ToArray();
    }

    internal static JsonObject ErrorBody(int status, string message, string documentationUrl) => new()
    {
        ["message"] = message,
        ["documentation_url"] = documentationUrl,
        ["status"] = status.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>What the pipeline learnt about a request's conformance.</summary>
    private sealed class RequestTrace
    {
        public bool BodyValid { get; set; } = true;

        public List<string> Errors { get; } = [];
    }
}
