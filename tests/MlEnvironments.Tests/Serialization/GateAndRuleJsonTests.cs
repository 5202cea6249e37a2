using System.Text.Json.Nodes;
using MlEnvironments.MachineLearning;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Tests.Serialization;

/// <summary>JSON of promotion gates, protection-rule Apps and registry sharing: round trips, shape, and clear errors.</summary>
public class GateAndRuleJsonTests
{
    private const string Subscription = "00000000-0000-0000-0000-000000000001";
    private const string RegistryId = "/subscriptions/" + Subscription + "/resourceGroups/rg-shared/providers/Microsoft.MachineLearningServices/registries/mlreg-shared";

    private static EnvironmentDefinition Gated() =>
        Environment("prod")
            .BindWorkspace(Workspace(Subscription, "rg-ml", "mlw-prod"))
            .UseOidcLogin(ManagedIdentity(Subscription, "rg-ml", "id-prod"))
            .ShareThroughRegistry(MachineLearningRegistryId.Parse(RegistryId))
            .WithVariable("MODEL", "credit")
            .WithGates(
                MetricAtLeast("auc", 0.85),
                MetricAtMost("rmse", 0.3),
                ImprovesOnChampion("auc"),
                ImprovesOnChampion("rmse", MetricDirection.LowerIsBetter, 0.01, 0.05),
                RequiredTag("approved"),
                RequiredTag("stage", "prod"),
                RequiredProperty("framework", "lightgbm"),
                TrainingJobCompleted())
            .RequireProtectionRule(42)
            .RequireProtectionRule(7);

    [Fact]
    public void GatesRulesAndRegistry_RoundTrip()
    {
        var environment = Gated();

        var json = MlEnvironmentsJson.Serialize(environment);
        var read = MlEnvironmentsJson.DeserializeEnvironment(json);

        Assert.Equal(environment, read);
        Assert.Equal<PromotionGate>(environment.Gates, read.Gates);
        Assert.Equal<long>([42L, 7L], read.ProtectionRuleAppIds);
        Assert.Equal(MachineLearningRegistryId.Parse(RegistryId), read.Binding!.Registry);
        Assert.Equal(environment.Binding!.Login, read.Binding.Login);
        Assert.Equal(json, MlEnvironmentsJson.Serialize(read));
    }

    [Fact]
    public void ARepositoryWithGates_RoundTrips()
    {
        var repository = Repository("octo-org/credit-risk", Environment("dev"), Environment("staging").WithGates(TrainingJobCompleted()), Gated());

        var read = MlEnvironmentsJson.DeserializeRepository(MlEnvironmentsJson.Serialize(repository));

        Assert.Equal(repository, read);
    }

    [Fact]
    public void TheJson_HasTheDocumentedShape()
    {
        var json = JsonNode.Parse(MlEnvironmentsJson.Serialize(Gated()))!;

        var gates = json["gates"]!.AsArray();
        Assert.Equal(
            """{"type":"metricAtLeast","metric":"auc","threshold":0.85}""",
            gates[0]!.ToJsonString());
        Assert.Equal("""{"type":"improvesOnChampion","metric":"auc","direction":"higherIsBetter"}""", gates[2]!.ToJsonString());
        Assert.Equal(
            """{"type":"improvesOnChampion","metric":"rmse","direction":"lowerIsBetter","minAbsoluteChange":0.01,"minRelativeChange":0.05}""",
            gates[3]!.ToJsonString());
        Assert.Equal("""{"type":"requiredTag","key":"approved"}""", gates[4]!.ToJsonString());
        Assert.Equal("""{"type":"requiredProperty","key":"framework","value":"lightgbm"}""", gates[6]!.ToJsonString());
        Assert.Equal("""{"type":"trainingJobCompleted"}""", gates[7]!.ToJsonString());
        Assert.Equal("[42,7]", json["protectionRules"]!.ToJsonString());
        Assert.Equal(RegistryId, json["workspace"]!["registry"]!.GetValue<string>());
    }

    [Fact]
    public void AnEnvironmentWithoutGatesOrRules_WritesNeither()
    {
        var json = JsonNode.Parse(MlEnvironmentsJson.Serialize(Environment("dev").BindWorkspace(Workspace(Subscription, "rg-ml", "mlw-dev"))))!.AsObject();

        Assert.False(json.ContainsKey("gates"));
        Assert.False(json.ContainsKey("protectionRules"));
        Assert.False(json["workspace"]!.AsObject().ContainsKey("registry"));
    }

    [Fact]
    public void ReadingOmittedDefaults_GivesTheFactoriesDefaults()
    {
        var read = MlEnvironmentsJson.DeserializeEnvironment(
            """{"name": "prod", "gates": [{"type": "improvesOnChampion", "metric": "auc"}, {"type": "requiredProperty", "key": "k"}]}""");

        Assert.Equal<PromotionGate>([ImprovesOnChampion("auc"), RequiredProperty("k")], read.Gates);
    }

    [Fact]
    public void InvalidValuesThatJsonCanCarry_AreReadAndLeftToValidation()
    {
        var read = MlEnvironmentsJson.DeserializeEnvironment(
            """{"name": "prod", "gates": [{"type": "metricAtLeast", "metric": "", "threshold": 1}, {"type": "improvesOnChampion", "metric": "auc", "minRelativeChange": -0.1}], "protectionRules": [0, 1, 2, 3, 4, 5, 6]}""");

        Assert.Equal(
            [ValidationRules.GateMetricRequired, ValidationRules.GateChangeNegative, ValidationRules.ProtectionRuleAppId, ValidationRules.ProtectionRulesLimit],
            read.Validate().Errors.Select(e => e.Rule));
    }

