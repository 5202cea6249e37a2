using Microsoft.Extensions.Time.Testing;
using MlEnvironments.GitHub;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Testing.Tests;

/// <summary>Workflow runs, reviews of pending deployments, custom gates, dispatches and workflow files in the fake.</summary>
public class InMemoryGitHubReviewTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly InMemoryGitHub _github;
    private readonly RepositoryId _repository;

    public InMemoryGitHubReviewTests()
    {
        _github = new InMemoryGitHub(_time);
        _repository = _github.AddRepository("octo-org/credit-risk");
        _github.Seed(_repository, Environment("prod").RequireReviewers(User("ana"), Team("ml-leads")).WithWaitTimer(TimeSpan.FromMinutes(15)));
        _github.Seed(_repository, Environment("staging").RequireReviewers(Team("ml-leads")));
        _github.Seed(_repository, Environment("guarded").RequireReviewers(User("ana")).PreventSelfReview());
        _github.AddTeamMember("ml-leads", "carol");
    }

    private static async Task<RemoteServiceException> ExpectStatusAsync(int status, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RemoteServiceException>(call);
        Assert.Equal((status, "GitHub"), (error.StatusCode, error.Service));
        return error;
    }

    private async Task<long> EnvironmentIdAsync(string name) => (await _github.GetEnvironmentAsync(_repository, name))!.Id;

    private Task ReviewAsync(long run, string environment, GitHubReviewState state, string comment = "reviewed") =>
        ReviewIdsAsync(run, [environment], state, comment);

    private async Task ReviewIdsAsync(long run, string[] environments, GitHubReviewState state, string comment)
    {
        var ids = new List<long>();
        foreach (var environment in environments)
        {
            ids.Add(await EnvironmentIdAsync(environment));
        }

        await _github.ReviewPendingDeploymentsAsync(_repository, run, ids, state, comment);
    }

    private async Task<GitHubWorkflowRun> RunAsync(long id) => (await _github.GetWorkflowRunAsync(_repository, id))!;

    [Fact]
    public async Task AWaitingRun_IsListedAndReadWithItsFacts()
    {
        _time.Advance(TimeSpan.FromMinutes(2));
        var first = _github.AddWaitingRun(_repository, "Promote fraud 3", "prod");
        var second = _github.AddWaitingRun(_repository, "Promote fraud 4", "bob", ["staging"], ".github/workflows/release.yml");

        var waiting = await _github.ListWorkflowRunsAsync(_repository, "waiting");
        var run = await RunAsync(first);

        Assert.Equal([second, first], waiting.Select(r => r.Id));
        Assert.Equal(("Promote fraud 3", "waiting", null, "octocat", "octocat", "workflow_dispatch", "main", ".github/workflows/promote.yml", Start.AddMinutes(2)),
            (run.DisplayTitle, run.Status, run.Conclusion, run.ActorLogin, run.TriggeringActorLogin, run.Event, run.HeadBranch, run.Path, run.CreatedAt));
        Assert.Equal(1, run.RunNumber);
        Assert.Equal(2, (await RunAsync(second)).RunNumber);
        Assert.NotEqual(run.WorkflowId, (await RunAsync(second)).WorkflowId);
        Assert.Empty(await _github.ListWorkflowRunsAsync(_repository, "completed"));
        Assert.Throws<InvalidOperationException>(() => _github.AddWaitingRun(_repository, "x", "no-such-environment"));
        Assert.Throws<InvalidOperationException>(() => _github.AddWaitingRun(RepositoryId.Parse("octo-org/missing"), "x", "prod"));
    }

    [Fact]
    public async Task CurrentUserCanApprove_IsWhetherTheTokensUserIsARequiredReviewer_DirectlyOrThroughATeam()
    {
        var run = _github.AddWaitingRun(_repository, "Promote", "bob", ["prod", "staging"]);

        var anonymous = await _github.GetPendingDeploymentsAsync(_repository, run);
        _github.CurrentUserLogin = "ANA";
        var asAna = await _github.GetPendingDeploymentsAsync(_repository, run);
        _github.CurrentUserLogin = "carol";
        var asCarol = await _github.GetPendingDeploymentsAsync(_repository, run);
        _github.CurrentUserLogin = "dave";
        var asDave = await _github.GetPendingDeploymentsAsync(_repository, run);

        Assert.Equal(["prod", "staging"], asAna.Select(p => p.EnvironmentName));
        Assert.Equal([false, false], anonymous.Select(p => p.CurrentUserCanApprove));
        Assert.Equal([true, false], asAna.Select(p => p.CurrentUserCanApprove));
        Assert.Equal([true, true], asCarol.Select(p => p.CurrentUserCanApprove));
        Assert.Equal([false, false], asDave.Select(p => p.CurrentUserCanApprove));
        Assert.Equal((TimeSpan.FromMinutes(15), Start), (asAna[0].WaitTimer, asAna[0].WaitTimerStartedAt));
        Assert.Equal((TimeSpan.Zero, null), (asAna[1].WaitTimer, asAna[1].WaitTimerStartedAt));
        Assert.Equal(["user:ana", "team:ml-leads"], asAna[0].Reviewers.Select(r => r.ToReviewer().ToString()));
        Assert.Equal(await EnvironmentIdAsync("prod"), asAna[0].EnvironmentId);
    }

    [Fact]
    public async Task ApprovingEveryWaitingEnvironment_MovesTheRunToInProgress_AndTheHistoryNamesTheReviewer()
    {
        var run = _github.AddWaitingRun(_repository, "Promote", "bob", ["prod", "staging"]);
        _github.CurrentUserLogin = "carol";

        await ReviewAsync(run, "staging", GitHubReviewState.Approved, "staging ok");
        var halfway = await RunAsync(run);
        var stillPending = await _github.GetPendingDeploymentsAsync(_repository, run);
        _time.Advance(TimeSpan.FromMinutes(1));
        await ReviewAsync(run, "prod", GitHubReviewState.Approved, "prod ok");

        Assert.Equal("waiting", halfway.Status);
        Assert.Equal(["prod"], stillPending.Select(p => p.EnvironmentName));
        var done = await RunAsync(run);
        Assert.Equal(("in_progress", null), (done.Status, done.Conclusion));
        Assert.Empty(await _github.GetPendingDeploymentsAsync(_repository, run));
        Assert.Equal(
            [(GitHubReviewState.Approved, "carol", "staging ok", "staging"), (GitHubReviewState.Approved, "carol", "prod ok", "prod")],
            (await _github.ListReviewsAsync(_repository, run)).Select(r => (r.State, r.UserLogin, r.Comment, string.Join(",", r.EnvironmentNames))));
    }

    [Fact]
    public async Task ApprovingSeveralEnvironmentsAtOnce_IsOneReview()
    {
        var run = _github.AddWaitingRun(_repository, "Promote", "bob", ["prod", "staging"]);
        _github.CurrentUserLogin = "carol";

        await ReviewIdsAsync(run, ["prod", "staging"], GitHubReviewState.Approved, "both");

        Assert.Equal("in_progress", (await RunAsync(run)).Status);
        Assert.Equal(["prod", "staging"], Assert.Single(await _github.ListReviewsAsync(_repository, run)).EnvironmentNames);
    }

    [Fact]
    public async Task ARejection_CompletesTheRunWithFailure_AndLeavesNothingWaiting()
    {
        var run = _github.AddWaitingRun(_repository, "Promote", "bob", ["prod", "staging"]);
        _github.CurrentUserLogin = "ana";

        await ReviewAsync(run, "prod", GitHubReviewState.Rejected, "AUC regressed");

        var rejected = await RunAsync(run);
        Assert.Equal(("completed", "failure"), (rejected.Status, rejected.Conclusion));
        Assert.Empty(await _github.GetPendingDeploymentsAsync(_repository, run));
        Assert.Equal(run, Assert.Single(await _github.ListWorkflowRunsAsync(_repository, "failure")).Id);
        var review = Assert.Single(await _github.ListReviewsAsync(_repository, run));
        Assert.Equal((GitHubReviewState.Rejected, "ana", "AUC regressed"), (review.State, review.UserLogin, review.Comment));
        _github.CurrentUserLogin = "carol";
        await ExpectStatusAsync(422, () => ReviewAsync(run, "staging", GitHubReviewState.Approved));
    }

    [Fact]
    public async Task AUserWhoIsNotARequiredReviewer_IsRefused_AndNothingChanges()
    {
        var run = _github.AddWaitingRun(_repository, "Promote", "bob", ["staging"]);
        _github.CurrentUserLogin = "ana";

        var error = await ExpectStatusAsync(422, () => ReviewAsync(run, "staging", GitHubReviewState.Approved));

        Assert.Contains("ana is not a required reviewer of environment 'staging'", error.Message, StringComparison.Ordinal);
        Assert.Equal("actions/review-pending-deployments-for-run", error.Operation);
        Assert.Equal("waiting", (await RunAsync(run)).Status);
        Assert.Empty(await _github.ListReviewsAsync(_repository, run));
    }

    [Fact]
    public async Task SelfReview_IsRefusedWhereTheEnvironmentPreventsIt_AndAllowedElsewhere()
    {
        var guarded = _github.AddWaitingRun(_repository, "ana's guarded", "ana", ["guarded"]);
        var open = _github.AddWaitingRun(_repository, "ana's prod", "ana", ["prod"]);
        _github.CurrentUserLogin = "ana";

        var error = await ExpectStatusAsync(422, () => ReviewAsync(guarded, "guarded", GitHubReviewState.Approved));
        await ReviewAsync(open, "prod", GitHubReviewState.Approved);

        Assert.Contains("prevents self-review", error.Message, StringComparison.Ordinal);
        Assert.Equal("waiting", (await RunAsync(guarded)).Status);
        Assert.Equal("in_progress", (await RunAsync(open)).Status);
        var pending = Assert.Single(await _github.GetPendingDeploymentsAsync(_repository, guarded));
        Assert.True(pending.CurrentUserCanApprove);
    }

    [Fact]
    public async Task ReviewingWithoutAUser_OrAnEnvironmentTheRunDoesNotWaitOn_OrWithoutADecision_IsRefused()
    {
        var run = _github.AddWaitingRun(_repository, "Promote", "bob", ["prod"]);

        var noUser = await ExpectStatusAsync(403, () => ReviewAsync(run, "prod", GitHubReviewState.Approved));
        _github.CurrentUserLogin = "ana";
        var notWaiting = await ExpectStatusAsync(422, () => ReviewAsync(run, "guarded", GitHubReviewState.Approved));
        await ExpectStatusAsync(404, () => _github.ReviewPendingDeploymentsAsync(_repository, 999_999, [1], GitHubReviewState.Approved, "x"));
        await Assert.ThrowsAsync<ArgumentException>(() => ReviewAsync(run, "prod", GitHubReviewState.Pending));
        await Assert.ThrowsAsync<ArgumentException>(() => _github.ReviewPendingDeploymentsAsync(_repository, run, [], GitHubReviewState.Approved, "x"));

        Assert.Contains("CurrentUserLogin", noUser.Message, StringComparison.Ordinal);
        Assert.Contains("is not waiting for a review", notWaiting.Message, StringComparison.Ordinal);
        Assert.Equal("waiting", (await RunAsync(run)).Status);
    }

    [Fact]
    public async Task CompleteRun_EndsARunWithItsConclusion()
    {
        var run = _github.AddWaitingRun(_repository, "Promote", "prod");
        _time.Advance(TimeSpan.FromMinutes(4));

        _github.CompleteRun(_repository, run);

        Assert.Equal(("completed", "success"), ((await RunAsync(run)).Status, (await RunAsync(run)).Conclusion));
        Assert.Empty(await _github.GetPendingDeploymentsAsync(_repository, run));
        Assert.Throws<InvalidOperationException>(() => _github.CompleteRun(_repository, 1));
    }

    [Fact]
    public async Task CustomGateAnswers_AreRecordedPerRun_InOrder()
    {
        var run = _github.AddWaitingRun(_repository, "Promote", "bob", ["prod"]);
        var other = _github.AddWaitingRun(_repository, "Other", "bob", ["prod"]);

        await _github.ReviewCustomGateAsync(_repository, run, "prod", GitHubReviewState.Rejected, "auc 0.905 < 0.91");
        await _github.ReviewCustomGateAsync(_repository, run, "PROD", GitHubReviewState.Approved, new string('y', 1100));
        await _github.ReviewCustomGateAsync(_repository, other, "prod", GitHubReviewState.Approved, null);
        await ExpectStatusAsync(404, () => _github.ReviewCustomGateAsync(_repository, 999_999, "prod", GitHubReviewState.Approved, null));
        await ExpectStatusAsync(404, () => _github.ReviewCustomGateAsync(_repository, run, "nowhere", GitHubReviewState.Approved, null));
        await Assert.ThrowsAsync<ArgumentException>(() => _github.ReviewCustomGateAsync(_repository, run, "prod", GitHubReviewState.Pending, null));

        var answers = _github.GetCustomGateReviews(_repository, run);
        Assert.Equal(2, answers.Count);
        Assert.Equal(new FakeCustomGateReview("prod", GitHubReviewState.Rejected, "auc 0.905 < 0.91"), answers[0]);
        Assert.Equal(("PROD", GitHubReviewState.Approved, 1024), (answers[1].EnvironmentName, answers[1].State, answers[1].Comment!.Length));
        Assert.EndsWith("…", answers[1].Comment, StringComparison.Ordinal);
        Assert.Equal(new FakeCustomGateReview("prod", GitHubReviewState.Approved, null), Assert.Single(_github.GetCustomGateReviews(_repository, other)));
        Assert.Empty(_github.GetCustomGateReviews(RepositoryId.Parse("octo-org/missing"), run));
    }

    [Fact]
    public async Task ADispatch_IsRecorded_AndQueuesARun_WhenTheWorkflowHasTheTrigger()
    {
        _github.SetWorkflowFile(_repository, ".github/workflows/promote.yml", "name: \"Promote model\"\non:\n  workflow_dispatch:\n");
        _github.SetWorkflowFile(_repository, ".github/workflows/ci.yml", "name: CI\non: push\n");
        _github.CurrentUserLogin = "ana";
        var runsBefore = (await _github.ListWorkflowRunsAsync(_repository, null)).Count;

        await _github.DispatchWorkflowAsync(_repository, "promote.yml", "refs/heads/release", new Dictionary<string, string> { ["model"] = "fraud" });
        var dispatch = Assert.Single(_github.GetWorkflowDispatches(_repository));
        var queued = await RunAsync(dispatch.RunId);
        await _github.DispatchWorkflowAsync(_repository, ".github/workflows/promote.yml", "main", new Dictionary<string, string>());
        await _github.DispatchWorkflowAsync(_repository, queued.WorkflowId.ToString(System.Globalization.CultureInfo.InvariantCulture), "main", new Dictionary<string, string>());
        var noTrigger = await ExpectStatusAsync(422, () => _github.DispatchWorkflowAsync(_repository, "ci.yml", "main", new Dictionary<string, string>()));
        await ExpectStatusAsync(404, () => _github.DispatchWorkflowAsync(_repository, "missing.yml", "main", new Dictionary<string, string>()));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            _github.DispatchWorkflowAsync(_repository, "promote.yml", "main", Enumerable.Range(0, 26).ToDictionary(i => "k" + i, i => "v")));

        Assert.Equal(0, runsBefore);
        Assert.Equal(3, (await _github.ListWorkflowRunsAsync(_repository, "queued")).Count);
        Assert.Equal(("promote.yml", ".github/workflows/promote.yml", "refs/heads/release", Start), (dispatch.Workflow, dispatch.WorkflowPath, dispatch.Ref, dispatch.DispatchedAt));
        Assert.Equal("fraud", dispatch.Inputs["model"]);
        Assert.Equal(("queued", "Promote model", "Promote model", "release", "ana", ".github/workflows/promote.yml"),
            (queued.Status, queued.Name, queued.DisplayTitle, queued.HeadBranch, queued.ActorLogin, queued.Path));
        Assert.Equal(3, _github.GetWorkflowDispatches(_repository).Count);
        Assert.Equal("Workflow does not have 'workflow_dispatch' trigger", noTrigger.Message);
        Assert.DoesNotContain("fraud", dispatch.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkflowFiles_AreTheFilesUnderGitHubWorkflows_ByPath()
    {
        _github.SetWorkflowFile(_repository, ".github/workflows/promote.yml", "v1");
        _github.SetWorkflowFile(_repository, ".github/workflows/ci.yml", "ci");
        _github.SetWorkflowFile(_repository, "README.md", "# not a workflow");
        _github.SetWorkflowFile(_repository, ".github/workflows/promote.yml", "v2");

        var files = await _github.ListWorkflowFilesAsync(_repository, "main");

        Assert.Equal([(".github/workflows/ci.yml", "ci"), (".github/workflows/promote.yml", "v2")], files.Select(f => (f.Path, f.Content)));
        Assert.Empty(await _github.ListWorkflowFilesAsync(_github.AddRepository("octo-org/empty"), null));
    }
}
