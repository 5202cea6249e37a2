using Microsoft.Extensions.DependencyInjection;
using MlEnvironments.GitHub;
using MlEnvironments.Promotion;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Tests.Promotion;

public sealed class PromotionReviewServiceTests : IAsyncDisposable
{
    private static readonly RepositoryId Repo = RepositoryId.Parse("octo/churn");
    private static readonly WorkspaceId Staging = Workspace("00000000-0000-0000-0000-000000000001", "rg", "mlw-staging");
    private static readonly WorkspaceId Prod = Workspace("00000000-0000-0000-0000-000000000001", "rg", "mlw-prod");
    private readonly InMemoryGitHub _github = new();
    private readonly ServiceProvider _provider;

    public PromotionReviewServiceTests()
    {
        _github.ConfigureRepository(Repo, id: 1, ownerId: 2);
        _github.AddUser("ana");
        _github.AddUser("bob");
        _github.GrantAccess(Repo, User("ana"));
        _github.Seed(Repo, Environment("staging"));
        _github.Seed(Repo, Environment("prod").RequireReviewers(User("ana")).PreventSelfReview());
        var services = new ServiceCollection();
        services.AddMlEnvironments().UseInMemory(_github, new InMemoryAzureMachineLearning().AddWorkspace(Staging).AddWorkspace(Prod));
        _provider = services.BuildServiceProvider();
    }

    private IPromotionReviewService Reviews => _provider.GetRequiredService<IPromotionReviewService>();

    private static RepositoryDefinition Definition => Repository(Repo, Environment("staging").BindWorkspace(Staging), Environment("prod").BindWorkspace(Prod));

    public async ValueTask DisposeAsync() => await _provider.DisposeAsync();

    [Fact]
    public async Task Approve_AsANonReviewer_ExplainsGitHubsRule_AndReviewsNothing()
    {
        var run = _github.AddWaitingRun(Repo, PromotionRunTitle.Format("churn", "1"), "octocat", ["prod"]);
        _github.CurrentUserLogin = "bob";

        var error = await Assert.ThrowsAsync<PromotionException>(() => Reviews.ApproveAsync(Repo, run, "ok"));

        Assert.Equal(PromotionErrors.NotAReviewer, error.Code);
        Assert.Contains("'prod' (reviewers: ana)", error.Message);
        Assert.Contains("a GitHub App's installation token cannot", error.Message);
        Assert.Empty(await _github.ListReviewsAsync(Repo, run));
    }

    [Fact]
    public async Task Approve_AsTheRunsAuthor_WithPreventSelfReview_IsRefused()
    {
        var run = _github.AddWaitingRun(Repo, PromotionRunTitle.Format("churn", "1"), "ana", ["prod"]);
        _github.CurrentUserLogin = "ana";

        await Assert.ThrowsAnyAsync<MlEnvironmentsException>(() => Reviews.ApproveAsync(Repo, run, "self"));

        Assert.Empty(await _github.ListReviewsAsync(Repo, run));
    }

    [Fact]
    public async Task Approve_AsAReviewer_RecordsTheReview()
    {
        var run = _github.AddWaitingRun(Repo, PromotionRunTitle.Format("churn", "1"), "bob", ["prod"]);
        _github.CurrentUserLogin = "ana";

        var approved = await Reviews.ApproveAsync(Repo, run, "Numbers are good.");

        Assert.Equal(["prod"], approved);
        var review = Assert.Single(await _github.ListReviewsAsync(Repo, run));
        Assert.Equal((GitHubReviewState.Approved, "ana", "Numbers are good."), (review.State, review.UserLogin, review.Comment));
        Assert.Equal("in_progress", (await _github.GetWorkflowRunAsync(Repo, run))!.Status);
    }

    [Fact]
    public async Task Reject_AnEnvironmentTheRunDoesNotWaitOn_IsNothingPending()
    {
        var run = _github.AddWaitingRun(Repo, PromotionRunTitle.Format("churn", "1"), "bob", ["prod"]);
        _github.CurrentUserLogin = "ana";

        var error = await Assert.ThrowsAsync<PromotionException>(() => Reviews.RejectAsync(Repo, run, "no", ["staging"]));

        Assert.Equal(PromotionErrors.NothingPending, error.Code);
        Assert.Contains("waits on prod, not on staging", error.Message);
    }

    [Fact]
    public async Task Pending_WithATitleThatNamesNoModel_SaysWhatTheConventionIs()
    {
        var run = _github.AddWaitingRun(Repo, "Deploy to prod", "bob", ["prod"]);

        var pending = await Reviews.GetPendingAsync(Definition, run);

        Assert.NotNull(pending);
        Assert.Null(pending.ModelName);
        Assert.Empty(pending.Evaluations);
        Assert.Contains("mlenv promote <model>@<version>", Assert.Single(pending.Problems));
        Assert.Contains("waits on prod", pending.ToText());
    }

    [Fact]
    public async Task Pending_ForAnUnknownVersion_ReportsTheProblemInsteadOfThrowing()
    {
        var run = _github.AddWaitingRun(Repo, PromotionRunTitle.Format("churn", "9"), "bob", ["prod"]);

        var pending = Assert.Single(await Reviews.ListPendingAsync(Definition));

        Assert.Equal(run, pending.Run.Id);
        Assert.Contains("has no model named 'churn'", Assert.Single(pending.Problems));
        Assert.Contains("⚠️", pending.ToMarkdown());
    }

    [Fact]
    public async Task Dispatch_StartsTheWorkflowWithModelVersionAndStopAt()
    {
        _github.SetWorkflowFile(Repo, ".github/workflows/promote.yml", "name: promote\non:\n  workflow_dispatch:\n    inputs:\n      model: {required: true}\njobs: {}\n");

        await Reviews.DispatchAsync(Repo, "promote.yml", "main", "churn", "3", stopAt: "staging");

        var dispatch = Assert.Single(_github.GetWorkflowDispatches(Repo));
        Assert.Equal("main", dispatch.Ref);
        Assert.Equal("churn", dispatch.Inputs["model"]);
        Assert.Equal("3", dispatch.Inputs["version"]);
        Assert.Equal("staging", dispatch.Inputs["stop_at"]);
    }
}
