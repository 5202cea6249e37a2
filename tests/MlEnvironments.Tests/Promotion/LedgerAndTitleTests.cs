using MlEnvironments.Promotion;

namespace MlEnvironments.Tests.Promotion;

public class LedgerAndTitleTests
{
    [Fact]
    public void LedgerPayload_RoundTrips()
    {
        var entry = new LedgerEntry
        {
            Kind = PromotionKind.Rollback,
            ModelName = "fraud",
            Version = "1",
            Environment = "prod",
            SourceEnvironment = "staging",
            SourceWorkspace = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/staging",
            TargetWorkspace = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/prod",
            JobName = "job-1",
            Metrics = new Dictionary<string, double> { ["auc"] = 0.91, ["rmse"] = 0.2 },
            ChampionVersion = "2",
            Verdicts = [new PromotionRecordVerdict("auc ≥ 0.85", true, "auc 0.91 ≥ 0.85")],
            GatesSkipped = true,
            WorkflowRunId = 42,
            Approver = "ana",
            Reason = "latency regression",
        };

        var parsed = LedgerEntry_Parse(PromotionLedger.Serialize(entry))!;

        Assert.Equal(PromotionKind.Rollback, parsed.Kind);
        Assert.Equal(("fraud", "1", "staging", "job-1", "2"), (parsed.ModelName, parsed.Version, parsed.SourceEnvironment, parsed.JobName, parsed.ChampionVersion));
        Assert.Equal(entry.Metrics, parsed.Metrics);
        Assert.Equal("auc 0.91 ≥ 0.85", Assert.Single(parsed.Verdicts).Reason);
        Assert.True(parsed.GatesSkipped);
        Assert.Equal(42, parsed.WorkflowRunId);
        Assert.Equal("ana", parsed.Approver);
        Assert.Equal("latency regression", parsed.Reason);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"model\":\"fraud\",\"version\":\"1\"}")]
    [InlineData("{\"mlenv\":\"other/v9\",\"model\":\"fraud\",\"version\":\"1\"}")]
    [InlineData("[1,2]")]
    public void LedgerPayload_FromAnotherTool_IsIgnored(string? payload) => Assert.Null(LedgerEntry_Parse(payload));

    [Theory]
    [InlineData("mlenv promote fraud-detector@12", "fraud-detector", "12")]
    [InlineData("Deploy: mlenv promote churn_model.v2@2024.06.1 to prod", "churn_model.v2", "2024.06.1")]
    public void RunTitle_ParsesModelAndVersion(string title, string model, string version)
    {
        Assert.True(PromotionRunTitle.TryParse(title, out var m, out var v));
        Assert.Equal((model, version), (m, v));
        Assert.True(PromotionRunTitle.TryParse(PromotionRunTitle.Format(model, version), out m, out v));
        Assert.Equal((model, version), (m, v));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Promote workflow")]
    [InlineData("mlenv promote @1")]
    [InlineData("mlenv promote fraud")]
    public void RunTitle_WithoutModel_DoesNotParse(string? title) => Assert.False(PromotionRunTitle.TryParse(title, out _, out _));

    private static LedgerEntry? LedgerEntry_Parse(string? json) => PromotionLedger.Parse(json);
}
