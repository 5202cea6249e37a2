using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace MlEnvironments.GitHub.Http;

/// <summary>
/// Adds what every GitHub request needs: the API version, the media type, the token (asked for on every request),
/// and a JSON content type for bodies (Octokit labels string bodies as form data).
/// </summary>
internal sealed class GitHubHeadersHandler(IGitHubTokenProvider? tokens, GitHubOptions options) : DelegatingHandler
{
    private readonly Uri _api = GitHubConnection.NormalizeBase(options.BaseAddress);

    private bool IsApiHost(Uri? uri) =>
        uri is not null &&
        string.Equals(uri.Scheme, _api.Scheme, StringComparison.OrdinalIgnoreCase) &&
        string.Equals(uri.IdnHost, _api.IdnHost, StringComparison.OrdinalIgnoreCase) &&
        uri.Port == _api.Port;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, GitHubCallScope.CancellationToken);
        var token = linked.Token;
        request.Headers.Remove("X-GitHub-Api-Version");
        request.Headers.TryAddWithoutValidation("X-GitHub-Api-Version", options.ApiVersion);
        request.Headers.Accept.Clear();
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        if (!IsApiHost(request.RequestUri))
        {
            // A redirect to another host (Octokit follows them) never carries our token.
            request.Headers.Authorization = null;
        }
        else if (tokens is not null && request.Headers.Authorization is null)
        {
            var value = await tokens.GetTokenAsync(GitHubCallScope.Repository, token).ConfigureAwait(false);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", value);
        }

        if (request.Content is { } content &&
            (content.Headers.ContentType is null || content.Headers.ContentType.MediaType == "application/x-www-form-urlencoded"))
        {
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        var response = await base.SendAsync(request, token).ConfigureAwait(false);
        if (response.Headers.TryGetValues("X-GitHub-Request-Id", out var ids))
        {
            GitHubCallScope.LastRequestId = ids.FirstOrDefault();
        }

        ResolveLocation(request, response);

        if (GitHubRetryHandler.RemainingIsZero(response))
        {
            GitHubCallScope.LastRateLimitReset = GitHubRetryHandler.ResetAt(response);
        }

        return response;
    }

    /// <summary>
    /// Makes a <c>Location</c> absolute before Octokit follows it: a relative one (<c>/repos/o/r/…</c>, <c>../x</c>) and a
    /// scheme-relative one (<c>//host/path</c>) are resolved against the request's URI (RFC 9110 §10.2.2), so the
    /// same-origin rule for the token then applies to where it really points. A Location that is not an http(s) URL
    /// once resolved fails with a <see cref="GitHubException"/> instead of Octokit's "relative URI" error.
    /// </summary>
    internal static void ResolveLocation(HttpRequestMessage request, HttpResponseMessage response)
    {
        if (response.Headers.Location is not { } location || request.RequestUri is not { IsAbsoluteUri: true } requestUri)
        {
            return;
        }

        if (location.IsAbsoluteUri && (location.Scheme == Uri.UriSchemeHttps || location.Scheme == Uri.UriSchemeHttp))
        {
            return;
        }

        // On Unix, "/path" and "//host/path" can parse as absolute file URIs: what GitHub sent is the original text.
        var text = location.OriginalString;
        if (Uri.TryCreate(requestUri, text, out var resolved) &&
            (resolved.Scheme == Uri.UriSchemeHttps || resolved.Scheme == Uri.UriSchemeHttp) && !text.Contains('\\', StringComparison.Ordinal))
        {
            response.Headers.Location = resolved;
            return;
        }

        var status = (int)response.StatusCode;
        var requestId = GitHubCallScope.LastRequestId;
        response.Dispose();
        throw new GitHubException(
            GitHubCallScope.Operation ?? $"{request.Method.Method} {requestUri.AbsolutePath}", status,
            $"GitHub answered {status} to {request.Method.Method} {requestUri.AbsolutePath} with a Location that is not an http(s) URL ('{Printable(text)}'); the client does not follow it.",
            null, requestId);
    }

    private static string Printable(string text)
    {
        var cut = text.Length > 200 ? text[..200] + "…" : text;
        return string.Concat(cut.Select(c => char.IsControl(c) ? '?' : c));
    }
}

