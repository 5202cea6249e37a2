using System.Diagnostics;
using System.Net;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Testing.Tests.Emulators;

/// <summary>
/// <see cref="GitHubEmulatorOptions.Latency"/>: every request waits before it is handled. No assertion here bounds
/// a duration from above: the tests show that a request is held (it does not complete while a client waits, and a
/// client that gives up leaves no trace), and that an answer never comes sooner than the latency.
/// </summary>
public class GitHubEmulatorLatencyTests
{
    private static readonly RepositoryId Repo = RepositoryId.Parse("octo-org/credit-risk");

    [Fact]
    public void Latency_IsZeroByDefault() => Assert.Equal(TimeSpan.Zero, new GitHubEmulatorOptions().Latency);

    [Theory]
    [InlineData(-1)]
    [InlineData(3_600_001)]
    public async Task Latency_OutOfRange_IsRefusedAtStart(int milliseconds)
    {
        var options = new GitHubEmulatorOptions { Latency = TimeSpan.FromMilliseconds(milliseconds) };

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => GitHubEmulator.StartAsync(options: options));
    }

    [Fact]
    public async Task AHugeLatency_HoldsTheRequest_AndAClientThatGivesUpIsNeverAnswered_NorIsTheStateTouched()
    {
        var state = new InMemoryGitHub();
        state.Seed(Repo, Environment("prod"));
        await using var emulator = await GitHubEmulator.StartAsync(state, new GitHubEmulatorOptions { Latency = TimeSpan.FromHours(1) });
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = emulator.BaseAddress };
        using var giveUp = new CancellationTokenSource();
        var write = new HttpRequestMessage(HttpMethod.Post, $"repos/{Repo}/environments/prod/variables")
        {
            Content = new StringContent("""{"name": "A", "value": "b"}""", System.Text.Encoding.UTF8, "application/json"),
        };

        var sending = http.SendAsync(write, giveUp.Token);
        var first = await Task.WhenAny(sending, Task.Delay(TimeSpan.FromMilliseconds(300)));
        await giveUp.CancelAsync();

        // With an hour of latency the request cannot have been answered, however slow the machine.
        Assert.NotSame(sending, first);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        Assert.Empty(emulator.Requests);
        Assert.DoesNotContain(state.Calls, c => c.IsWrite);
        Assert.Empty(await state.ListEnvironmentVariablesAsync(Repo, "prod"));
    }

    [Fact]
    public async Task ALatency_DelaysEveryAnswer_ByAtLeastTheLatency_ConcurrentRequestsIncluded()
    {
        var latency = TimeSpan.FromMilliseconds(250);
        var state = new InMemoryGitHub();
        state.Seed(Repo, Environment("prod"));
        await using var emulator = await GitHubEmulator.StartAsync(state, new GitHubEmulatorOptions { Latency = latency });
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = emulator.BaseAddress };

        async Task<(HttpStatusCode Status, TimeSpan Elapsed)> TimedGetAsync(string path)
        {
            var clock = Stopwatch.StartNew();
            using var response = await http.GetAsync(path);
            return (response.StatusCode, clock.Elapsed);
        }

        var answers = await Task.WhenAll(
            TimedGetAsync($"repos/{Repo}/environments"),
            TimedGetAsync($"repos/{Repo}/environments/prod"),
            TimedGetAsync($"repos/{Repo}/environments/staging"));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.NotFound], answers.Select(a => a.Status));

        // A lower bound only (with a few milliseconds for timer granularity); never an upper bound.
        Assert.All(answers, a => Assert.True(a.Elapsed >= latency - TimeSpan.FromMilliseconds(15), $"answered after {a.Elapsed.TotalMilliseconds} ms"));
        Assert.Equal(3, emulator.Requests.Count);
    }
}
