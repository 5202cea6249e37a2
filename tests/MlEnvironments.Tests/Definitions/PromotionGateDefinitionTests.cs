using MlEnvironments.MachineLearning;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Tests.Definitions;

/// <summary>
/// Promotion gates, protection-rule Apps and registry sharing in definitions: the factories, immutability,
/// equality, text, and validation that reports every violation at once.
/// </summary>
public class PromotionGateDefinitionTests
{
    private const string Subscription = "00000000-0000-0000-0000-000000000001";

    private static readonly MachineLearningRegistryId Registry = MachineLearningRegistryId.Create(Subscription, "rg-shared", "mlreg-shared");

    private static EnvironmentDefinition Bound() => Environment("prod").BindWorkspace(Workspace(Subscription, "rg-ml", "mlw-prod"));

    [Fact]
    public void Factories_SetTheKindAndOnlyTheirOwnFields()
    {
        var atLeast = MetricAtLeast("auc", 0.85);
        var atMost = MetricAtMost("rmse", 0.3);
        var champion = ImprovesOnChampion("rmse", MetricDirection.LowerIsBetter, 0.01, 0.05);
        var tag = RequiredTag("approved");
        var tagValue = RequiredTag("stage", "prod");
        var property = RequiredProperty("framework", "lightgbm");
        var job = TrainingJobCompleted();

        Assert.Equal((PromotionGateKind.MetricAtLeast, "auc", 0.85, (string?)null, (string?)null), (atLeast.Kind, atLeast.Metric, atLeast.Threshold, atLeast.Key, atLeast.Value));
        Assert.Equal((PromotionGateKind.MetricAtMost, "rmse", 0.3), (atMost.Kind, atMost.Metric, atMost.Threshold));
        Assert.Equal(
            (PromotionGateKind.ImprovesOnChampion, "rmse", MetricDirection.LowerIsBetter, 0.01, 0.05, 0d),
            (champion.Kind, champion.Metric, champion.Direction, champion.MinAbsoluteChange, champion.MinRelativeChange, champion.Threshold));
        Assert.Equal((PromotionGateKind.RequiredTag, "approved", (string?)null, (string?)null), (tag.Kind, tag.Key, tag.Value, tag.Metric));
        Assert.Equal((PromotionGateKind.RequiredTag, "stage", "prod"), (tagValue.Kind, tagValue.Key, tagValue.Value));
        Assert.Equal((PromotionGateKind.RequiredProperty, "framework", "lightgbm"), (property.Kind, property.Key, property.Value));
        Assert.Equal((PromotionGateKind.TrainingJobCompleted, (string?)null, (string?)null), (job.Kind, job.Metric, job.Key));
        Assert.Equal(MetricDirection.HigherIsBetter, ImprovesOnChampion("auc").Direction);
        Assert.Equal((0d, 0d), (ImprovesOnChampion("auc").MinAbsoluteChange, ImprovesOnChampion("auc").MinRelativeChange));
    }

    [Fact]
    public void Factories_RefuseNullNames()
    {
        Assert.Throws<ArgumentNullException>(() => MetricAtLeast(null!, 1));
        Assert.Throws<ArgumentNullException>(() => MetricAtMost(null!, 1));
        Assert.Throws<ArgumentNullException>(() => ImprovesOnChampion(null!));
        Assert.Throws<ArgumentNullException>(() => RequiredTag(null!));
        Assert.Throws<ArgumentNullException>(() => RequiredProperty(null!));
        Assert.Throws<ArgumentNullException>(() => Environment("prod").WithGates(null!));
        Assert.Throws<ArgumentNullException>(() => Environment("prod").WithGates(MetricAtLeast("auc", 1), null!));
    }

