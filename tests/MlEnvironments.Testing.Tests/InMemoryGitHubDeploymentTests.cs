using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MlEnvironments.GitHub;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Testing.Tests;

/// <summary>Deployments and deployment statuses in the fake: ids, clock, order, filters, auto_inactive, 404s.</summary>
public class InMemoryGitHubDeploymentTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly InMemoryGitHub _github;
    private readonly RepositoryId _repository;

    public InMemoryGitHubDeploymentTests()
    {
        _github = new InMemoryGitHub(_time);
        _repository = _github.AddRepository("octo-org/credit-risk");
    }

    private static async Task<RemoteServiceException> ExpectStatusAsync(int status, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RemoteServiceException>(call);
        Assert.Equal((status, "GitHub"), (error.StatusCode, error.Service));
        return error;
    }

    private Task<GitHubDeployment> DeployAsync(string environment, bool production = false, bool transient = false, string task = "deploy") =>
        _github.CreateDeploymentAsync(_repository, new GitHubNewDeployment("main", environment) { ProductionEnvironment = production, TransientEnvironment = transient, Task = task });

    private Task<GitHubDeploymentStatus> StatusAsync(GitHubDeployment deployment, GitHubDeploymentState state, bool autoInactive = true) =>
        _github.CreateDeploymentStatusAsync(_repository, deployment.Id, new GitHubNewDeploymentStatus(state) { AutoInactive = autoInactive });

    private async Task<GitHubDeploymentState[]> StatesAsync(GitHubDeployment deployment) =>
        [.. (await _github.ListDeploymentStatusesAsync(_repository, deployment.Id)).Select(s => s.State)];

    [Fact]
    public async Task Deployments_GetIncreasingIds_TheClocksTime_AndAreListedNewestFirst()
    {
        _github.CurrentUserLogin = "ana";
        var first = await DeployAsync("staging");
        _time.Advance(TimeSpan.FromMinutes(3));
        var second = await _github.CreateDeploymentAsync(_repository, new GitHubNewDeployment(new string('A', 40), "prod")
        {
            Task = "deploy:model",
            PayloadJson = """{ "model" : "fraud", "version": "3" }""",
            Description = "Promote fraud@3",
            ProductionEnvironment = true,
            TransientEnvironment = true,
        });

        var listed = await _github.ListDeploymentsAsync(_repository, null, null);

        Assert.True(second.Id > first.Id);
        Assert.Equal((Start, Start.AddMinutes(3)), (first.CreatedAt, second.CreatedAt));
        Assert.Equal([second.Id, first.Id], listed.Select(d => d.Id));
        Assert.Equal(("prod", "deploy:model", "Promote fraud@3", "ana", true, true), (second.Environment, second.Task, second.Description, second.CreatorLogin, second.ProductionEnvironment, second.TransientEnvironment));
        Assert.Equal("""{"model":"fraud","version":"3"}""", second.PayloadJson);
        Assert.Equal(new string('a', 40), second.Sha);
        Assert.Equal(40, first.Sha.Length);
        Assert.Equal(first.Sha, (await DeployAsync("dev")).Sha);
        Assert.Null(first.PayloadJson);
    }

    [Fact]
    public async Task ListDeployments_FiltersByEnvironmentWithoutCase_AndByTaskExactly()
    {
        var prodModel = await DeployAsync("Prod", task: "deploy:model");
        await DeployAsync("prod", task: "deploy");
        var stagingModel = await DeployAsync("staging", task: "deploy:model");

        var prod = await _github.ListDeploymentsAsync(_repository, "PROD", null);
        var models = await _github.ListDeploymentsAsync(_repository, null, "deploy:model");
        var prodModels = await _github.ListDeploymentsAsync(_repository, "prod", "deploy:model");
        var none = await _github.ListDeploymentsAsync(_repository, "prod", "DEPLOY:MODEL");

        Assert.Equal(2, prod.Count);
        Assert.Equal([stagingModel.Id, prodModel.Id], models.Select(d => d.Id));
        Assert.Equal(prodModel.Id, Assert.Single(prodModels).Id);
        Assert.Empty(none);
    }

    [Fact]
    public async Task ASuccessWithAutoInactive_MarksEarlierSuccessfulNonTransientNonProductionDeploymentsOfTheEnvironmentInactive()
    {
        _github.CurrentUserLogin = "ana";
        var older = await DeployAsync("staging");
        var production = await DeployAsync("staging", production: true);
        var transient = await DeployAsync("staging", transient: true);
        var failed = await DeployAsync("staging");
        var otherEnvironment = await DeployAsync("dev");
        await StatusAsync(older, GitHubDeploymentState.Success, autoInactive: false);
        await StatusAsync(production, GitHubDeploymentState.Success, autoInactive: false);
        await StatusAsync(transient, GitHubDeploymentState.Success, autoInactive: false);
        await StatusAsync(failed, GitHubDeploymentState.Failure);
        await StatusAsync(otherEnvironment, GitHubDeploymentState.Success, autoInactive: false);
        var newest = await DeployAsync("STAGING");
        _time.Advance(TimeSpan.FromMinutes(1));

        await StatusAsync(newest, GitHubDeploymentState.Success);

        Assert.Equal([GitHubDeploymentState.Inactive, GitHubDeploymentState.Success], await StatesAsync(older));
        Assert.Equal([GitHubDeploymentState.Success], await StatesAsync(production));
        Assert.Equal([GitHubDeploymentState.Success], await StatesAsync(transient));
        Assert.Equal([GitHubDeploymentState.Failure], await StatesAsync(failed));
        Assert.Equal([GitHubDeploymentState.Success], await StatesAsync(otherEnvironment));
        Assert.Equal([GitHubDeploymentState.Success], await StatesAsync(newest));
        var inactive = (await _github.ListDeploymentStatusesAsync(_repository, older.Id))[0];
        Assert.Equal((Start.AddMinutes(1), "ana"), (inactive.CreatedAt, inactive.CreatorLogin));
        Assert.Equal(Start.AddMinutes(1), (await _github.ListDeploymentsAsync(_repository, "staging", null)).Single(d => d.Id == older.Id).UpdatedAt);
    }

    [Fact]
    public async Task WithoutAutoInactive_OrForANonSuccessState_EarlierDeploymentsStayAsTheyAre()
    {
        var older = await DeployAsync("staging");
        await StatusAsync(older, GitHubDeploymentState.Success);
        var second = await DeployAsync("staging");
        var third = await DeployAsync("staging");

        await StatusAsync(second, GitHubDeploymentState.Success, autoInactive: false);
        await StatusAsync(third, GitHubDeploymentState.InProgress);

        Assert.Equal([GitHubDeploymentState.Success], await StatesAsync(older));
    }

    [Fact]
    public async Task Statuses_AreListedNewestFirst_WithTheirUrls_AndLongDescriptionsEndInAnEllipsis()
    {
        var deployment = await DeployAsync("prod");
        var queued = await StatusAsync(deployment, GitHubDeploymentState.Queued);
        var success = await _github.CreateDeploymentStatusAsync(_repository, deployment.Id, new GitHubNewDeploymentStatus(GitHubDeploymentState.Success)
        {
            Description = new string('x', 141),
            LogUrl = new Uri("https://logs.example/1"),
            EnvironmentUrl = new Uri("https://ml.example/fraud"),
        });

        var statuses = await _github.ListDeploymentStatusesAsync(_repository, deployment.Id);

        Assert.Equal([success.Id, queued.Id], statuses.Select(s => s.Id));
        Assert.True(success.Id > queued.Id);
        Assert.Equal(new string('x', 139) + "…", success.Description);
        Assert.Equal(("https://logs.example/1", "https://ml.example/fraud"), (success.LogUrl?.AbsoluteUri, success.EnvironmentUrl?.AbsoluteUri));
    }

    [Fact]
    public async Task UnknownRepositoriesAndDeployments_Answer404_LikeTheRestOfTheFake()
    {
        var unknown = RepositoryId.Parse("octo-org/missing");

        var list = await ExpectStatusAsync(404, () => _github.ListDeploymentsAsync(unknown, null, null));
        await ExpectStatusAsync(404, () => _github.CreateDeploymentAsync(unknown, new GitHubNewDeployment("main", "prod")));
        var statuses = await ExpectStatusAsync(404, () => _github.ListDeploymentStatusesAsync(_repository, 424242));
        await ExpectStatusAsync(404, () => _github.CreateDeploymentStatusAsync(_repository, 424242, new GitHubNewDeploymentStatus(GitHubDeploymentState.Success)));
        await ExpectStatusAsync(404, () => _github.ListWorkflowRunsAsync(unknown, null));
        await ExpectStatusAsync(404, () => _github.GetPendingDeploymentsAsync(_repository, 424242));
        await ExpectStatusAsync(404, () => _github.ListReviewsAsync(_repository, 424242));
        await ExpectStatusAsync(404, () => _github.ListWorkflowFilesAsync(unknown, null));

        Assert.Equal(("repos/list-deployments", "repos/list-deployment-statuses"), (list.Operation, statuses.Operation));
        Assert.Null(await _github.GetWorkflowRunAsync(_repository, 424242));
    }

    [Theory]
    [InlineData("[1]")]
    [InlineData("42")]
    [InlineData("{broken")]
    public async Task APayloadThatIsNotAJsonObject_IsRefused_AndNothingIsLogged(string payload)
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            _github.CreateDeploymentAsync(_repository, new GitHubNewDeployment("main", "prod") { PayloadJson = payload }));

        Assert.Empty(_github.Calls);
        Assert.Empty(await _github.ListDeploymentsAsync(_repository, null, null));
    }

    [Fact]
    public async Task AnEmptyPayloadObject_IsNoPayload()
    {
        var deployment = await _github.CreateDeploymentAsync(_repository, new GitHubNewDeployment("main", "prod") { PayloadJson = " { } " });

        Assert.Null(deployment.PayloadJson);
    }

    [Fact]
    public async Task NewCalls_AreLogged_AndFaultsApplyToThemBeforeTheyChangeAnything()
    {
        _github.Seed(_repository, Environment("prod").RequireReviewers(User("ana")));
        _github.SetWorkflowFile(_repository, ".github/workflows/promote.yml", "on: workflow_dispatch\n");
        var run = _github.AddWaitingRun(_repository, "Promote", "prod");
        _github.Faults.FailWhen(c => c.Operation == "repos/create-deployment", times: 1);

        var injected = await Assert.ThrowsAsync<RemoteServiceException>(() => DeployAsync("prod"));
        var deployment = await DeployAsync("prod");
        await StatusAsync(deployment, GitHubDeploymentState.Success);
        await _github.ListDeploymentsAsync(_repository, "prod", "deploy");
        await _github.ListDeploymentStatusesAsync(_repository, deployment.Id);
        await _github.ListWorkflowRunsAsync(_repository, "waiting");
        await _github.GetWorkflowRunAsync(_repository, run);
        await _github.DispatchWorkflowAsync(_repository, "promote.yml", "main", new Dictionary<string, string>());
        await _github.GetPendingDeploymentsAsync(_repository, run);
        await _github.ListReviewsAsync(_repository, run);
        await _github.ReviewCustomGateAsync(_repository, run, "prod", GitHubReviewState.Approved, null);
        await _github.ListWorkflowFilesAsync(_repository, null);
        _github.Faults.FailWhen(c => c.Operation == "actions/review-pending-deployments-for-run", times: 1);
        _github.CurrentUserLogin = "ana";
        var environmentId = (await _github.GetPendingDeploymentsAsync(_repository, run)).Single().EnvironmentId;
        var injectedReview = await Assert.ThrowsAsync<RemoteServiceException>(() => _github.ReviewPendingDeploymentsAsync(_repository, run, [environmentId], GitHubReviewState.Approved, "ok"));

        Assert.Equal(
            [
                ("repos/create-deployment", true, "prod", "main"),
                ("repos/create-deployment", true, "prod", "main"),
                ("repos/create-deployment-status", true, null, deployment.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("repos/list-deployments", false, "prod", "deploy"),
                ("repos/list-deployment-statuses", false, null, deployment.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("actions/list-workflow-runs-for-repo", false, null, "waiting"),
                ("actions/get-workflow-run", false, null, run.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("actions/create-workflow-dispatch", true, null, "promote.yml"),
                ("actions/get-pending-deployments-for-run", false, null, run.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("actions/get-reviews-for-run", false, null, run.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("actions/review-custom-gates-for-run", true, "prod", run.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("actions/list-repo-workflows", false, null, null),
                ("actions/get-pending-deployments-for-run", false, null, run.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("actions/review-pending-deployments-for-run", true, null, run.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ],
            _github.Calls.Select(c => (c.Operation, c.IsWrite, c.Environment, c.Target)));
        Assert.Equal(("repos/create-deployment", 500), (injected.Operation, injected.StatusCode));
        Assert.Equal(("actions/review-pending-deployments-for-run", 500), (injectedReview.Operation, injectedReview.StatusCode));
        Assert.Equal(deployment.Id, Assert.Single(await _github.ListDeploymentsAsync(_repository, null, null)).Id);
        Assert.Equal("waiting", (await _github.GetWorkflowRunAsync(_repository, run))!.Status);
        Assert.Empty(await _github.ListReviewsAsync(_repository, run));
    }

    [Fact]
    public void UseInMemory_RegistersTheFakeForEveryDeploymentInterface()
    {
        var github = new InMemoryGitHub();
        var services = new ServiceCollection();
        services.AddMlEnvironments().UseInMemory(github);
        using var provider = services.BuildServiceProvider();

        Assert.Same(github, provider.GetRequiredService<IGitHubDeploymentReader>());
        Assert.Same(github, provider.GetRequiredService<IGitHubDeploymentWriter>());
        Assert.Same(github, provider.GetRequiredService<IGitHubWorkflowRunReader>());
        Assert.Same(github, provider.GetRequiredService<IGitHubWorkflowDispatcher>());
        Assert.Same(github, provider.GetRequiredService<IGitHubDeploymentReviewClient>());
        Assert.Same(github, provider.GetRequiredService<IGitHubCustomGateReviewer>());
        Assert.Same(github, provider.GetRequiredService<IGitHubWorkflowFileReader>());
    }
}
