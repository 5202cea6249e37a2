using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using MlEnvironments.GitHub.Http;

namespace MlEnvironments.GitHub.Tests;

/// <summary>A scripted HTTP peer for the client's handler chain: answers queued responses and records requests.</summary>
internal sealed class ScriptedHandler : HttpMessageHandler
{
    private readonly ConcurrentQueue<Func<HttpRequestMessage, HttpResponseMessage>> _answers = new();

    public List<RecordedRequest> Requests { get; } = [];

    public ScriptedHandler Then(HttpStatusCode status, string? body = "{}", params (string Name, string Value)[] headers) =>
        Then(_ => Response(status, body, headers));

    /// <summary>Queues an answer that never comes.</summary>
    public ScriptedHandler ThenHang() => Then(_ => null!);

    public ScriptedHandler Then(Func<HttpRequestMessage, HttpResponseMessage> answer)
    {
        _answers.Enqueue(answer);
        return this;
    }

    public static HttpResponseMessage Response(HttpStatusCode status, string? body, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage(status);
        if (body is not null)
        {
            response.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        foreach (var (name, value) in headers)
        {
            if (!response.Headers.TryAddWithoutValidation(name, value))
            {
                response.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return response;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        lock (Requests)
        {
            Requests.Add(new RecordedRequest(request.Method.Method, request.RequestUri!,
                request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase),
                request.Content?.Headers.ContentType?.MediaType, body));
        }

        if (!_answers.TryDequeue(out var answer))
        {
            throw new InvalidOperationException($"No scripted answer for {request.Method} {request.RequestUri}.");
        }

        var response = answer(request);
        if (response is null)
        {
            // A peer that never answers: only cancellation (the client's attempt timeout) ends the wait.
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        response!.RequestMessage = request;
        return response;
    }
}

internal sealed record RecordedRequest(string Method, Uri Uri, Dictionary<string, string> Headers, string? ContentType, string? Body);

/// <summary>Builds the real client stack over a scripted peer and a fake clock.</summary>
internal sealed class ScriptedGitHub : IDisposable
{
    public const string Token = "ghp_test_token_never_printed_0123456789";

    public ScriptedGitHub(Action<GitHubOptions>? configure = null, Microsoft.Extensions.Logging.ILoggerFactory? loggers = null)
    {
        Options = new GitHubOptions { BaseAddress = new Uri("https://api.github.test/"), WritePause = TimeSpan.Zero };
        configure?.Invoke(Options);
        Connection = new GitHubConnection(Options, new SecretTokenProvider(new DefaultSecretValueResolver(), SecretValue.FromValue(Token)),
            Time, Counters, loggers, primaryHandler: () => Handler);
        Environments = new GitHubEnvironmentClient(Connection);
        Secrets = new GitHubSecretClient(Connection);
        Variables = new GitHubVariableClient(Connection);
        Repositories = new GitHubRepositoryClient(Connection);
        Deployments = new GitHubDeploymentClient(Connection);
        Workflows = new GitHubWorkflowClient(Connection);
        Reviews = new GitHubDeploymentReviewClient(Connection);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero));

    public ScriptedHandler Handler { get; } = new();

    public GitHubRequestCounters Counters { get; } = new();

    public GitHubOptions Options { get; }

    internal GitHubConnection Connection { get; }

    public GitHubEnvironmentClient Environments { get; }

    public GitHubSecretClient Secrets { get; }

    public GitHubVariableClient Variables { get; }

    public GitHubRepositoryClient Repositories { get; }

    public GitHubDeploymentClient Deployments { get; }

    public GitHubWorkflowClient Workflows { get; }

    public GitHubDeploymentReviewClient Reviews { get; }

    public static RepositoryId Repo { get; } = RepositoryId.Parse("octo-org/credit-risk");

    /// <summary>Advances the fake clock in steps until the task completes (or the limit is reached).</summary>
    public async Task<T> RunAsync<T>(Task<T> task, TimeSpan step, TimeSpan limit)
    {
        var elapsed = TimeSpan.Zero;
        while (!task.IsCompleted && elapsed < limit)
        {
            await Task.Delay(5);
            Time.Advance(step);
            elapsed += step;
        }

        await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(10)));
        return await task;
    }

    public void Dispose() => Connection.Dispose();
}
