using MlEnvironments.GitHub;

namespace MlEnvironments.Testing.Tests;

public class FaultInjectionTests
{
    private readonly InMemoryGitHub _github = new();
    private readonly RepositoryId _repository;

    public FaultInjectionTests()
    {
        _repository = _github.AddRepository("octo-org/credit-risk");
        _github.Seed(_repository, MlEnvironment.Environment("prod"));
    }

    private Task WriteAsync(string name) => _github.SetEnvironmentSecretAsync(_repository, "prod", name, "v");

    private Task ReadAsync() => _github.ListEnvironmentSecretsAsync(_repository, "prod");

    [Fact]
    public async Task Calls_LogOperationIdsTargetsAndWhetherTheyWrite_NeverValues()
    {
        await _github.ListEnvironmentsAsync(_repository);
        await _github.CreateOrUpdateEnvironmentAsync(_repository, "staging", new GitHubEnvironmentSettings { BranchPolicy = DeploymentBranchPolicyKind.CustomPatterns });
        await _github.CreateDeploymentBranchPolicyAsync(_repository, "staging", MlEnvironment.Branch("main"));
        await _github.SetEnvironmentSecretAsync(_repository, "staging", "TOKEN", "plaintext-value");
        await _github.CreateEnvironmentVariableAsync(_repository, "staging", "MODEL", "credit");
        await _github.ListEnvironmentVariablesAsync(_repository, "staging");

        Assert.Equal(
            [
                new FakeCall(1, "repos/get-all-environments", false, "octo-org/credit-risk", null, null),
                new FakeCall(2, "repos/create-or-update-environment", true, "octo-org/credit-risk", "staging", null),
                new FakeCall(3, "repos/create-deployment-branch-policy", true, "octo-org/credit-risk", "staging", "branch:main"),
                new FakeCall(4, "actions/create-or-update-environment-secret", true, "octo-org/credit-risk", "staging", "TOKEN"),
                new FakeCall(5, "actions/create-environment-variable", true, "octo-org/credit-risk", "staging", "MODEL"),
                new FakeCall(6, "actions/list-environment-variables", false, "octo-org/credit-risk", "staging", null),
            ],
            _github.Calls);
        Assert.Equal([2, 3, 4, 5], _github.Writes.Select(c => c.Sequence));
        Assert.Equal("#4 actions/create-or-update-environment-secret octo-org/credit-risk/staging/TOKEN", _github.Calls[3].ToString());
        Assert.DoesNotContain("plaintext-value", string.Join("\n", _github.Calls), StringComparison.Ordinal);

        _github.ClearCalls();
        await ReadAsync();
        Assert.Equal(1, Assert.Single(_github.Calls).Sequence);
    }

    [Fact]
    public async Task FailOnCall_FailsThatCallOnce_WithAnInjected500_ThatIsStillLogged()
    {
        _github.Faults.FailOnCall(2);

        await ReadAsync();
        var error = await Assert.ThrowsAsync<RemoteServiceException>(() => WriteAsync("A"));
        await WriteAsync("A");

        Assert.Equal((500, "injected", "actions/create-or-update-environment-secret"), (error.StatusCode, error.ErrorCode, error.Operation));
        Assert.Equal(3, _github.Calls.Count);
        Assert.Single(await _github.ListEnvironmentSecretsAsync(_repository, "prod"));
    }

    [Fact]
    public async Task FailOnWrite_CountsOnlyWrites_FromWhenTheRuleIsAdded()
    {
        await WriteAsync("BEFORE");
        _github.Faults.FailOnWrite(2);

        await ReadAsync();
        await WriteAsync("FIRST");
        await ReadAsync();
        await Assert.ThrowsAsync<RemoteServiceException>(() => WriteAsync("SECOND"));
        await WriteAsync("THIRD");

        Assert.Equal(["BEFORE", "FIRST", "THIRD"], (await _github.ListEnvironmentSecretsAsync(_repository, "prod")).Select(s => s.Name).Order());
    }

