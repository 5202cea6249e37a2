using MlEnvironments;
using MlEnvironments.Promotion;
using NSubstitute;
using static MlEnvironments.MlEnvironment;
using Models = MlEnvironments.MlEnvironmentsModelFactory;

namespace PromotionTests;

/// <summary>
/// The release bot's decisions, with every MlEnvironments interface mocked by NSubstitute and every answer built with
/// <see cref="MlEnvironmentsModelFactory"/>: the tests say what the promoter, the ledger and the review service
/// answer, and check what the bot does with it.
/// </summary>
public sealed class ReleaseBotTests
{
    private const string Subscription = "00000000-0000-0000-0000-000000000001";
    private static readonly WorkspaceId Staging = Workspace(Subscription, "rg-ml", "mlw-staging");
    private static readonly WorkspaceId Prod = Workspace(Subscription, "rg-ml", "mlw-prod");
    private static readonly PromotionGate AucGate = MetricAtLeast("auc", 0.9);
    private static readonly RepositoryDefinition Definition = Repository("octo-org/credit-risk",
        Environment("staging").BindWorkspace(Staging),
        Environment("prod").BindWorkspace(Prod).RequireReviewers(User("ana")).WithGates(AucGate));

    private readonly IModelPromoter _promoter = Substitute.For<IModelPromoter>();
    private readonly IPromotionLedger _ledger = Substitute.For<IPromotionLedger>();
    private readonly IPromotionReviewService _reviews = Substitute.For<IPromotionReviewService>();
    private readonly IReleaseChannel _channel = Substitute.For<IReleaseChannel>();
    private readonly List<string> _posts = [];

    public ReleaseBotTests()
    {
        _channel.PostAsync(Arg.Do<string>(_posts.Add), Arg.Any<CancellationToken>()).Returns(Task.CompletedTask);
    }

    private ReleaseBot Bot => new(_promoter, _ledger, _reviews, _channel);

    [Fact]
    public async Task Promotes_a_version_whose_gates_pass_and_says_what_it_replaced()
    {
        var champion = Models.PromotionRecord(11, "prod", "credit-risk", "6", sourceEnvironment: "staging", approver: "ana");
        _ledger.GetCurrentAsync(Definition.Repository, "prod", "credit-risk", Arg.Any<CancellationToken>()).Returns(champion);
        var evaluation = Evaluation("7", auc: 0.93, champion);
        _promoter.EvaluateAsync(Arg.Is<PromotionRequest>(r => r.Version == "7" && r.TargetEnvironment == "prod"), Arg.Any<CancellationToken>()).Returns(evaluation);
        _promoter.PromoteAsync(Arg.Is<PromotionRequest>(r => r.Version == "7"), Arg.Any<CancellationToken>()).Returns(
            Models.PromotionResult(PromotionOutcome.Promoted, evaluation,
                record: Models.PromotionRecord(12, "prod", "credit-risk", "7", replacedVersion: "6"),
                message: "credit-risk@7 promoted into prod (ledger entry #12)"));

        var decision = await Bot.ReleaseAsync(Definition, "credit-risk", "7", "staging", "prod");

        Assert.Equal(ReleaseDecision.Promoted, decision);
        await _promoter.Received(1).PromoteAsync(Arg.Any<PromotionRequest>(), Arg.Any<CancellationToken>());
        var post = Assert.Single(_posts);
        Assert.Contains("credit-risk@7 promoted into prod (ledger entry #12)", post);
        Assert.Contains("replaces 6", post);
    }

    [Fact]
    public async Task Does_not_promote_when_a_gate_fails_and_posts_the_gate_and_its_numbers()
    {
        _promoter.EvaluateAsync(Arg.Any<PromotionRequest>(), Arg.Any<CancellationToken>()).Returns(Evaluation("8", auc: 0.84));

        var decision = await Bot.ReleaseAsync(Definition, "credit-risk", "8", "staging", "prod");

        Assert.Equal(ReleaseDecision.Blocked, decision);
        await _promoter.DidNotReceive().PromoteAsync(Arg.Any<PromotionRequest>(), Arg.Any<CancellationToken>());
        var post = Assert.Single(_posts);
        Assert.Contains("credit-risk@8 stays out of prod", post);
        Assert.Contains("auc 0.84 < 0.9 required", post);
    }

