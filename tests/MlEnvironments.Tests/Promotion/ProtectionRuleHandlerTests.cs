using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MlEnvironments.GitHub;
using MlEnvironments.Promotion;
using NSubstitute;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Tests.Promotion;

public class ProtectionRuleHandlerTests
{
    private const string Secret = "webhook-secret-value";
    private static readonly RepositoryId Repo = RepositoryId.Parse("octo/fraud");
    private static readonly WorkspaceId Staging = Workspace("00000000-0000-0000-0000-000000000001", "rg", "mlw-staging");
    private static readonly WorkspaceId Prod = Workspace("00000000-0000-0000-0000-000000000001", "rg", "mlw-prod");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
    private readonly IModelPromoter _promoter = Substitute.For<IModelPromoter>();
    private readonly IGitHubCustomGateReviewer _reviewer = Substitute.For<IGitHubCustomGateReviewer>();
    private readonly IGitHubWorkflowRunReader _runs = Substitute.For<IGitHubWorkflowRunReader>();

    private static RepositoryDefinition Definition => Repository(Repo,
        Environment("staging").BindWorkspace(Staging),
        Environment("prod").BindWorkspace(Prod).WithGates(MetricAtLeast("auc", 0.9)));

    private DeploymentProtectionRuleHandler Handler(TimeSpan? maxAge = null) => new(
        _promoter,
        _reviewer,
        new DefaultSecretValueResolver(),
        Options.Create(new DeploymentProtectionRuleOptions
        {
            WebhookSecret = SecretValue.FromValue(Secret),
            Definitions = Repositories(Definition),
            MaxDeliveryAge = maxAge ?? TimeSpan.FromMinutes(10),
        }),
        _runs,
        _time);

    private byte[] Body(string environment = "prod", DateTimeOffset? createdAt = null, string payload = "\"\"", string action = "requested", bool withDeployment = true) => !withDeployment
        ? Encoding.UTF8.GetBytes("""{"action":"requested","environment":"prod","deployment_callback_url":"https://api.github.com/repos/octo/fraud/actions/runs/4242/deployment_protection_rule","deployment":null,"repository":{"full_name":"octo/fraud"}}""") : Encoding.UTF8.GetBytes($$$"""
        {"action":"{{{action}}}","environment":"{{{environment}}}","event":"workflow_dispatch","ref":"refs/heads/main","sha":"abc",
         "deployment_callback_url":"https://api.github.com/repos/octo/fraud/actions/runs/4242/deployment_protection_rule",
         "deployment":{"id":9,"created_at":"{{{(createdAt ?? _time.GetUtcNow()).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)}}}","payload":{{{payload}}}},
         "repository":{"full_name":"octo/fraud"},"installation":{"id":5}}
        """);

    private static WebhookDelivery Signed(byte[] body, string id = "d-1", string secret = Secret) =>
        new("deployment_protection_rule", id, WebhookDelivery.Sign(body, secret), body);

    private void Evaluates(bool passes)
    {
        var candidate = new ModelCandidate(Staging, "fraud", "2", "job-2", new Dictionary<string, double> { ["auc"] = passes ? 0.93 : 0.87 }, new Dictionary<string, string>(), new Dictionary<string, string>());
        var verdict = GateEvaluator.Evaluate(MetricAtLeast("auc", 0.9), candidate, null, null);
        _promoter.EvaluateAsync(Arg.Any<PromotionRequest>(), Arg.Any<CancellationToken>())
            .Returns(new PromotionEvaluation("staging", "prod", Prod, candidate, null, [verdict], false));
    }

