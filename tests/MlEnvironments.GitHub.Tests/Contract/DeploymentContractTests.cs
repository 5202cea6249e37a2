using Microsoft.Extensions.Time.Testing;
using MlEnvironments.Testing;
using Xunit.Abstractions;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.GitHub.Tests.Contract;

/// <summary>
/// Deployments, statuses, workflow runs, dispatches, reviews, custom gates and workflow files: every method of the
/// deployment interfaces, through the real client, over HTTP, against the emulator that checks each request against
/// GitHub's OpenAPI description.
/// </summary>
public class DeploymentContractTests(ITestOutputHelper output)
{
    private static readonly RepositoryId Repo = EmulatedGitHub.Repo;
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);

    private const string PromoteYaml = """
        name: Promote model
        run-name: Promote ${{ inputs.model }} ${{ inputs.version }}
        on:
          workflow_dispatch:
            inputs:
              model: { required: true }
              version: { required: true }
        jobs:
          prod:
            environment: prod
            runs-on: ubuntu-latest
            steps:
              - run: echo "déploiement ✓ — ${{ inputs.model }}"
        """;

    [Fact]
    public async Task Deployments_AreCreatedWithTheirPayload_AndListedNewestFirst_OverEveryPage_WithFilters()
    {
        var time = new FakeTimeProvider(Start);
        await using var github = await EmulatedGitHub.StartAsync(time: time);
        github.State.CurrentUserLogin = "ana";
        for (var i = 0; i < 101; i++)
        {
            await github.State.CreateDeploymentAsync(Repo, new GitHubNewDeployment("main", i % 2 == 0 ? "staging" : "prod") { Task = "deploy:seed" });
        }

        time.Advance(TimeSpan.FromMinutes(5));
        var created = await github.Deployments.CreateDeploymentAsync(Repo, new GitHubNewDeployment("release/v3", "Prod")
        {
            Task = "deploy:model",
            PayloadJson = """{ "model": "fraud", "version": "3", "metrics": { "auc": 0.93 }, "note": "déjà vu" }""",
            Description = "Promote fraud@3",
            ProductionEnvironment = true,
        });
        var all = await github.Deployments.ListDeploymentsAsync(Repo, null, null);
        var prodModels = await github.Deployments.ListDeploymentsAsync(Repo, "prod", "deploy:model");
        var seeds = await github.Deployments.ListDeploymentsAsync(Repo, "staging", "deploy:seed");

        Assert.Equal(("Prod", "release/v3", "deploy:model", "Promote fraud@3", "ana", true, false),
            (created.Environment, created.Ref, created.Task, created.Description, created.CreatorLogin, created.ProductionEnvironment, created.TransientEnvironment));
        Assert.Equal("""{"model":"fraud","version":"3","metrics":{"auc":0.93},"note":"déjà vu"}""", created.PayloadJson);
        Assert.Equal(Start.AddMinutes(5), created.CreatedAt);
        Assert.Equal(40, created.Sha.Length);
        Assert.Equal(102, all.Count);
        Assert.Equal(created.Id, all[0].Id);
        Assert.True(all.Zip(all.Skip(1)).All(p => p.First.Id > p.Second.Id), "newest first");
        Assert.Null(all[1].PayloadJson);
        Assert.Equal(created.Id, Assert.Single(prodModels).Id);
        Assert.Equal(51, seeds.Count);
        Assert.All(seeds, d => Assert.Equal(("staging", "deploy:seed"), (d.Environment, d.Task)));
        Assert.Equal(4, github.Emulator.Requests.Count(r => r.OperationId == "repos/list-deployments"));
        github.AssertEveryRequestConformed();
    }

    [Fact]
    public async Task Statuses_AreAddedAndListedNewestFirst_ASuccessMarksEarlierOnesInactive_AndLongDescriptionsAreCut()
    {
        await using var github = await EmulatedGitHub.StartAsync();
        var first = await github.Deployments.CreateDeploymentAsync(Repo, new GitHubNewDeployment("main", "staging"));
        var production = await github.Deployments.CreateDeploymentAsync(Repo, new GitHubNewDeployment("main", "staging") { ProductionEnvironment = true });
        var second = await github.Deployments.CreateDeploymentAsync(Repo, new GitHubNewDeployment("main", "staging"));
        await github.Deployments.CreateDeploymentStatusAsync(Repo, first.Id, new GitHubNewDeploymentStatus(GitHubDeploymentState.Success));
        await github.Deployments.CreateDeploymentStatusAsync(Repo, production.Id, new GitHubNewDeploymentStatus(GitHubDeploymentState.Success));

        await github.Deployments.CreateDeploymentStatusAsync(Repo, second.Id, new GitHubNewDeploymentStatus(GitHubDeploymentState.InProgress));
        var success = await github.Deployments.CreateDeploymentStatusAsync(Repo, second.Id, new GitHubNewDeploymentStatus(GitHubDeploymentState.Success)
        {
            Description = new string('d', 200),
            LogUrl = new Uri("https://github.com/octo-org/credit-risk/actions/runs/42"),
            EnvironmentUrl = new Uri("https://ml.azure.com/model/fraud:3"),
        });
        var secondStatuses = await github.Deployments.ListDeploymentStatusesAsync(Repo, second.Id);
        var firstStatuses = await github.Deployments.ListDeploymentStatusesAsync(Repo, first.Id);
        var productionStatuses = await github.Deployments.ListDeploymentStatusesAsync(Repo, production.Id);
        var missing = await Assert.ThrowsAsync<GitHubException>(() => github.Deployments.ListDeploymentStatusesAsync(Repo, 999_999));

        Assert.Equal(140, success.Description!.Length);
        Assert.EndsWith("d…", success.Description, StringComparison.Ordinal);
        Assert.Equal(("https://github.com/octo-org/credit-risk/actions/runs/42", "https://ml.azure.com/model/fraud:3"),
            (success.LogUrl?.AbsoluteUri, success.EnvironmentUrl?.AbsoluteUri));
        Assert.Equal([GitHubDeploymentState.Success, GitHubDeploymentState.InProgress], secondStatuses.Select(s => s.State));
        Assert.Equal(success.Id, secondStatuses[0].Id);
        Assert.Equal([GitHubDeploymentState.Inactive, GitHubDeploymentState.Success], firstStatuses.Select(s => s.State));
        Assert.Equal([GitHubDeploymentState.Success], productionStatuses.Select(s => s.State));
        Assert.Equal(404, missing.StatusCode);
        github.AssertEveryRequestConformed();
    }

    [Fact]
    public async Task WorkflowRuns_AreListedByStatusOverEveryPage_AndReadOneByOne()
    {
        await using var github = await EmulatedGitHub.StartAsync();
        github.State.Seed(Repo, Environment("prod").RequireReviewers(User("ana")));
        var waiting = new List<long>();
        for (var i = 0; i < 101; i++)
        {
            waiting.Add(github.State.AddWaitingRun(Repo, $"Promote fraud {i}", "bob", ["prod"]));
        }

        var done = github.State.AddWaitingRun(Repo, "Promote fraud done", "bob", ["prod"]);
        github.State.CompleteRun(Repo, done);

        var listed = await github.Workflows.ListWorkflowRunsAsync(Repo, "waiting");
        var successes = await github.Workflows.ListWorkflowRunsAsync(Repo, "success");
        var all = await github.Workflows.ListWorkflowRunsAsync(Repo, null);
        var one = await github.Workflows.GetWorkflowRunAsync(Repo, waiting[5]);
        var none = await github.Workflows.GetWorkflowRunAsync(Repo, 123_456_789);

        Assert.Equal(waiting.AsEnumerable().Reverse(), listed.Select(r => r.Id));
        Assert.Equal(done, Assert.Single(successes).Id);
        Assert.Equal(102, all.Count);
        Assert.Equal(("Promote fraud 5", "waiting", "bob", "bob", "workflow_dispatch", "main", ".github/workflows/promote.yml"),
            (one!.DisplayTitle, one.Status, one.ActorLogin, one.TriggeringActorLogin, one.Event, one.HeadBranch, one.Path));
        Assert.Equal($"https://github.com/{Repo}/actions/runs/{waiting[5]}", one.HtmlUrl?.AbsoluteUri);
        Assert.Null(none);
        github.AssertEveryRequestConformed();
    }

    [Fact]
    public async Task AWorkflowIsDispatched_WithItsInputs_AndOnlyWhenItHasTheTrigger()
    {
        await using var github = await EmulatedGitHub.StartAsync();
        github.State.CurrentUserLogin = "ana";
        github.State.SetWorkflowFile(Repo, ".github/workflows/promote.yml", PromoteYaml);
        github.State.SetWorkflowFile(Repo, ".github/workflows/ci.yml", "name: CI\non: push\n");

        await github.Workflows.DispatchWorkflowAsync(Repo, "promote.yml", "main", new Dictionary<string, string> { ["model"] = "fraud", ["version"] = "3" });
        var noTrigger = await Assert.ThrowsAsync<GitHubException>(() => github.Workflows.DispatchWorkflowAsync(Repo, "ci.yml", "main", new Dictionary<string, string>()));
        var unknown = await Assert.ThrowsAsync<GitHubException>(() => github.Workflows.DispatchWorkflowAsync(Repo, "nope.yml", "main", new Dictionary<string, string>()));

        var dispatch = Assert.Single(github.State.GetWorkflowDispatches(Repo));
        Assert.Equal(("promote.yml", ".github/workflows/promote.yml", "main"), (dispatch.Workflow, dispatch.WorkflowPath, dispatch.Ref));
        Assert.Equal(["model=fraud", "version=3"], dispatch.Inputs.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}"));
        var run = await github.Workflows.GetWorkflowRunAsync(Repo, dispatch.RunId);
        Assert.Equal(("queued", "Promote model", "ana"), (run!.Status, run.Name, run.ActorLogin));
        Assert.Equal(422, noTrigger.StatusCode);
        Assert.Contains("workflow_dispatch", noTrigger.Message, StringComparison.Ordinal);
        Assert.Equal(404, unknown.StatusCode);
        github.AssertEveryRequestConformed();
    }

    [Fact]
    public async Task PendingDeployments_AreReviewedByARequiredReviewer_AndTheHistoryIsKept()
    {
        await using var github = await EmulatedGitHub.StartAsync();
        var ana = github.State.AddUser("ana");
        var leads = github.State.AddTeam("ml-leads");
        github.State.AddTeamMember("ml-leads", "carol");
        github.State.Seed(Repo, Environment("prod").RequireReviewers(User("ana"), Team("ml-leads")).WithWaitTimer(TimeSpan.FromMinutes(10)));
        github.State.Seed(Repo, Environment("staging").RequireReviewers(Team("ml-leads")));
        var run = github.State.AddWaitingRun(Repo, "Promote fraud 3", "bob", ["prod", "staging"]);
        github.State.CurrentUserLogin = "ana";

        var pending = await github.Reviews.GetPendingDeploymentsAsync(Repo, run);
        var prod = pending.Single(p => p.EnvironmentName == "prod");
        var staging = pending.Single(p => p.EnvironmentName == "staging");
        await github.Reviews.ReviewPendingDeploymentsAsync(Repo, run, [prod.EnvironmentId], GitHubReviewState.Approved, "AUC beats the champion.");
        var afterAna = await github.Workflows.GetWorkflowRunAsync(Repo, run);
        var refused = await Assert.ThrowsAsync<GitHubException>(() =>
            github.Reviews.ReviewPendingDeploymentsAsync(Repo, run, [staging.EnvironmentId], GitHubReviewState.Approved, "not mine"));
        github.State.CurrentUserLogin = "carol";
        await github.Reviews.ReviewPendingDeploymentsAsync(Repo, run, [staging.EnvironmentId], GitHubReviewState.Approved, "");
        var afterCarol = await github.Workflows.GetWorkflowRunAsync(Repo, run);
        var reviews = await github.Reviews.ListReviewsAsync(Repo, run);
        var nothingLeft = await github.Reviews.GetPendingDeploymentsAsync(Repo, run);

        Assert.Equal((true, false), (prod.CurrentUserCanApprove, staging.CurrentUserCanApprove));
        Assert.Equal(TimeSpan.FromMinutes(10), prod.WaitTimer);
        Assert.NotNull(prod.WaitTimerStartedAt);
        Assert.Null(staging.WaitTimerStartedAt);
        Assert.Equal([(ReviewerKind.User, ana, "ana"), (ReviewerKind.Team, leads, "ml-leads")], prod.Reviewers.Select(r => (r.Kind, r.Id, r.Name)));
        Assert.Equal("waiting", afterAna!.Status);
        Assert.Equal(422, refused.StatusCode);
        Assert.Contains("not a required reviewer", refused.Message, StringComparison.Ordinal);
        Assert.Equal("in_progress", afterCarol!.Status);
        Assert.Equal(
            [(GitHubReviewState.Approved, "ana", "AUC beats the champion.", "prod"), (GitHubReviewState.Approved, "carol", "", "staging")],
            reviews.Select(r => (r.State, r.UserLogin, r.Comment, string.Join(",", r.EnvironmentNames))));
        Assert.Empty(nothingLeft);
        github.AssertEveryRequestConformed();
    }

    [Fact]
    public async Task ARejection_FailsTheRun_AndSelfReviewIsRefusedWhenTheEnvironmentPreventsIt()
    {
        await using var github = await EmulatedGitHub.StartAsync();
        github.State.AddUser("ana");
        github.State.Seed(Repo, Environment("prod").RequireReviewers(User("ana")).PreventSelfReview());
        var own = github.State.AddWaitingRun(Repo, "ana's own", "ana", ["prod"]);
        var other = github.State.AddWaitingRun(Repo, "bob's", "bob", ["prod"]);
        github.State.CurrentUserLogin = "ana";
        var prodId = (await github.Reviews.GetPendingDeploymentsAsync(Repo, own)).Single().EnvironmentId;

        var selfReview = await Assert.ThrowsAsync<GitHubException>(() =>
            github.Reviews.ReviewPendingDeploymentsAsync(Repo, own, [prodId], GitHubReviewState.Approved, "lgtm"));
        await github.Reviews.ReviewPendingDeploymentsAsync(Repo, other, [prodId], GitHubReviewState.Rejected, "AUC regressed.");
        var rejected = await github.Workflows.GetWorkflowRunAsync(Repo, other);
        var stillWaiting = await github.Workflows.GetWorkflowRunAsync(Repo, own);
        var history = await github.Reviews.ListReviewsAsync(Repo, other);

        Assert.Equal(422, selfReview.StatusCode);
        Assert.Contains("prevents self-review", selfReview.Message, StringComparison.Ordinal);
        Assert.Equal(("completed", "failure"), (rejected!.Status, rejected.Conclusion));
        Assert.Equal("waiting", stillWaiting!.Status);
        var entry = Assert.Single(history);
        Assert.Equal((GitHubReviewState.Rejected, "ana", "AUC regressed."), (entry.State, entry.UserLogin, entry.Comment));
        github.AssertEveryRequestConformed();
    }

    [Fact]
    public async Task CustomGateAnswers_AreRecorded_WithCommentsCutTo1024Characters()
    {
        await using var github = await EmulatedGitHub.StartAsync();
        github.State.Seed(Repo, Environment("prod"));
        var run = github.State.AddWaitingRun(Repo, "Promote fraud 3", "bob", ["prod"]);

        await github.Reviews.ReviewCustomGateAsync(Repo, run, "prod", GitHubReviewState.Rejected, new string('x', 2000));
        await github.Reviews.ReviewCustomGateAsync(Repo, run, "prod", GitHubReviewState.Approved, null);
        var unknownRun = await Assert.ThrowsAsync<GitHubException>(() => github.Reviews.ReviewCustomGateAsync(Repo, 77, "prod", GitHubReviewState.Approved, "ok"));

        var answers = github.State.GetCustomGateReviews(Repo, run);
        Assert.Equal([GitHubReviewState.Rejected, GitHubReviewState.Approved], answers.Select(a => a.State));
        Assert.Equal(1024, answers[0].Comment!.Length);
        Assert.EndsWith("x…", answers[0].Comment, StringComparison.Ordinal);
        Assert.Null(answers[1].Comment);
        Assert.Equal(404, unknownRun.StatusCode);
        github.AssertEveryRequestConformed();
    }

    [Fact]
    public async Task WorkflowFiles_AreListedAndDecoded_PathsKeepTheirSlashes()
    {
        await using var github = await EmulatedGitHub.StartAsync();
        github.State.SetWorkflowFile(Repo, ".github/workflows/promote.yml", PromoteYaml);
        github.State.SetWorkflowFile(Repo, ".github/workflows/ci.yml", "name: CI\non: push\n");
        github.State.SetWorkflowFile(Repo, "docs/not-a-workflow.yml", "x: 1\n");

        var files = await github.Workflows.ListWorkflowFilesAsync(Repo, "release/v3");

        Assert.Equal([".github/workflows/ci.yml", ".github/workflows/promote.yml"], files.Select(f => f.Path));
        Assert.Equal(PromoteYaml, files[1].Content);
        Assert.Contains(github.Emulator.Requests, r => r.OperationId == "repos/get-content" && r.Path.EndsWith("/contents/.github/workflows/promote.yml", StringComparison.Ordinal));
        github.AssertEveryRequestConformed();
    }

    [Fact]
    public async Task EveryOperationOfTheDeploymentInterfaces_IsCalledAndConformsToTheDescription()
    {
        await using var github = await EmulatedGitHub.StartAsync();
        github.State.AddUser("ana");
        github.State.Seed(Repo, Environment("prod").RequireReviewers(User("ana")));
        github.State.SetWorkflowFile(Repo, ".github/workflows/promote.yml", PromoteYaml);
        github.State.CurrentUserLogin = "ana";
        var run = github.State.AddWaitingRun(Repo, "Promote fraud 3", "bob", ["prod"]);
        var gated = github.State.AddWaitingRun(Repo, "Promote fraud 4", "bob", ["prod"]);

        var deployment = await github.Deployments.CreateDeploymentAsync(Repo, new GitHubNewDeployment("main", "prod") { PayloadJson = """{"model":"fraud"}""" });
        await github.Deployments.CreateDeploymentStatusAsync(Repo, deployment.Id, new GitHubNewDeploymentStatus(GitHubDeploymentState.Success) { Description = "done" });
        await github.Deployments.ListDeploymentsAsync(Repo, "prod", null);
        await github.Deployments.ListDeploymentStatusesAsync(Repo, deployment.Id);
        await github.Workflows.ListWorkflowRunsAsync(Repo, "waiting");
        await github.Workflows.GetWorkflowRunAsync(Repo, run);
        await github.Workflows.DispatchWorkflowAsync(Repo, "promote.yml", "main", new Dictionary<string, string> { ["model"] = "fraud" });
        await github.Workflows.ListWorkflowFilesAsync(Repo, null);
        var pending = await github.Reviews.GetPendingDeploymentsAsync(Repo, run);
        await github.Reviews.ReviewPendingDeploymentsAsync(Repo, run, [pending.Single().EnvironmentId], GitHubReviewState.Approved, "ok");
        await github.Reviews.ListReviewsAsync(Repo, run);
        await github.Reviews.ReviewCustomGateAsync(Repo, gated, "prod", GitHubReviewState.Approved, "metrics pass");

        string[] expected =
        [
            "repos/list-deployments", "repos/create-deployment", "repos/list-deployment-statuses", "repos/create-deployment-status",
            "actions/list-workflow-runs-for-repo", "actions/get-workflow-run", "actions/create-workflow-dispatch",
            "actions/get-pending-deployments-for-run", "actions/review-pending-deployments-for-run", "actions/get-reviews-for-run",
            "actions/review-custom-gates-for-run", "actions/list-repo-workflows", "repos/get-content",
        ];
        var called = github.Emulator.Requests.Where(r => r.OperationId is not null).Select(r => r.OperationId!).Distinct().Order().ToList();
        output.WriteLine($"Deployment operations called by the client and validated by the emulator: {called.Count} — {string.Join(", ", called)}");
        Assert.Empty(expected.Except(called));
        Assert.All(github.Emulator.Requests, r => Assert.InRange(r.StatusCode, 200, 299));
        github.AssertEveryRequestConformed();
    }
}