    [Theory]
    [InlineData("""{"name": "prod", "gates": [{"type": "metricAtLeast", "metric": "auc", "threshold": 0.8}, {"type": "accuracyAbove"}]}""", "$.gates[1].type", "Unknown gate type 'accuracyAbove'")]
    [InlineData("""{"name": "prod", "gates": [{"metric": "auc", "threshold": 0.8}]}""", "$.gates[0].type", "required")]
    [InlineData("""{"name": "prod", "gates": [{"type": 3}]}""", "$.gates[0].type", "Expected a string, found a number")]
    [InlineData("""{"name": "prod", "gates": [{"type": "improvesOnChampion", "metric": "auc", "direction": "up"}]}""", "$.gates[0].direction", "Unknown direction 'up'")]
    [InlineData("""{"name": "prod", "gates": [{"type": "improvesOnChampion", "metric": "auc", "direction": 1}]}""", "$.gates[0].direction", "Expected a string")]
    [InlineData("""{"name": "prod", "gates": [{"type": "metricAtMost", "metric": "rmse", "threshold": "0.3"}]}""", "$.gates[0].threshold", "Expected a number, found a string")]
    [InlineData("""{"name": "prod", "gates": [{"type": "metricAtMost", "metric": "rmse", "threshold": null}]}""", "$.gates[0].threshold", "Expected a number, found null")]
    [InlineData("""{"name": "prod", "gates": [{"type": "metricAtMost", "metric": "rmse"}]}""", "$.gates[0].threshold", "required")]
    [InlineData("""{"name": "prod", "gates": [{"type": "improvesOnChampion", "metric": "auc", "minAbsoluteChange": true}]}""", "$.gates[0].minAbsoluteChange", "Expected a number, found a boolean")]
    [InlineData("""{"name": "prod", "gates": [{"type": "metricAtLeast", "metric": "auc", "threshold": 0.8, "unit": "%"}]}""", "$.gates[0].unit", "Unknown property 'unit'")]
    [InlineData("""{"name": "prod", "gates": [{"type": "trainingJobCompleted", "metric": "auc"}]}""", "$.gates[0].metric", "Unknown property 'metric'")]
    [InlineData("""{"name": "prod", "gates": [{"type": "requiredTag"}]}""", "$.gates[0].key", "required")]
    [InlineData("""{"name": "prod", "gates": [{"type": "requiredTag", "key": "k", "value": 1}]}""", "$.gates[0].value", "Expected a string")]
    [InlineData("""{"name": "prod", "gates": {"type": "trainingJobCompleted"}}""", "$.gates", "Expected an array, found an object")]
    [InlineData("""{"name": "prod", "gates": ["auc >= 0.8"]}""", "$.gates[0]", "Expected an object, found a string")]
    [InlineData("""{"name": "prod", "protectionRules": [42, "43"]}""", "$.protectionRules[1]", "numeric id")]
    [InlineData("""{"name": "prod", "protectionRules": [4.5]}""", "$.protectionRules[0]", "numeric id")]
    [InlineData("""{"name": "prod", "protectionRules": 42}""", "$.protectionRules", "Expected an array")]
    [InlineData("""{"name": "prod", "workspace": {"subscriptionId": "s", "resourceGroup": "rg", "name": "mlw", "registry": "mlreg-shared"}}""", "$.workspace.registry", "registry")]
    [InlineData("""{"name": "prod", "workspace": {"subscriptionId": "s", "resourceGroup": "rg", "name": "mlw", "registry": 1}}""", "$.workspace.registry", "Expected a string")]
    public void BadInput_FailsWithThePathAndAClearMessage(string json, string path, string fragment)
    {
        var e = Assert.Throws<DefinitionFormatException>(() => MlEnvironmentsJson.DeserializeEnvironment(json));

        Assert.Equal(path, e.Path);
        Assert.StartsWith(path + ": ", e.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownGateType_NamesTheKnownOnes()
    {
        var e = Assert.Throws<DefinitionFormatException>(() => MlEnvironmentsJson.DeserializeEnvironment("""{"name": "prod", "gates": [{"type": "MetricAtLeast"}]}"""));

        foreach (var known in new[] { "metricAtLeast", "metricAtMost", "improvesOnChampion", "requiredTag", "requiredProperty", "trainingJobCompleted" })
        {
            Assert.Contains($"'{known}'", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ErrorsInsideARepositorySet_CarryTheFullPath()
    {
        var json = """{"repositories": [{"repository": "octo-org/credit-risk", "environments": [{"name": "dev"}, {"name": "prod", "gates": [{"type": "improvesOnChampion", "metric": "auc", "direction": "sideways"}]}]}]}""";

        var e = Assert.Throws<DefinitionFormatException>(() => MlEnvironmentsJson.DeserializeRepositorySet(json));

        Assert.Equal("$.repositories[0].environments[1].gates[0].direction", e.Path);
    }

    [Fact]
    public void ANonFiniteThreshold_IsWrittenVisibly_AndReadingItBackFailsAtItsPath()
    {
        var json = MlEnvironmentsJson.Serialize(Environment("prod").WithGates(MetricAtLeast("auc", 0.8), MetricAtMost("rmse", double.NaN)));

        Assert.Contains("\"NaN\"", json, StringComparison.Ordinal);
        var e = Assert.Throws<DefinitionFormatException>(() => MlEnvironmentsJson.DeserializeEnvironment(json));
        Assert.Equal("$.gates[1].threshold", e.Path);
    }
}