    [Theory]
    [InlineData("atLeast", "auc ≥ 0.85")]
    [InlineData("atMost", "rmse ≤ 0.3")]
    [InlineData("champion", "rmse improves on the champion (lower is better, by ≥ 0.01, by ≥ 5 %)")]
    [InlineData("championPlain", "auc improves on the champion (higher is better)")]
    [InlineData("tag", "tag 'approved' present")]
    [InlineData("tagValue", "tag 'stage' = 'prod'")]
    [InlineData("property", "property 'framework' present")]
    [InlineData("propertyValue", "property 'framework' = 'lightgbm'")]
    [InlineData("job", "training job completed")]
    public void ToString_DescribesTheGate(string which, string expected)
    {
        var gate = which switch
        {
            "atLeast" => MetricAtLeast("auc", 0.85),
            "atMost" => MetricAtMost("rmse", 0.3),
            "champion" => ImprovesOnChampion("rmse", MetricDirection.LowerIsBetter, 0.01, 0.05),
            "championPlain" => ImprovesOnChampion("auc"),
            "tag" => RequiredTag("approved"),
            "tagValue" => RequiredTag("stage", "prod"),
            "property" => RequiredProperty("framework"),
            "propertyValue" => RequiredProperty("framework", "lightgbm"),
            _ => TrainingJobCompleted(),
        };

        Assert.Equal(expected, gate.ToString());
    }