/// <summary>
/// Keeps writes serial with a pause between them (GitHub's guidance for mutating requests); reads pass freely.
/// </summary>
internal sealed class GitHubWriteGateHandler(GitHubOptions options, TimeProvider time) : DelegatingHandler
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _lastWriteTicks = long.MinValue;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Get || request.Method == HttpMethod.Head)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var last = Interlocked.Read(ref _lastWriteTicks);
            if (last != long.MinValue && options.WritePause > TimeSpan.Zero)
            {
                var wait = last + options.WritePause.Ticks - time.GetUtcNow().UtcTicks;
                if (wait > 0)
                {
                    await Task.Delay(TimeSpan.FromTicks(wait), time, cancellationToken).ConfigureAwait(false);
                }
            }

            try
            {
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Exchange(ref _lastWriteTicks, time.GetUtcNow().UtcTicks);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _gate.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>
/// Re-reads with <c>If-None-Match</c>: a 304 costs no rate limit and is answered from the copy kept of the last 200
/// in the <see cref="IGitHubResponseCache"/> (in memory by default), under a key partitioned per API host and
/// credential.
/// </summary>
internal sealed class GitHubConditionalRequestHandler(GitHubRequestCounters counters, IGitHubResponseCache cache) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method != HttpMethod.Get || request.RequestUri is not { IsAbsoluteUri: true } uri)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var key = KeyOf(request, uri);
        GitHubCachedResponse? cached = null;
        try
        {
            cached = await cache.GetAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A store that cannot be read is a miss.
        }

        if (cached is not null)
        {
            request.Headers.IfNoneMatch.Clear();
            request.Headers.TryAddWithoutValidation("If-None-Match", cached.ETag);
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotModified && cached is not null)
        {
            counters.NotModified();
            var replay = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request, Version = response.Version };
            foreach (var (name, value) in cached.Headers)
            {
                replay.Headers.TryAddWithoutValidation(name, value);
            }

            foreach (var header in response.Headers.Where(h => h.Key.StartsWith("x-ratelimit-", StringComparison.OrdinalIgnoreCase) || h.Key.Equals("X-GitHub-Request-Id", StringComparison.OrdinalIgnoreCase)))
            {
                replay.Headers.Remove(header.Key);
                replay.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            replay.Content = new ReadOnlyMemoryContent(cached.Body);
            if (cached.ContentType is { } contentType && MediaTypeHeaderValue.TryParse(contentType, out var parsed))
            {
                replay.Content.Headers.ContentType = parsed;
            }

            response.Dispose();
            return replay;
        }

        if (IsStorable(request, response) && response.Headers.ETag is { } etag)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var contentType = response.Content.Headers.ContentType;
            try
            {
                await cache.SetAsync(key, new GitHubCachedResponse(
                    etag.ToString(),
                    body,
                    contentType?.ToString(),
                    [.. response.Headers.Where(h => IsReplayed(h.Key)).SelectMany(h => h.Value.Select(v => new KeyValuePair<string, string>(h.Key, v)))]),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A store that cannot write loses 304s, never the answer.
            }

            var fresh = new ByteArrayContent(body);
            fresh.Headers.ContentType = contentType;
            response.Content = fresh;
        }

        return response;
    }

    /// <summary>
    /// The key of a GET: partitioned per API host and <c>Authorization</c> value, since GitHub's answers vary on them
    /// (<c>Vary: Accept, Authorization, Cookie</c>; RFC 9111 §4.1: a copy kept for one credential answers no other);
    /// the entry is the URI with the other headers the answer varies on.
    /// </summary>
    internal static GitHubResponseCacheKey KeyOf(HttpRequestMessage request, Uri uri) =>
        new(GitHubResponseCacheKey.PartitionFor(uri, request.Headers.Authorization?.ToString()),
            uri,
            string.Join(", ", request.Headers.Accept.Select(a => a.ToString())) + "\n" +
            (request.Headers.TryGetValues("X-GitHub-Api-Version", out var versions) ? string.Join(",", versions) : string.Empty));

    /// <summary>
    /// What may be kept, on disk too: the answer to a GET, 200 with an <c>ETag</c>, not marked <c>no-store</c>, and not
    /// from an endpoint that issues credentials. GitHub returns no secret value on any GET — a secret's value is
    /// write-only, its listings carry names and dates — so what is kept is what any reader of the repository sees.
    /// An environment's or repository's public key (<c>…/secrets/public-key</c>) is kept: it is public by design
    /// (anyone it is given to can only seal values for GitHub), and it is revalidated by its <c>ETag</c> on every use,
    /// so a rotated key is never used stale.
    /// </summary>
    internal static bool IsStorable(HttpRequestMessage request, HttpResponseMessage response)
    {
        if (request.Method != HttpMethod.Get || response.StatusCode != HttpStatusCode.OK || response.Headers.ETag is null ||
            response.Headers.CacheControl is { NoStore: true } || request.Headers.CacheControl is { NoStore: true })
        {
            return false;
        }

        var path = request.RequestUri?.AbsolutePath ?? string.Empty;
        return !CredentialSegments.Any(segment => path.Split('/').Contains(segment, StringComparer.OrdinalIgnoreCase));
    }

    /// <summary>Path segments of the endpoints that issue or show credentials (installation tokens, runner tokens, OAuth tokens).</summary>
    private static readonly string[] CredentialSegments = ["access_tokens", "token", "registration-token", "remove-token", "authorizations"];

    /// <summary>The response headers kept and replayed with a copy: not the rate limits, the request id, cookies or the token's expiry.</summary>
    private static bool IsReplayed(string name) =>
        !name.StartsWith("x-ratelimit-", StringComparison.OrdinalIgnoreCase) &&
        !name.Equals("X-GitHub-Request-Id", StringComparison.OrdinalIgnoreCase) &&
        !name.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase) &&
        !name.Equals("github-authentication-token-expiration", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Retries rate limits (403 or 429) after <c>retry-after</c>, else after <c>x-ratelimit-reset</c> when the
/// remaining count is 0, else with exponential backoff from one minute (secondary limits); retries 5xx answers and
/// network failures of idempotent requests with backoff. Every wait goes through <see cref="TimeProvider"/>.
/// </summary>
internal sealed partial class GitHubRetryHandler(GitHubOptions options, TimeProvider time, GitHubRequestCounters counters, ILogger logger) : DelegatingHandler
{
    private readonly object _pace = new();
    private DateTimeOffset _nextAllowed = DateTimeOffset.MinValue;
    private string _paceReason = string.Empty;

    /// <summary>Waits at least this long are logged at Warning (what, how long, until when), shorter ones at Debug.</summary>
    internal static readonly TimeSpan VisibleWait = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan SecondaryLimitBackoff = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ServerErrorBackoff = TimeSpan.FromSeconds(1);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var idempotent = request.Method == HttpMethod.Get || request.Method == HttpMethod.Head ||
                         request.Method == HttpMethod.Put || request.Method == HttpMethod.Delete;
        var write = request.Method != HttpMethod.Get && request.Method != HttpMethod.Head;
        if (request.Content is not null)
        {
#if NET9_0_OR_GREATER
            await request.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
#else
            await request.Content.LoadIntoBufferAsync().ConfigureAwait(false);
#endif
        }

        for (var attempt = 0; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await PaceAsync(request, cancellationToken).ConfigureAwait(false);
            HttpResponseMessage response;
            counters.Sent(write);

            // The timeout bounds one attempt on the wire (real time); waits between attempts are not part of it.
            using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptTimeout.CancelAfter(options.RequestTimeout);
            try
            {
                response = await base.SendAsync(request, attemptTimeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                if (!idempotent || attempt >= options.MaxRetries)
                {
                    throw new TimeoutException(
                        $"GitHub did not answer {request.Method.Method} {Path(request)} within {options.RequestTimeout} (MlEnvironments:GitHub:RequestTimeout).");
                }

                var delay = Backoff(ServerErrorBackoff, attempt);
                LogNetworkRetry(logger, request.Method.Method, Path(request), delay, "timed out");
                await WaitAsync(delay, cancellationToken).ConfigureAwait(false);
                counters.Retried();
                continue;
            }
            catch (HttpRequestException e) when (idempotent && attempt < options.MaxRetries)
            {
                var delay = Backoff(ServerErrorBackoff, attempt);
                LogNetworkRetry(logger, request.Method.Method, Path(request), delay, e.Message);
                await WaitAsync(delay, cancellationToken).ConfigureAwait(false);
                counters.Retried();
                continue;
            }

            ObserveRemaining(response);
            var (delayBeforeRetry, reason) = await RetryDelayAsync(response, idempotent, attempt, cancellationToken).ConfigureAwait(false);
            if (delayBeforeRetry is not { } wait)
            {
                return response;
            }

            if (attempt >= options.MaxRetries)
            {
                return response;
            }

            var until = time.GetUtcNow() + wait;
            if (wait > options.MaxRetryDelay)
            {
                if (reason is null)
                {
                    return response;
                }

                // Fail fast, saying what was asked: waiting longer than the user allows is not an option.
                var status = (int)response.StatusCode;
                var requestId = response.Headers.TryGetValues("X-GitHub-Request-Id", out var ids) ? ids.FirstOrDefault() : null;
                var resetsAt = RemainingIsZero(response) && ResetAt(response) is { } reset ? reset : until;
                response.Dispose();
                throw new GitHubRateLimitException(GitHubCallScope.Operation ?? $"{request.Method.Method} {Path(request)}", status,
                    string.Create(CultureInfo.InvariantCulture,
                        $"GitHub answered {status} to {request.Method.Method} {Path(request)} ({reason}) and asks to wait {Describe(wait)}, until {until:u}; that is longer than the client may wait (MlEnvironments:GitHub:{nameof(GitHubOptions.MaxRetryDelay)} = {Describe(options.MaxRetryDelay)}).") +
                    " Try again after that time, or raise MaxRetryDelay.",
                    resetsAt, requestId);
            }

            if (wait >= VisibleWait)
            {
                LogWaiting(logger, wait, until, request.Method.Method, Path(request), (int)response.StatusCode, reason ?? "server error", attempt + 1);
            }
            else
            {
                LogRetry(logger, request.Method.Method, Path(request), (int)response.StatusCode, wait, attempt + 1);
            }

            response.Dispose();
            await WaitAsync(wait, cancellationToken).ConfigureAwait(false);
            counters.Retried();
        }
    }

    /// <summary>The wait before a retry, and for a rate limit what asked for it (<see langword="null"/> for a server error).</summary>
    private async Task<(TimeSpan? Delay, string? RateLimit)> RetryDelayAsync(HttpResponseMessage response, bool idempotent, int attempt, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (status is 403 or 429)
        {
            var rateLimited = status == 429 || RemainingIsZero(response);
            if (!rateLimited)
            {
#if NET9_0_OR_GREATER
                await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
#else
                await response.Content.LoadIntoBufferAsync().ConfigureAwait(false);
#endif
                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                rateLimited = body.Contains("rate limit", StringComparison.OrdinalIgnoreCase);
            }

            if (!rateLimited)
            {
                return (null, null);
            }

            counters.Limited();
            if (response.Headers.RetryAfter is { } retryAfter)
            {
                return (retryAfter.Delta ?? (retryAfter.Date is { } date ? Max(date - time.GetUtcNow(), TimeSpan.Zero) : SecondaryLimitBackoff), "rate limit, Retry-After");
            }

            if (RemainingIsZero(response) && ResetAt(response) is { } reset)
            {
                return (Max(reset - time.GetUtcNow(), TimeSpan.Zero) + TimeSpan.FromSeconds(1), "primary rate limit exhausted, x-ratelimit-reset");
            }

            return (Backoff(SecondaryLimitBackoff, attempt), "secondary rate limit, backing off");
        }

        if (idempotent && status is 500 or 502 or 503 or 504)
        {
            return (Backoff(ServerErrorBackoff, attempt), null);
        }

        return (null, null);
    }

    /// <summary>Waits, when the remaining budget is low, for this request's slot.</summary>
    private async Task PaceAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        TimeSpan wait;
        DateTimeOffset until;
        string reason;
        lock (_pace)
        {
            until = _nextAllowed;
            wait = until - time.GetUtcNow();
            reason = _paceReason;
        }

        if (wait <= TimeSpan.Zero)
        {
            return;
        }

        if (wait > options.MaxRetryDelay)
        {
            throw new GitHubRateLimitException(GitHubCallScope.Operation ?? $"{request.Method.Method} {Path(request)}", 429,
                string.Create(CultureInfo.InvariantCulture,
                    $"Sending {request.Method.Method} {Path(request)} now would exhaust GitHub's rate limit ({reason}): the client would wait {Describe(wait)}, until {until:u}, longer than it may (MlEnvironments:GitHub:{nameof(GitHubOptions.MaxRetryDelay)} = {Describe(options.MaxRetryDelay)}).") +
                " Try again after that time, or raise MaxRetryDelay.",
                until);
        }

        if (wait >= VisibleWait)
        {
            LogPacing(logger, wait, until, request.Method.Method, Path(request), reason);
        }

        await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Spreads the remaining requests over the time left until the reset once fewer than the reserve remain.</summary>
    private void ObserveRemaining(HttpResponseMessage response)
    {
        if (options.SlowDownBelowRemaining <= 0 ||
            !response.Headers.TryGetValues("x-ratelimit-remaining", out var values) ||
            !int.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var remaining) ||
            remaining <= 0 || remaining >= options.SlowDownBelowRemaining || ResetAt(response) is not { } reset)
        {
            return;
        }

        var now = time.GetUtcNow();
        var spacing = TimeSpan.FromTicks(Math.Max(0, (reset - now).Ticks) / (remaining + 1));
        lock (_pace)
        {
            var next = now + spacing;
            if (next > _nextAllowed)
            {
                _nextAllowed = next;
                _paceReason = string.Create(CultureInfo.InvariantCulture,
                    $"{remaining} requests left until the limit resets at {reset:u}; one request every {Describe(spacing)}");
            }
        }

        LogSlowDown(logger, remaining, spacing);
    }

    internal static bool RemainingIsZero(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-ratelimit-remaining", out var values) && values.FirstOrDefault() == "0";

    internal static DateTimeOffset? ResetAt(HttpResponseMessage response) =>
        response.Headers.TryGetValues("x-ratelimit-reset", out var values) &&
        long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    private Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, time, cancellationToken);

    private static TimeSpan Backoff(TimeSpan first, int attempt) => TimeSpan.FromTicks(first.Ticks << Math.Min(attempt, 10));

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static string Path(HttpRequestMessage request) => request.RequestUri?.AbsolutePath ?? string.Empty;

    /// <summary>A wait for people: <c>42 s</c>, <c>3 min 5 s</c>, <c>1 h 2 min</c>.</summary>
    internal static string Describe(TimeSpan wait)
    {
        if (wait < TimeSpan.FromMinutes(1))
        {
            return string.Create(CultureInfo.InvariantCulture, $"{Math.Ceiling(wait.TotalSeconds):0} s");
        }

        var seconds = (long)Math.Ceiling(wait.TotalSeconds);
        return seconds >= 3600
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600} h {seconds % 3600 / 60} min")
            : string.Create(CultureInfo.InvariantCulture, $"{seconds / 60} min {seconds % 60} s");
    }

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Waiting {Delay} (until {Until:u}) before retrying {Method} {Path}: GitHub answered {Status} ({Reason}); retry {Attempt}")]
    private static partial void LogWaiting(ILogger logger, TimeSpan delay, DateTimeOffset until, string method, string path, int status, string reason, int attempt);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "Waiting {Delay} (until {Until:u}) before {Method} {Path} to stay within GitHub's rate limit: {Reason}")]
    private static partial void LogPacing(ILogger logger, TimeSpan delay, DateTimeOffset until, string method, string path, string reason);

    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "GitHub answered {Status} to {Method} {Path}; retry {Attempt} in {Delay}")]
    private static partial void LogRetry(ILogger logger, string method, string path, int status, TimeSpan delay, int attempt);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "GitHub rate limit: {Remaining} requests left; spacing requests by {Spacing}")]
    private static partial void LogSlowDown(ILogger logger, int remaining, TimeSpan spacing);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "{Method} {Path} failed on the network ({Error}); retry in {Delay}")]
    private static partial void LogNetworkRetry(ILogger logger, string method, string path, TimeSpan delay, string error);
}