    [Fact]
    public async Task SeveralFailOnWriteRules_EachFailTheirOwnWrite()
    {
        _github.Faults.FailOnWrite(1).FailOnWrite(2);

        await Assert.ThrowsAsync<RemoteServiceException>(() => WriteAsync("FIRST"));
        await Assert.ThrowsAsync<RemoteServiceException>(() => WriteAsync("SECOND"));
        await WriteAsync("THIRD");

        Assert.Equal(["THIRD"], (await ReadListAsync()).Select(s => s.Name));
    }

    [Fact]
    public async Task FailWhen_FailsMatchingCalls_ForTheGivenTimes_WithACustomException()
    {
        var custom = new TimeoutException("slow network");
        _github.Faults.FailWhen(c => c.Target == "FLAKY", _ => custom, times: 2);

        await WriteAsync("OTHER");
        Assert.Same(custom, await Assert.ThrowsAsync<TimeoutException>(() => WriteAsync("FLAKY")));
        Assert.Same(custom, await Assert.ThrowsAsync<TimeoutException>(() => WriteAsync("FLAKY")));
        await WriteAsync("FLAKY");

        Assert.Equal(["FLAKY", "OTHER"], (await ReadListAsync()).Select(s => s.Name));
    }

    [Fact]
    public async Task FailWhen_WithoutTimes_FailsEveryMatchingCall_UntilCleared()
    {
        _github.Faults.FailWhen(c => !c.IsWrite, times: null);

        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<RemoteServiceException>(ReadAsync);
        }

        _github.Faults.Clear();
        await ReadAsync();
    }

    [Fact]
    public async Task FailedCalls_ChangeNothing()
    {
        _github.Seed(_repository, MlEnvironment.Environment("prod").WithVariable("MODEL", "credit").WithSecret("TOKEN", SecretValue.FromValue("old")));
        var before = _github.Snapshot(_repository);
        _github.Faults.FailWhen(c => c.IsWrite, times: null);

        await Assert.ThrowsAsync<RemoteServiceException>(() => _github.CreateOrUpdateEnvironmentAsync(_repository, "staging", new GitHubEnvironmentSettings()));
        await Assert.ThrowsAsync<RemoteServiceException>(() => _github.CreateOrUpdateEnvironmentAsync(_repository, "prod", new GitHubEnvironmentSettings { WaitTimer = TimeSpan.FromMinutes(1) }));
        await Assert.ThrowsAsync<RemoteServiceException>(() => _github.SetEnvironmentSecretAsync(_repository, "prod", "TOKEN", "new"));
        await Assert.ThrowsAsync<RemoteServiceException>(() => _github.UpdateEnvironmentVariableAsync(_repository, "prod", "MODEL", "fraud"));
        await Assert.ThrowsAsync<RemoteServiceException>(() => _github.DeleteEnvironmentAsync(_repository, "prod"));

        Assert.Equal(before, _github.Snapshot(_repository));
        Assert.True(_github.GetSecretValue(_repository, "prod", "TOKEN")!.TryRevealLiteral(out var token));
        Assert.Equal("old", token);
    }

    [Fact]
    public void InvalidRules_AreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _github.Faults.FailWhen(_ => true, times: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => _github.Faults.FailOnWrite(0));
        Assert.Throws<ArgumentNullException>(() => _github.Faults.FailWhen(null!));
    }

    [Fact]
    public async Task CanceledToken_GivesACanceledTask_WithoutACallOrAChange()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        var write = _github.SetEnvironmentSecretAsync(_repository, "prod", "TOKEN", "v", cancellation.Token);
        var read = _github.ListEnvironmentsAsync(_repository, cancellation.Token);

        Assert.True(write.IsCanceled);
        Assert.True(read.IsCanceled);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write);
        Assert.Empty(_github.Calls);
        Assert.Null(_github.GetSecretValue(_repository, "prod", "TOKEN"));
    }

    private Task<IReadOnlyList<GitHubSecret>> ReadListAsync() => _github.ListEnvironmentSecretsAsync(_repository, "prod");
}