    [Fact]
    public async Task Reports_a_refusal_when_the_promoter_refuses_after_a_passing_evaluation()
    {
        var evaluation = Evaluation("7", auc: 0.93);
        _promoter.EvaluateAsync(Arg.Any<PromotionRequest>(), Arg.Any<CancellationToken>()).Returns(evaluation);
        _promoter.PromoteAsync(Arg.Any<PromotionRequest>(), Arg.Any<CancellationToken>())
            .Returns(Models.PromotionResult(PromotionOutcome.GatesFailed, evaluation, message: "the champion changed meanwhile"));

        Assert.Equal(ReleaseDecision.Refused, await Bot.ReleaseAsync(Definition, "credit-risk", "7", "staging", "prod"));
        Assert.Contains("the champion changed meanwhile", Assert.Single(_posts));
    }

    [Fact]
    public async Task Leaves_a_version_that_is_already_live_alone()
    {
        _ledger.GetCurrentAsync(Definition.Repository, "prod", "credit-risk", Arg.Any<CancellationToken>())
            .Returns(Models.PromotionRecord(12, "prod", "credit-risk", "7"));

        var decision = await Bot.ReleaseAsync(Definition, "credit-risk", "7", "staging", "prod");

        Assert.Equal(ReleaseDecision.AlreadyLive, decision);
        await _promoter.DidNotReceiveWithAnyArgs().EvaluateAsync(default!, default);
        await _promoter.DidNotReceiveWithAnyArgs().PromoteAsync(default!, default);
        Assert.Equal("credit-risk@7 is already live in prod (ledger entry #12).", Assert.Single(_posts));
    }

    [Fact]
    public async Task Approves_waiting_runs_whose_gates_pass_and_rejects_the_others_with_the_reason()
    {
        var good = Waiting(101, "7", [Evaluation("7", auc: 0.93)]);
        var bad = Waiting(102, "8", [Evaluation("8", auc: 0.81)]);
        var unreadable = Models.PendingPromotion(Models.GitHubWorkflowRun(103, displayTitle: "nightly retrain"),
            [Models.GitHubPendingDeployment(2, "prod")], problems: ["run 103: its title names no model"]);
        _reviews.ListPendingAsync(Definition, Arg.Any<CancellationToken>()).Returns([good, bad, unreadable]);

        var approved = await Bot.ReviewPendingAsync(Definition);

        Assert.Equal(1, approved);
        await _reviews.Received(1).ApproveAsync(Arg.Any<RepositoryId>(), Arg.Any<long>(), Arg.Any<string>(), Arg.Any<IReadOnlyCollection<string>?>(), Arg.Any<CancellationToken>());
        await _reviews.Received(1).ApproveAsync(Definition.Repository, 101, Arg.Is<string>(c => c.Contains("credit-risk@7")), Arg.Any<IReadOnlyCollection<string>?>(), Arg.Any<CancellationToken>());
        await _reviews.Received(1).RejectAsync(Definition.Repository, 102, Arg.Is<string>(c => c.Contains("auc 0.81 < 0.9 required")), Arg.Any<IReadOnlyCollection<string>?>(), Arg.Any<CancellationToken>());
        await _reviews.Received(1).RejectAsync(Definition.Repository, 103, Arg.Is<string>(c => c.Contains("its title names no model")), Arg.Any<IReadOnlyCollection<string>?>(), Arg.Any<CancellationToken>());
    }

    /// <summary>What the promoter would answer for a candidate from staging with this AUC, against prod's one gate.</summary>
    private static PromotionEvaluation Evaluation(string version, double auc, PromotionRecord? champion = null)
    {
        var candidate = Models.ModelCandidate(Staging, "credit-risk", version, jobName: "train-" + version,
            metrics: new Dictionary<string, double> { ["auc"] = auc });
        var passed = auc >= 0.9;
        var verdict = Models.GateVerdict(AucGate, passed, observed: auc, required: 0.9,
            reason: passed ? $"auc {auc} ≥ 0.9" : $"auc {auc} < 0.9 required");
        return Models.PromotionEvaluation("staging", "prod", Prod, candidate, champion, [verdict]);
    }

    private static PendingPromotion Waiting(long runId, string version, IEnumerable<PromotionEvaluation> evaluations) =>
        Models.PendingPromotion(
            Models.GitHubWorkflowRun(runId, displayTitle: PromotionRunTitle.Format("credit-risk", version), actorLogin: "dev-bot"),
            [Models.GitHubPendingDeployment(2, "prod", reviewers: [Models.GitHubReviewer(ReviewerKind.User, 7, "ana")])],
            "credit-risk", version, evaluations);
}
