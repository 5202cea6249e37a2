using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MlEnvironments.GitHub.Wire;
using Octokit;
using Octokit.Internal;

namespace MlEnvironments.GitHub.Http;

/// <summary>
/// One Octokit connection with our handler chain (headers and token → write gate → conditional requests → retries)
/// and the raw calls Octokit has no correct typed method for. Every call runs in a <see cref="GitHubCallScope"/>,
/// checks cancellation at the boundary, and turns Octokit's errors into <see cref="GitHubException"/>.
/// </summary>
internal sealed class GitHubConnection : IDisposable
{
    private readonly Connection _connection;

    public GitHubConnection(
        GitHubOptions options,
        IGitHubTokenProvider tokens,
        TimeProvider time,
        GitHubRequestCounters counters,
        ILoggerFactory? loggers = null,
        Func<HttpMessageHandler>? primaryHandler = null,
        IGitHubResponseCache? responseCache = null)
    {
        // The copies of the conditional requests: the store registered, else this connection's memory.
        var cache = responseCache ?? new InMemoryGitHubResponseCache();
        Options = options;
        Counters = counters;
        var logger = loggers?.CreateLogger("MlEnvironments.GitHub") ?? NullLogger.Instance;
        var baseAddress = NormalizeBase(options.BaseAddress);
        HttpMessageHandler Chain() =>
            new GitHubHeadersHandler(tokens, options)
            {
                InnerHandler = new GitHubWriteGateHandler(options, time)
                {
                    InnerHandler = options.UseConditionalRequests
                        ? new GitHubConditionalRequestHandler(counters, cache) { InnerHandler = Retry() }
                        : Retry(),
                },
            };
        DelegatingHandler Retry() => new GitHubRetryHandler(options, time, counters, logger)
        {
            InnerHandler = primaryHandler?.Invoke() ?? new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) },
        };

        var adapter = new NoRequestTimeoutHttpClient(new HttpClientAdapter(Chain));
        _connection = new Connection(
            new ProductHeaderValue(options.ProductName, typeof(GitHubConnection).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"),
            baseAddress,
            new InMemoryCredentialStore(Credentials.Anonymous),
            adapter,
            new GitHubJsonSerializer());
        // Each attempt is bounded by the retry handler; the whole call may wait out a rate limit, so no overall timeout.
        _connection.SetRequestTimeout(System.Threading.Timeout.InfiniteTimeSpan);
        Client = new GitHubClient(_connection);
    }

    public GitHubOptions Options { get; }

    public GitHubRequestCounters Counters { get; }

    /// <summary>Octokit's client, for the endpoints it types correctly.</summary>
    public GitHubClient Client { get; }

    public static Uri NormalizeBase(Uri baseAddress) =>
        baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");

    /// <summary>Runs a call in a scope and maps Octokit's errors.</summary>
    public static async Task<T> RunAsync<T>(string operation, RepositoryId? repository, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var scope = GitHubCallScope.Begin(repository, cancellationToken, operation);
        using var activity = GitHubDiagnostics.Source.StartActivity("github " + operation, ActivityKind.Client);
        activity?.SetTag("github.operation", operation);
        activity?.SetTag("github.repository", repository?.ToString());
        try
        {
            // A call that completed is reported as done even if cancellation arrived meanwhile: its effect happened.
            return await call().ConfigureAwait(false);
        }
        catch (ApiException e)
        {
            var mapped = Map(operation, e);
            activity?.SetTag("http.response.status_code", mapped.StatusCode);
            activity?.SetStatus(ActivityStatusCode.Error, "GitHub answered " + mapped.StatusCode);
            throw mapped;
        }
    }

    /// <summary>Like <see cref="RunAsync{T}"/>, answering <see langword="default"/> for a 404.</summary>
    public static async Task<T?> RunOrNullAsync<T>(string operation, RepositoryId? repository, Func<Task<T>> call, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await RunAsync(operation, repository, call, cancellationToken).ConfigureAwait(false);
        }
        catch (GitHubException e) when (e.StatusCode == 404)
        {
            return null;
        }
    }

    public Task<T> GetAsync<T>(string operation, RepositoryId? repository, string path, CancellationToken cancellationToken) =>
        RunAsync(operation, repository, async () =>
            (await _connection.Get<T>(Relative(path), null, null, cancellationToken).ConfigureAwait(false)).Body, cancellationToken);

    /// <summary>Reads every page of a wrapped list (<c>{total_count, items}</c>), following <c>Link: rel="next"</c>.</summary>
    public Task<List<TItem>> GetAllAsync<TPage, TItem>(
        string operation, RepositoryId? repository, string path, int perPage, Func<TPage, IEnumerable<TItem>> items, CancellationToken cancellationToken) =>
        GetAllAsync(operation, repository, path, perPage, items, null, cancellationToken);

    /// <summary>
    /// Reads every page of a list (wrapped, or a plain array with <c>TPage</c> a list), with extra query parameters on the
    /// first request; later pages follow <c>Link: rel="next"</c>, which carries them.
    /// </summary>
    public Task<List<TItem>> GetAllAsync<TPage, TItem>(
        string operation, RepositoryId? repository, string path, int perPage, Func<TPage, IEnumerable<TItem>> items,
        IReadOnlyDictionary<string, string>? query, CancellationToken cancellationToken) =>
        RunAsync(operation, repository, async () =>
        {
            var result = new List<TItem>();
            var uri = Relative(path);
            Dictionary<string, string>? parameters = new() { ["per_page"] = perPage.ToString(CultureInfo.InvariantCulture) };
            foreach (var pair in query ?? new Dictionary<string, string>())
            {
                parameters[pair.Key] = pair.Value;
            }

            for (var page = 0; page < 10_000; page++)
            {
                var response = await _connection.Get<TPage>(uri, parameters, null, cancellationToken).ConfigureAwait(false);
                if (response.Body is { } body)
                {
                    result.AddRange(items(body));
                }

                var links = response.HttpResponse.ApiInfo?.Links;
                if (links is null || !links.TryGetValue("next", out var next) || next is null)
                {
                    break;
                }

                uri = next;
                parameters = null;
                cancellationToken.ThrowIfCancellationRequested();
            }

            return result;
        }, cancellationToken);

    public Task<TResponse> PostAsync<TBody, TResponse>(string operation, RepositoryId? repository, string path, TBody body, CancellationToken cancellationToken)
        where TBody : class =>
        RunAsync(operation, repository, async () =>
            (await _connection.Post<TResponse>(Relative(path), GitHubJsonSerializer.Write(body), null, "application/json", (IDictionary<string, string>?)null, cancellationToken).ConfigureAwait(false)).Body, cancellationToken);

    /// <summary>
    /// A POST whose answer's status matters (e.g. 202 instead of 201): <paramref name="inspect"/> sees the status and
    /// body inside the call's scope, so an exception it throws can carry the request id.
    /// </summary>
    public Task<TResult> PostAsync<TBody, TResponse, TResult>(
        string operation, RepositoryId? repository, string path, TBody body, Func<HttpStatusCode, TResponse, TResult> inspect, CancellationToken cancellationToken)
        where TBody : class =>
        RunAsync(operation, repository, async () =>
        {
            var response = await _connection.Post<TResponse>(Relative(path), GitHubJsonSerializer.Write(body), null, "application/json", (IDictionary<string, string>?)null, cancellationToken).ConfigureAwait(false);
            return inspect(response.HttpResponse.StatusCode, response.Body);
        }, cancellationToken);

    public Task<TResponse> PutAsync<TBody, TResponse>(string operation, RepositoryId? repository, string path, TBody body, CancellationToken cancellationToken)
        where TBody : class =>
        RunAsync(operation, repository, async () =>
            (await _connection.Put<TResponse>(Relative(path), GitHubJsonSerializer.Write(body)).ConfigureAwait(false)).Body, cancellationToken);

    public Task<HttpStatusCode> PatchAsync<TBody>(string operation, RepositoryId? repository, string path, TBody body, CancellationToken cancellationToken)
        where TBody : class =>
        RunAsync(operation, repository, async () =>
            (await _connection.Patch<object>(Relative(path), GitHubJsonSerializer.Write(body)).ConfigureAwait(false)).HttpResponse.StatusCode, cancellationToken);

    /// <summary>A PATCH whose answer's body is read (e.g. the updated issue).</summary>
    public Task<TResponse> PatchAsync<TBody, TResponse>(string operation, RepositoryId? repository, string path, TBody body, CancellationToken cancellationToken)
        where TBody : class =>
        RunAsync(operation, repository, async () =>
            (await _connection.Patch<TResponse>(Relative(path), GitHubJsonSerializer.Write(body)).ConfigureAwait(false)).Body, cancellationToken);

    public Task<HttpStatusCode> DeleteAsync(string operation, RepositoryId? repository, string path, CancellationToken cancellationToken) =>
        RunAsync(operation, repository, () => _connection.Delete(Relative(path)), cancellationToken);

    public void Dispose() => (_connection as IDisposable)?.Dispose();

    private static Uri Relative(string path) => new(path, UriKind.Relative);

    internal static GitHubException Map(string operation, ApiException e)
    {
        var status = (int)e.StatusCode;
        var requestId = GitHubCallScope.LastRequestId;
        var message = e.ApiError?.Message ?? e.Message;
        if (e.ApiError?.Errors is { Count: > 0 } details)
        {
            message += " (" + string.Join("; ", details.Select(d => string.Join(" ", new[] { d.Resource, d.Field, d.Code, d.Message }.Where(p => !string.IsNullOrEmpty(p))))) + ")";
        }

        Uri.TryCreate(e.ApiError?.DocumentationUrl, UriKind.Absolute, out var documentation);
        var text = $"GitHub answered {status} to {operation}: {message}";
        if (status is 403 or 429 && (e is RateLimitExceededException || message.Contains("rate limit", StringComparison.OrdinalIgnoreCase)))
        {
            var reset = e is RateLimitExceededException limited ? limited.Reset : GitHubCallScope.LastRateLimitReset;
            return new GitHubRateLimitException(operation, status,
                text + (reset is { } at ? $" The limit resets at {at:u}; try again after that." : " Wait at least a minute before trying again."),
                reset, requestId, e);
        }

        var hint = status switch
        {
            401 => " Check the token: it is missing, expired or revoked.",
            403 => " The token lacks a permission: a fine-grained token needs Administration: write, Environments: write, Actions: read and Deployments: write on the repository.",
            404 => " The repository or resource does not exist, or the token cannot see it.",
            _ => string.Empty,
        };
        return new GitHubException(operation, status, text + hint, documentation, requestId, e);
    }
}

/// <summary>
/// Octokit gives every request a 100-second timeout on the real clock, which would cut a rate-limit wait inside the
/// handler chain short with a bare <see cref="TaskCanceledException"/>. Each attempt on the wire is bounded by the
/// retry handler (<see cref="GitHubOptions.RequestTimeout"/>) and waits by <see cref="GitHubOptions.MaxRetryDelay"/>,
/// so Octokit's own timeout is turned off here.
/// </summary>
internal sealed class NoRequestTimeoutHttpClient(IHttpClient inner) : IHttpClient
{
    public Task<IResponse> Send(IRequest request, CancellationToken cancellationToken, Func<object, object>? preprocessResponseBody = null)
    {
        if (request is Request writable)
        {
            writable.Timeout = TimeSpan.Zero;
        }

        return inner.Send(request, cancellationToken, preprocessResponseBody);
    }

    public void SetRequestTimeout(TimeSpan timeout) => inner.SetRequestTimeout(timeout);

    public void Dispose() => inner.Dispose();
}
