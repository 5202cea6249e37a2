using MlEnvironments.MachineLearning;
using MlEnvironments.Promotion;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Tests.Promotion;

public class GateEvaluatorTests
{
    private static readonly WorkspaceId Staging = Workspace("00000000-0000-0000-0000-000000000001", "rg", "mlw-staging");

    private static ModelCandidate Candidate(IDictionary<string, double>? metrics = null, IDictionary<string, string>? tags = null, IDictionary<string, string>? properties = null, string? job = "job-7") =>
        new(Staging, "fraud", "2", job,
            new Dictionary<string, double>(metrics ?? new Dictionary<string, double>()),
            new Dictionary<string, string>(tags ?? new Dictionary<string, string>()),
            new Dictionary<string, string>(properties ?? new Dictionary<string, string>()));

    private static PromotionRecord Champion(string version, IDictionary<string, double> metrics) =>
        new(11, "prod", PromotionKind.Promotion, PromotionState.Succeeded, "fraud", version, "staging", Staging.ResourceId, null, "job-1",
            new Dictionary<string, double>(metrics), [], false, null, null, null, "bot", DateTimeOffset.UnixEpoch, null);

    [Fact]
    public void MetricAtLeast_ReportsShortfallAndTheBoundThatWouldPass()
    {
        var verdict = GateEvaluator.Evaluate(MetricAtLeast("auc", 0.9), Candidate(new Dictionary<string, double> { ["auc"] = 0.87 }), null, null);

        Assert.False(verdict.Passed);
        Assert.Equal(0.87, verdict.Observed);
        Assert.Equal(0.9, verdict.Required);
        Assert.Equal("auc 0.87 < 0.9 required (short by 0.03)", verdict.Reason);
    }

    [Theory]
    [InlineData(0.3, true)]
    [InlineData(0.2999, true)]
    [InlineData(0.31, false)]
    public void MetricAtMost_PassesAtOrBelowTheThreshold(double rmse, bool passes)
    {
        var verdict = GateEvaluator.Evaluate(MetricAtMost("rmse", 0.3), Candidate(new Dictionary<string, double> { ["rmse"] = rmse }), null, null);

        Assert.Equal(passes, verdict.Passed);
    }

    [Fact]
    public void MissingMetric_FailsAndListsWhatTheRunLogged()
    {
        var verdict = GateEvaluator.Evaluate(MetricAtLeast("f1", 0.5), Candidate(new Dictionary<string, double> { ["auc"] = 0.9, ["loss"] = 0.1 }), null, null);

        Assert.False(verdict.Passed);
        Assert.Contains("metric 'f1' was never logged by run 'job-7' (it logged: auc, loss)", verdict.Reason);
    }

    [Fact]
    public void Champion_WithoutChampion_Passes()
    {
        var verdict = GateEvaluator.Evaluate(ImprovesOnChampion("auc", minAbsoluteChange: 0.01), Candidate(new Dictionary<string, double> { ["auc"] = 0.8 }), null, null);

        Assert.True(verdict.Passed);
        Assert.Contains("no champion yet", verdict.Reason);
    }

    [Fact]
    public void Champion_AbsoluteMargin_FailsWithBothNumbersAndWhatWouldPass()
    {
        var gate = ImprovesOnChampion("auc", MetricDirection.HigherIsBetter, minAbsoluteChange: 0.02);
        var verdict = GateEvaluator.Evaluate(gate, Candidate(new Dictionary<string, double> { ["auc"] = 0.91 }), Champion("1", new Dictionary<string, double> { ["auc"] = 0.9 }), null);

        Assert.False(verdict.Passed);
        Assert.Equal(0.91, verdict.Observed);
        Assert.Equal(0.9, verdict.ChampionValue);
        Assert.Equal(0.92, verdict.Required!.Value, 10);
        Assert.Equal("auc 0.91 vs champion fraud@1 0.9 (+0.01, +1.1111 %); needs ≥ 0.92 (higher is better, by ≥ 0.02)", verdict.Reason);
    }

    [Fact]
    public void Champion_RelativeMargin_UsesTheLargerOfBothMinimums()
    {
        var gate = ImprovesOnChampion("auc", MetricDirection.HigherIsBetter, minAbsoluteChange: 0.001, minRelativeChange: 0.05);
        var champion = Champion("1", new Dictionary<string, double> { ["auc"] = 0.8 });

        Assert.False(GateEvaluator.Evaluate(gate, Candidate(new Dictionary<string, double> { ["auc"] = 0.83 }), champion, null).Passed);
        Assert.True(GateEvaluator.Evaluate(gate, Candidate(new Dictionary<string, double> { ["auc"] = 0.84 }), champion, null).Passed);
    }

    [Fact]
    public void Champion_LowerIsBetter_RequiresASmallerValue()
    {
        var gate = ImprovesOnChampion("rmse", MetricDirection.LowerIsBetter, minAbsoluteChange: 0.01);
        var champion = Champion("1", new Dictionary<string, double> { ["rmse"] = 0.3 });

        var worse = GateEvaluator.Evaluate(gate, Candidate(new Dictionary<string, double> { ["rmse"] = 0.295 }), champion, null);
        var better = GateEvaluator.Evaluate(gate, Candidate(new Dictionary<string, double> { ["rmse"] = 0.28 }), champion, null);

        Assert.False(worse.Passed);
        Assert.Contains("needs ≤ 0.29", worse.Reason);
        Assert.True(better.Passed);
    }

    [Fact]
    public void Champion_ZeroMinimums_AcceptsAnEqualValue()
    {
        var verdict = GateEvaluator.Evaluate(ImprovesOnChampion("auc"), Candidate(new Dictionary<string, double> { ["auc"] = 0.9 }), Champion("1", new Dictionary<string, double> { ["auc"] = 0.9 }), null);

        Assert.True(verdict.Passed);
    }

    [Fact]
    public void RequiredTagAndProperty_CheckPresenceAndValue()
    {
        var candidate = Candidate(tags: new Dictionary<string, string> { ["validated"] = "false" }, properties: new Dictionary<string, string> { ["framework"] = "sklearn" });

        Assert.False(GateEvaluator.Evaluate(RequiredTag("validated", "true"), candidate, null, null).Passed);
        Assert.Equal("tag 'validated' is 'false', needs 'true'", GateEvaluator.Evaluate(RequiredTag("validated", "true"), candidate, null, null).Reason);
        Assert.True(GateEvaluator.Evaluate(RequiredTag("validated"), candidate, null, null).Passed);
        Assert.True(GateEvaluator.Evaluate(RequiredProperty("framework", "sklearn"), candidate, null, null).Passed);
        Assert.Equal("fraud@2 has no property 'owner'", GateEvaluator.Evaluate(RequiredProperty("owner"), candidate, null, null).Reason);
    }

    [Fact]
    public void TrainingJobCompleted_NeedsACompletedJob()
    {
        var gate = TrainingJobCompleted();

        Assert.True(GateEvaluator.Evaluate(gate, Candidate(), null, MachineLearningJobStatus.Completed).Passed);
        Assert.Equal("job 'job-7' is Failed, needs Completed", GateEvaluator.Evaluate(gate, Candidate(), null, MachineLearningJobStatus.Failed).Reason);
        Assert.Contains("was not found", GateEvaluator.Evaluate(gate, Candidate(), null, null).Reason);
        Assert.Equal("fraud@2 names no training job", GateEvaluator.Evaluate(gate, Candidate(job: null), null, null).Reason);
    }
}