    [Fact]
    public void ToString_IsCultureInvariant()
    {
        var previous = System.Globalization.CultureInfo.CurrentCulture;
        System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            Assert.Equal("auc ≥ 0.85", MetricAtLeast("auc", 0.85).ToString());
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void EnvironmentToString_ListsGatesAndProtectionRuleApps()
    {
        var text = Environment("prod").WithGates(MetricAtLeast("auc", 0.85), TrainingJobCompleted()).RequireProtectionRule(42).ToString();

        Assert.Contains("gates: auc ≥ 0.85, training job completed", text, StringComparison.Ordinal);
        Assert.Contains("protection rule apps: 42", text, StringComparison.Ordinal);
        Assert.Contains("registry: mlreg-shared", Bound().ShareThroughRegistry(Registry).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Gates_AreEqualByValue_WithEqualHashes()
    {
        PromotionGate[] first = [MetricAtLeast("auc", 0.85), MetricAtMost("rmse", 0.3), ImprovesOnChampion("auc", MetricDirection.HigherIsBetter, 0.01, 0.02), RequiredTag("stage", "prod"), RequiredProperty("k"), TrainingJobCompleted()];
        PromotionGate[] second = [MetricAtLeast("auc", 0.85), MetricAtMost("rmse", 0.3), ImprovesOnChampion("auc", MetricDirection.HigherIsBetter, 0.01, 0.02), RequiredTag("stage", "prod"), RequiredProperty("k"), TrainingJobCompleted()];

        for (var i = 0; i < first.Length; i++)
        {
            Assert.NotSame(first[i], second[i]);
            Assert.Equal(first[i], second[i]);
            Assert.True(first[i].Equals((object)second[i]));
            Assert.Equal(first[i].GetHashCode(), second[i].GetHashCode());
        }

        Assert.Equal(MetricAtMost("x", double.NaN), MetricAtMost("x", double.NaN));
    }

    [Fact]
    public void Gates_ThatDifferInAnyField_AreNotEqual()
    {
        var reference = ImprovesOnChampion("auc", MetricDirection.HigherIsBetter, 0.01, 0.02);
        PromotionGate[] others =
        [
            ImprovesOnChampion("AUC", MetricDirection.HigherIsBetter, 0.01, 0.02),
            ImprovesOnChampion("auc", MetricDirection.LowerIsBetter, 0.01, 0.02),
            ImprovesOnChampion("auc", MetricDirection.HigherIsBetter, 0.02, 0.02),
            ImprovesOnChampion("auc", MetricDirection.HigherIsBetter, 0.01, 0.03),
        ];

        Assert.All(others, o => Assert.NotEqual(reference, o));
        Assert.NotEqual(MetricAtLeast("auc", 0.85), MetricAtMost("auc", 0.85));
        Assert.NotEqual(MetricAtLeast("auc", 0.85), MetricAtLeast("auc", 0.86));
        Assert.NotEqual(RequiredTag("stage"), RequiredTag("stage", "prod"));
        Assert.NotEqual(RequiredTag("stage", "prod"), RequiredProperty("stage", "prod"));
        Assert.NotEqual(RequiredTag("stage", "prod"), RequiredTag("stage", "Prod"));
        Assert.False(MetricAtLeast("auc", 0.85).Equals(null));
        Assert.False(MetricAtLeast("auc", 0.85).Equals("auc ≥ 0.85"));
    }

    [Fact]
    public void Definitions_CompareGatesRulesAndRegistry()
    {
        EnvironmentDefinition Build() => Bound().WithGates(MetricAtLeast("auc", 0.85), RequiredTag("approved")).RequireProtectionRule(42).ShareThroughRegistry(Registry);

        Assert.Equal(Build(), Build());
        Assert.Equal(Build().GetHashCode(), Build().GetHashCode());
        Assert.NotEqual(Build(), Build().WithoutGates());
        Assert.NotEqual(Build(), Build().WithGates(TrainingJobCompleted()));
        Assert.NotEqual(Build(), Build().WithoutProtectionRule(42));
        Assert.NotEqual(Build(), Build().RequireProtectionRule(43));
        Assert.NotEqual(Build(), Build().ShareThroughRegistry(MachineLearningRegistryId.Create(Subscription, "rg-shared", "mlreg-other")));
        Assert.NotEqual(Build(), Bound().WithGates(MetricAtLeast("auc", 0.85), RequiredTag("approved")).RequireProtectionRule(42));
    }

    [Fact]
    public void WithGates_ReturnsANewDefinition_AndLeavesTheOriginalUnchanged()
    {
        var original = Environment("prod").WithVariable("MODEL", "credit");
        var copy = Environment("prod").WithVariable("MODEL", "credit");

        var gated = original.WithGates(MetricAtLeast("auc", 0.85)).WithGates(RequiredTag("approved"), MetricAtLeast("auc", 0.85));

        Assert.NotSame(original, gated);
        Assert.Empty(original.Gates);
        Assert.Equal(copy, original);
        Assert.Equal<PromotionGate>([MetricAtLeast("auc", 0.85), RequiredTag("approved")], gated.Gates);
        Assert.Equal(original.Variables, gated.Variables);

        var ungated = gated.WithoutGates();
        Assert.Empty(ungated.Gates);
        Assert.Equal(2, gated.Gates.Length);
        Assert.Equal(original, ungated);
    }

    [Fact]
    public void NoOpChanges_ReturnTheSameInstance()
    {
        var gated = Environment("prod").WithGates(MetricAtLeast("auc", 0.85)).RequireProtectionRule(42);
        var bound = Bound().ShareThroughRegistry(Registry);

        Assert.Same(gated, gated.WithGates());
        Assert.Same(gated, gated.WithGates(MetricAtLeast("auc", 0.85)));
        Assert.Same(gated, gated.RequireProtectionRule(42));
        Assert.Same(gated, gated.WithoutProtectionRule(7));
        var plain = Environment("dev");
        Assert.Same(plain, plain.WithoutGates());
        Assert.Same(bound, bound.ShareThroughRegistry(MachineLearningRegistryId.Parse(Registry.ResourceId.ToUpperInvariant())));
    }

    [Fact]
    public void ProtectionRules_AddAndRemove_WithoutTouchingTheOriginal()
    {
        var original = Environment("prod").RequireProtectionRule(42);

        var more = original.RequireProtectionRule(7);
        var fewer = more.WithoutProtectionRule(42);

        Assert.Equal<long>([42L], original.ProtectionRuleAppIds);
        Assert.Equal<long>([42L, 7L], more.ProtectionRuleAppIds);
        Assert.Equal<long>([7L], fewer.ProtectionRuleAppIds);
        Assert.Equal(Environment("prod").RequireProtectionRule(42), original);
    }

    [Fact]
    public void ShareThroughRegistry_NeedsAWorkspace_AndKeepsTheLogin()
    {
        var unbound = Environment("prod");
        var error = Assert.Throws<InvalidOperationException>(() => unbound.ShareThroughRegistry(Registry));
        Assert.Contains("BindWorkspace", error.Message, StringComparison.Ordinal);
        Assert.Null(unbound.Binding);

        var login = Bound().UseOidcLogin(ManagedIdentity(Subscription, "rg-ml", "id-prod"));
        var shared = login.ShareThroughRegistry(Registry);

        Assert.Null(login.Binding!.Registry);
        Assert.Equal(Registry, shared.Binding!.Registry);
        Assert.Equal(login.Binding.Login, shared.Binding.Login);
        Assert.Equal(Registry, shared.UseOidcLogin(ManagedIdentity(Subscription, "rg-ml", "id-other")).Binding!.Registry);
    }

    [Fact]
    public void Validation_ReportsEveryGateAndRuleViolationAtOnce_WithPathAndRule()
    {
        var environment = Environment("prod")
            .WithGates(
                MetricAtLeast("", 0.8),
                MetricAtMost("rmse", double.NaN),
                MetricAtLeast("loss", double.PositiveInfinity),
                ImprovesOnChampion("auc", minRelativeChange: -0.05),
                ImprovesOnChampion("f1", minAbsoluteChange: double.NegativeInfinity),
                RequiredTag(""),
                RequiredProperty(" ", "x"),
                MetricAtLeast("auc", 0.9),
                MetricAtMost("auc", 0.8))
            .RequireProtectionRule(0)
            .RequireProtectionRule(-3)
            .RequireProtectionRule(11).RequireProtectionRule(12).RequireProtectionRule(13).RequireProtectionRule(14).RequireProtectionRule(15);

        var result = Repository("octo-org/credit-risk", environment).Validate();

        Assert.Equal(
            [
                ("environments[prod].gates[0].metric", ValidationRules.GateMetricRequired),
                ("environments[prod].gates[1].threshold", ValidationRules.GateValueFinite),
                ("environments[prod].gates[2].threshold", ValidationRules.GateValueFinite),
                ("environments[prod].gates[3].minRelativeChange", ValidationRules.GateChangeNegative),
                ("environments[prod].gates[4].minAbsoluteChange", ValidationRules.GateValueFinite),
                ("environments[prod].gates[5].key", ValidationRules.GateKeyRequired),
                ("environments[prod].gates[6].key", ValidationRules.GateKeyRequired),
                ("environments[prod].gates[8]", ValidationRules.GateContradiction),
                ("environments[prod].protectionRules[0]", ValidationRules.ProtectionRuleAppId),
                ("environments[prod].protectionRules[1]", ValidationRules.ProtectionRuleAppId),
                ("environments[prod].protectionRules", ValidationRules.ProtectionRulesLimit),
            ],
            result.Errors.Select(e => (e.Path, e.Rule)));
        Assert.Equal(["NaN", "Infinity", "-0.05", "-Infinity"], result.Errors.Where(e => e.Rule is ValidationRules.GateValueFinite or ValidationRules.GateChangeNegative).Select(e => e.OffendingValue));
        Assert.All(result.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
        var thrown = Assert.Throws<ValidationFailedException>(result.ThrowIfInvalid);
        Assert.Equal(11, thrown.Result.Errors.Length);
        Assert.Equal(result.Errors.Length, environment.Validate().Errors.Length);
    }

    [Fact]
    public void Validation_AcceptsSoundGatesAndRules()
    {
        var environment = Bound()
            .WithGates(
                MetricAtLeast("auc", 0.8),
                MetricAtMost("auc", 0.8),
                MetricAtLeast("accuracy", -1),
                ImprovesOnChampion("rmse", MetricDirection.LowerIsBetter),
                ImprovesOnChampion("auc", MetricDirection.HigherIsBetter, 0.01, 0.05),
                RequiredTag("approved"),
                RequiredProperty("framework", ""),
                TrainingJobCompleted())
            .RequireProtectionRule(1).RequireProtectionRule(2).RequireProtectionRule(3).RequireProtectionRule(4).RequireProtectionRule(5).RequireProtectionRule(6)
            .ShareThroughRegistry(Registry);

        var result = Repository("octo-org/credit-risk", environment).Validate();

        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public void Contradiction_IsReportedOnceAtTheLaterGate_WhicheverOrderTheyAreWritten()
    {
        var result = Environment("prod").WithGates(MetricAtMost("auc", 0.8), TrainingJobCompleted(), MetricAtLeast("auc", 0.9)).Validate();

        var error = Assert.Single(result.Errors);
        Assert.Equal(("environments[prod].gates[2]", ValidationRules.GateContradiction, "auc"), (error.Path, error.Rule, error.OffendingValue));
        Assert.Contains("auc ≥ 0.9", error.Message, StringComparison.Ordinal);
        Assert.Contains("auc ≤ 0.8", error.Message, StringComparison.Ordinal);
        Assert.True(Environment("prod").WithGates(MetricAtLeast("auc", 0.9), MetricAtMost("AUC", 0.8)).Validate().IsValid);
    }
}
