using Microsoft.Extensions.Time.Testing;
using MlEnvironments.GitHub.Http;
using MlEnvironments.Testing;

namespace MlEnvironments.GitHub.Tests.Contract;

/// <summary>The real client stack talking HTTP to the loopback GitHub emulator.</summary>
internal sealed class EmulatedGitHub : IAsyncDisposable
{
    public const string Token = "ghp_contract_token_never_printed_42";

    private EmulatedGitHub(GitHubEmulator emulator, GitHubOptions options, TimeProvider time)
    {
        Emulator = emulator;
        Options = options;
        Connection = new GitHubConnection(options, new SecretTokenProvider(new DefaultSecretValueResolver(), SecretValue.FromValue(Token)), time, Counters);
        Environments = new GitHubEnvironmentClient(Connection);
        Secrets = new GitHubSecretClient(Connection);
        Variables = new GitHubVariableClient(Connection);
        Repositories = new GitHubRepositoryClient(Connection);
        Deployments = new GitHubDeploymentClient(Connection);
        Workflows = new GitHubWorkflowClient(Connection);
        Reviews = new GitHubDeploymentReviewClient(Connection);
    }

    public static RepositoryId Repo { get; } = RepositoryId.Parse("Octo-Org/Credit-Risk");

    public GitHubEmulator Emulator { get; }

    public InMemoryGitHub State => Emulator.State;

    public GitHubOptions Options { get; }

    public GitHubRequestCounters Counters { get; } = new();

    internal GitHubConnection Connection { get; }

    public GitHubEnvironmentClient Environments { get; }

    public GitHubSecretClient Secrets { get; }

    public GitHubVariableClient Variables { get; }

    public GitHubRepositoryClient Repositories { get; }

    public GitHubDeploymentClient Deployments { get; }

    public GitHubWorkflowClient Workflows { get; }

    public GitHubDeploymentReviewClient Reviews { get; }

    public static async Task<EmulatedGitHub> StartAsync(Action<GitHubOptions>? configure = null, FakeTimeProvider? time = null)
    {
        var state = new InMemoryGitHub(time);
        state.AddRepository(Repo);
        var emulatorOptions = new GitHubEmulatorOptions { TimeProvider = time ?? TimeProvider.System };
        emulatorOptions.AcceptedTokens.Add(Token);
        var emulator = await GitHubEmulator.StartAsync(state, emulatorOptions);
        var options = new GitHubOptions { BaseAddress = emulator.BaseAddress, WritePause = TimeSpan.Zero };
        configure?.Invoke(options);
        return new EmulatedGitHub(emulator, options, time ?? TimeProvider.System);
    }

    /// <summary>Every request was matched to an operation of GitHub's description and conformed to its schema.</summary>
    public void AssertEveryRequestConformed()
    {
        Assert.Empty(Emulator.UnmatchedRequests);
        Assert.Empty(Emulator.SchemaViolations);
    }

    public async ValueTask DisposeAsync()
    {
        Coverage.Add(Emulator.Requests);
        Connection.Dispose();
        await Emulator.DisposeAsync();
    }

    /// <summary>
    /// The GitHub operations the client called over every emulated test, written to <c>contract/github-operations.txt</c>
    /// (which CI prints) each time a test ends, so that the file holds the union whatever order the tests run in.
    /// </summary>
    private static class Coverage
    {
        private static readonly object Gate = new();
        private static readonly SortedSet<string> Called = new(StringComparer.Ordinal);
        private static int _requests;
        private static int _violations;

        public static void Add(IReadOnlyList<EmulatorRequest> requests)
        {
            lock (Gate)
            {
                _requests += requests.Count;
                _violations += requests.Count(r => r.SchemaErrors.Count > 0);
                foreach (var request in requests.Where(r => r.OperationId is not null && r.SchemaErrors.Count == 0 && r.StatusCode != 501))
                {
                    Called.Add(request.OperationId!);
                }

                var directory = Path.Combine(AppContext.BaseDirectory, "contract");
                Directory.CreateDirectory(directory);
                File.WriteAllLines(Path.Combine(directory, "github-operations.txt"),
                [
                    $"{Called.Count} GitHub operations of github-openapi-subset.json called through the client and validated by the emulator ({_requests} requests, {_violations} schema violations):",
                    .. Called.Select(c => "  " + c),
                ]);
            }
        }
    }
}