    [Fact]
    public async Task BadSignature_Is401_AndGitHubIsNotCalled()
    {
        var body = Body();
        var decision = await Handler().HandleAsync(Signed(body, secret: "wrong-secret"));

        Assert.Equal(ProtectionRuleDecisionKind.Unauthorized, decision.Kind);
        Assert.Equal(401, decision.StatusCode);
        Assert.Contains("Bad signature", decision.Message);
        Assert.DoesNotContain(Secret, decision.Message);
        await _reviewer.DidNotReceiveWithAnyArgs().ReviewCustomGateAsync(default, default, default!, default, default, default);
        await _promoter.DidNotReceiveWithAnyArgs().EvaluateAsync(default!, default);
    }

    [Fact]
    public async Task TamperedBody_Is401()
    {
        var body = Body();
        var delivery = Signed(body);
        var tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("\"prod\"", "\"staging\""));

        var decision = await Handler().HandleAsync(new WebhookDelivery(delivery.EventName, delivery.DeliveryId, delivery.Signature256, tampered));

        Assert.Equal(401, decision.StatusCode);
        await _reviewer.DidNotReceiveWithAnyArgs().ReviewCustomGateAsync(default, default, default!, default, default, default);
    }

    [Fact]
    public async Task UnsignedDelivery_Is401()
    {
        var decision = await Handler().HandleAsync(new WebhookDelivery("deployment_protection_rule", "d-1", null, Body()));

        Assert.Equal(401, decision.StatusCode);
        Assert.Contains("Unsigned", decision.Message);
    }

    [Fact]
    public async Task StaleDeployment_Is401_AndGitHubIsNotCalled()
    {
        var decision = await Handler().HandleAsync(Signed(Body(createdAt: _time.GetUtcNow().AddMinutes(-11))));

        Assert.Equal(401, decision.StatusCode);
        Assert.Contains("Stale", decision.Message);
        await _reviewer.DidNotReceiveWithAnyArgs().ReviewCustomGateAsync(default, default, default!, default, default, default);
    }

    [Fact]
    public async Task ReplayedDelivery_Is401()
    {
        Evaluates(passes: true);
        var handler = Handler();
        var body = Body(payload: """{"model":"fraud","version":"2"}""");

        var first = await handler.HandleAsync(Signed(body));
        var second = await handler.HandleAsync(Signed(body));

        Assert.Equal(ProtectionRuleDecisionKind.Approved, first.Kind);
        Assert.Equal(ProtectionRuleDecisionKind.Unauthorized, second.Kind);
        Assert.Contains("Replayed", second.Message);
        await _reviewer.ReceivedWithAnyArgs(1).ReviewCustomGateAsync(default, default, default!, default, default, default);
    }

    [Fact]
    public async Task OtherEvent_IsIgnored()
    {
        var body = Body();
        var decision = await Handler().HandleAsync(new WebhookDelivery("push", "d-1", WebhookDelivery.Sign(body, Secret), body));

        Assert.Equal(202, decision.StatusCode);
    }

    [Fact]
    public async Task FailingCandidate_IsRejectedWithTheNumbers()
    {
        Evaluates(passes: false);
        _runs.GetWorkflowRunAsync(Repo, 4242, Arg.Any<CancellationToken>())
            .Returns(MlEnvironmentsModelFactory.GitHubWorkflowRun(4242, displayTitle: "mlenv promote fraud@2"));

        var decision = await Handler().HandleAsync(Signed(Body()));

        Assert.Equal(ProtectionRuleDecisionKind.Rejected, decision.Kind);
        Assert.Equal(200, decision.StatusCode);
        await _promoter.Received(1).EvaluateAsync(
            Arg.Is<PromotionRequest>(r => r.ModelName == "fraud" && r.Version == "2" && r.SourceEnvironment == "staging" && r.TargetEnvironment == "prod" && r.WorkflowRunId == 4242),
            Arg.Any<CancellationToken>());
        await _reviewer.Received(1).ReviewCustomGateAsync(Repo, 4242, "prod", GitHubReviewState.Rejected,
            Arg.Is<string>(c => c.Contains("auc 0.87 < 0.9 required (short by 0.03)")), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task UnidentifiableModel_IsRejected_FailingClosed()
    {
        _runs.GetWorkflowRunAsync(Repo, 4242, Arg.Any<CancellationToken>())
            .Returns(MlEnvironmentsModelFactory.GitHubWorkflowRun(4242, displayTitle: "Deploy"));

        var decision = await Handler().HandleAsync(Signed(Body()));

        Assert.Equal(ProtectionRuleDecisionKind.Rejected, decision.Kind);
        Assert.Contains("Cannot tell which model", decision.Message);
        await _reviewer.Received(1).ReviewCustomGateAsync(Repo, 4242, "prod", GitHubReviewState.Rejected, Arg.Any<string>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task UndeclaredEnvironment_IsRejected()
    {
        var decision = await Handler().HandleAsync(Signed(Body(environment: "prdo")));

        Assert.Equal(ProtectionRuleDecisionKind.Rejected, decision.Kind);
        Assert.Contains("'prdo' is not declared", decision.Message);
    }

    [Fact]
    public async Task MalformedSignedBody_Is400_AndGitHubIsNotCalled()
    {
        var body = Encoding.UTF8.GetBytes("{\"action\":\"requested\"}");

        var decision = await Handler().HandleAsync(Signed(body));

        Assert.Equal(400, decision.StatusCode);
        await _reviewer.DidNotReceiveWithAnyArgs().ReviewCustomGateAsync(default, default, default!, default, default, default);
    }

    [Fact]
    public async Task GitHubRefusingTheAnswer_IsAFailure_AndTheDeliveryCanBeRetried()
    {
        Evaluates(passes: true);
        _reviewer.ReviewCustomGateAsync(default, default, default!, default, default, default)
            .ReturnsForAnyArgs(Task.FromException(new RemoteServiceException("GitHub", "actions/review-custom-gates-for-run", 422, "Unprocessable")), Task.CompletedTask);
        var handler = Handler();
        var body = Body(payload: """{"model":"fraud","version":"2"}""");

        var first = await handler.HandleAsync(Signed(body));
        var retry = await handler.HandleAsync(Signed(body));

        Assert.Equal(ProtectionRuleDecisionKind.Failed, first.Kind);
        Assert.Equal(500, first.StatusCode);
        Assert.Equal(ProtectionRuleDecisionKind.Approved, retry.Kind);
    }

    [Fact]
    public async Task DeliveryWithoutDeployment_IsRefusedAsStale()
    {
        var decision = await Handler().HandleAsync(Signed(Body(withDeployment: false)));

        Assert.Equal(401, decision.StatusCode);
        Assert.Contains("no deployment.created_at", decision.Message);
        await _reviewer.DidNotReceiveWithAnyArgs().ReviewCustomGateAsync(default, default, default!, default, default, default);
    }

    [Fact]
    public async Task ReplayedBody_WithANewDeliveryId_IsStillAReplay()
    {
        Evaluates(passes: true);
        var handler = Handler();
        var body = Body(payload: """{"model":"fraud","version":"2"}""");

        await handler.HandleAsync(Signed(body, id: "d-1"));
        var replay = await handler.HandleAsync(Signed(body, id: "forged-new-id"));

        Assert.Equal(ProtectionRuleDecisionKind.Unauthorized, replay.Kind);
        await _reviewer.ReceivedWithAnyArgs(1).ReviewCustomGateAsync(default, default, default!, default, default, default);
    }

    [Fact]
    public async Task AlreadyPromotedVersion_IsApproved_SoThatARerunPasses()
    {
        var candidate = new ModelCandidate(Staging, "fraud", "2", "job-2", new Dictionary<string, double> { ["auc"] = 0.93 }, new Dictionary<string, string>(), new Dictionary<string, string>());
        var champion = new PromotionRecord(5, "prod", PromotionKind.Promotion, PromotionState.Succeeded, "fraud", "2", "staging", Staging.ResourceId, Prod.ResourceId, "job-2",
            new Dictionary<string, double> { ["auc"] = 0.93 }, [], false, null, null, null, null, DateTimeOffset.UnixEpoch, null);
        var verdict = GateEvaluator.Evaluate(ImprovesOnChampion("auc", minAbsoluteChange: 0.01), candidate, champion, null);
        _promoter.EvaluateAsync(Arg.Any<PromotionRequest>(), Arg.Any<CancellationToken>())
            .Returns(new PromotionEvaluation("staging", "prod", Prod, candidate, champion, [verdict], alreadyPromoted: true));

        var decision = await Handler().HandleAsync(Signed(Body(payload: """{"model":"fraud","version":"2"}""")));

        Assert.False(verdict.Passed);
        Assert.Equal(ProtectionRuleDecisionKind.Approved, decision.Kind);
        await _reviewer.Received(1).ReviewCustomGateAsync(Repo, 4242, "prod", GitHubReviewState.Approved, Arg.Is<string>(c => c.Contains("already the current version")), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task EvaluationFailure_IsRejected_FailingClosed_SoTheRunDoesNotWaitForever()
    {
        _promoter.EvaluateAsync(Arg.Any<PromotionRequest>(), Arg.Any<CancellationToken>())
            .Returns(Task.FromException<PromotionEvaluation>(new RemoteServiceException("Azure", "ModelVersions_Get", 503, "Service unavailable")));

        var decision = await Handler().HandleAsync(Signed(Body(payload: """{"model":"fraud","version":"2"}""")));

        Assert.Equal(ProtectionRuleDecisionKind.Rejected, decision.Kind);
        await _reviewer.Received(1).ReviewCustomGateAsync(Repo, 4242, "prod", GitHubReviewState.Rejected, Arg.Is<string>(c => c.Contains("re-run the job")), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task CancelledDecision_LeavesTheBodyFreeForARedelivery()
    {
        Evaluates(passes: true);
        var handler = Handler();
        var body = Body(payload: """{"model":"fraud","version":"2"}""");
        _reviewer.ReviewCustomGateAsync(default, default, default!, default, default, default)
            .ReturnsForAnyArgs(Task.FromCanceled(new CancellationToken(canceled: true)), Task.CompletedTask);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => handler.HandleAsync(Signed(body, id: "d-1")));
        var redelivery = await handler.HandleAsync(Signed(body, id: "d-2"));

        Assert.Equal(ProtectionRuleDecisionKind.Approved, redelivery.Kind);
    }

    [Fact]
    public async Task VerifyAsync_ChecksWithoutDecidingOrClaiming()
    {
        Evaluates(passes: true);
        var handler = Handler();
        var body = Body(payload: """{"model":"fraud","version":"2"}""");

        Assert.Equal(401, (await handler.VerifyAsync(Signed(body, secret: "nope")))!.StatusCode);
        Assert.Null(await handler.VerifyAsync(Signed(body)));
        Assert.Null(await handler.VerifyAsync(Signed(body)));
        await _promoter.DidNotReceiveWithAnyArgs().EvaluateAsync(default!, default);
        Assert.Equal(ProtectionRuleDecisionKind.Approved, (await handler.HandleAsync(Signed(body))).Kind);
    }

    [Fact]
    public async Task EnvironmentWithoutGates_IsRejected()
    {
        var candidate = new ModelCandidate(Staging, "fraud", "2", null, new Dictionary<string, double>(), new Dictionary<string, string>(), new Dictionary<string, string>());
        _promoter.EvaluateAsync(Arg.Any<PromotionRequest>(), Arg.Any<CancellationToken>())
            .Returns(new PromotionEvaluation("staging", "prod", Prod, candidate, null, [], false));

        var decision = await Handler().HandleAsync(Signed(Body(payload: """{"model":"fraud","version":"2"}""")));

        Assert.Equal(ProtectionRuleDecisionKind.Rejected, decision.Kind);
        Assert.Contains("declares no gates", decision.Message);
    }
}
