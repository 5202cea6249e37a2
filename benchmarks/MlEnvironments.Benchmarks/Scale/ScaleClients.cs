using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MlEnvironments.GitHub;
using MlEnvironments.Planning;
using MlEnvironments.Testing;

namespace MlEnvironments.Benchmarks.Scale;

/// <summary>A loopback emulator over its own state, and the measurement of a piece of work against it.</summary>
internal sealed class EmulatorSession : IAsyncDisposable
{
    public const string Token = "ghp_scale_run_token_never_printed";

    private EmulatorSession(GitHubEmulator emulator) => Emulator = emulator;

    public GitHubEmulator Emulator { get; }

    public InMemoryGitHub State => Emulator.State;

    /// <summary>Starts an emulator (127.0.0.1 only) with the repositories, the latency and a primary limit that a run never reaches.</summary>
    public static async Task<EmulatorSession> StartAsync(int repositories, TimeSpan latency, TimeProvider? rateLimitClock = null)
    {
        var options = new GitHubEmulatorOptions
        {
            Latency = latency,
            PrimaryRateLimit = 100_000_000,
            TimeProvider = rateLimitClock ?? TimeProvider.System,
        };
        options.AcceptedTokens.Add(Token);
        return new EmulatorSession(await GitHubEmulator.StartAsync(ScaleCorpus.NewState(repositories), options));
    }

    /// <summary>What GitHub holds for each repository of the set now.</summary>
    public Dictionary<RepositoryId, RepositoryDefinition> Snapshot(RepositorySetDefinition set) =>
        set.Repositories.ToDictionary(r => r.Repository, r => State.Snapshot(r.Repository));

    /// <summary>
    /// Runs the work and returns the requests the emulator answered meanwhile (the emulator lists a request before
    /// it answers, so nothing is missed once the work is done) and the wall time.
    /// </summary>
    public async Task<(T Result, List<EmulatorRequest> Requests, TimeSpan Wall)> MeasureAsync<T>(Func<Task<T>> work)
    {
        var before = Emulator.Requests.Count;
        var clock = Stopwatch.StartNew();
        var result = await work();
        clock.Stop();
        return (result, [.. Emulator.Requests.Skip(before)], clock.Elapsed);
    }

    public ValueTask DisposeAsync() => Emulator.DisposeAsync();
}

/// <summary>
/// "Ours": the real GitHub client (Octokit, conditional requests on) behind <see cref="IRepositorySetPlanner"/> from
/// DI, with the default concurrency and <c>WritePause</c> set to zero.
/// </summary>
internal sealed class OurClient : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private OurClient(ServiceProvider services)
    {
        _services = services;
        Planner = services.GetRequiredService<IRepositorySetPlanner>();
        Counters = services.GetRequiredService<GitHubRequestCounters>();
        Concurrency = services.GetRequiredService<IOptions<MlEnvironmentsOptions>>().Value.MaxRepositoryConcurrency;
    }

    public IRepositorySetPlanner Planner { get; }

    public GitHubRequestCounters Counters { get; }

    public int Concurrency { get; }

    /// <summary>A client; with a <paramref name="cache"/>, the conditional requests keep their copies there (the CLI's on-disk cache).</summary>
    public static OurClient Create(Uri baseAddress, IGitHubResponseCache? cache = null)
    {
        var services = new ServiceCollection();
        if (cache is not null)
        {
            services.AddSingleton(cache);
        }

        services.AddSingleton<IGitHubTokenProvider>(new SecretTokenProvider(new DefaultSecretValueResolver(), SecretValue.FromValue(EmulatorSession.Token)));
        services.AddMlEnvironments().AddGitHub(o =>
        {
            o.BaseAddress = baseAddress;
            o.WritePause = TimeSpan.Zero;
            o.UseConditionalRequests = true;
        });
        return new OurClient(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
    }

    public Task<RepositorySetPlan> PlanAsync(RepositorySetDefinition set) => Planner.PlanAsync(set, PlanOptions.Default);

    public async Task<(RepositorySetPlan Plan, RepositorySetApplyResult Result)> PlanAndApplyAsync(RepositorySetDefinition set)
    {
        var plan = await PlanAsync(set);
        return (plan, await Planner.ApplyAsync(plan));
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

/// <summary>
/// The naïve baseline: reads one resource per GET (<see cref="NaiveGitHubReader"/>), one repository after the
/// other, diffed by the same <see cref="EnvironmentPlanner"/>; writes through the same applier (the real client with
/// conditional requests off), one repository after the other.
/// </summary>
internal sealed class NaiveClient : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly HttpClient _http;

    private NaiveClient(ServiceProvider services, HttpClient http)
    {
        _services = services;
        _http = http;
        Applier = services.GetRequiredService<IEnvironmentApplier>();
    }

    public IEnvironmentApplier Applier { get; }

    public static NaiveClient Create(Uri baseAddress)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IGitHubTokenProvider>(new SecretTokenProvider(new DefaultSecretValueResolver(), SecretValue.FromValue(EmulatorSession.Token)));
        services.AddMlEnvironments(o => o.MaxRepositoryConcurrency = 1).AddGitHub(o =>
        {
            o.BaseAddress = baseAddress;
            o.WritePause = TimeSpan.Zero;
            o.UseConditionalRequests = false;
        });
        return new NaiveClient(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }), NaiveGitHubReader.CreateClient(baseAddress, EmulatorSession.Token));
    }

    public async Task<List<RepositoryPlan>> PlanAsync(RepositorySetDefinition set)
    {
        set.Validate().ThrowIfInvalid();
        var plans = new List<RepositoryPlan>(set.Repositories.Length);
        foreach (var repository in set.Repositories)
        {
            var reader = new NaiveGitHubReader(_http, repository);
            plans.Add(await new EnvironmentPlanner(reader, reader, reader).PlanAsync(repository, PlanOptions.Default));
        }

        return plans;
    }

    public async Task<List<ApplyResult>> ApplyAsync(IEnumerable<RepositoryPlan> plans)
    {
        var results = new List<ApplyResult>();
        foreach (var plan in plans)
        {
            results.Add(await Applier.ApplyAsync(plan));
        }

        return results;
    }

    public async Task<(List<RepositoryPlan> Plans, List<ApplyResult> Results)> PlanAndApplyAsync(RepositorySetDefinition set)
    {
        var plans = await PlanAsync(set);
        return (plans, await ApplyAsync(plans));
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _services.DisposeAsync();
    }
}

/// <summary>A clock shifted by a fixed offset: the emulator's rate-limit window then resets "now", so a primary-limit retry waits about one second.</summary>
internal sealed class ShiftedClock(TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => TimeProvider.System.GetUtcNow() + offset;
}
