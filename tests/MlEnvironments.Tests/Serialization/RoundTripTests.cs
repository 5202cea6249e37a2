using System.Text.Json;
using System.Text.Json.Nodes;
using MlEnvironments.Tests.Definitions;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Tests.Serialization;

public class RoundTripTests
{
    private const string Subscription = "00000000-0000-0000-0000-000000000001";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private sealed record Holder(string Owner, EnvironmentDefinition Environment, RepositorySetDefinition Set);

    private static EnvironmentDefinition RichEnvironment() =>
        Environment("Prod")
            .RequireReviewers(User("Ana"), Team("ml-leads"), User("bob"))
            .WithWaitTimer(TimeSpan.FromMinutes(30))
            .PreventSelfReview()
            .PreventAdminsBypass()
            .AllowTags("v*")
            .AllowBranches("main")
            .AllowTags("release-*")
            .AllowBranches("release/**")
            .BindWorkspace(Workspace(Subscription, "rg-ml", "mlw-prod"))
            .WithVariable("MODEL", "credit")
            .WithVariable("Threshold", "0.75")
            .WithVariable("EMPTY", "")
            .WithVariable("TEXT", "é ü \"quoted\" \\ <tag> \n second line")
            .WithSecret("TOKEN", SecretFromEnvironmentVariable("PROD_TOKEN"))
            .WithSecret("AZURE_CREDENTIALS", SecretFromConfiguration("Secrets:Prod:Azure"))
            .WithSecret("MANAGED", SecretValue.Existing);

    private static RepositoryDefinition RichRepository() =>
        Repository("Octo-Org/Credit-Risk",
            Environment("dev").WithVariable("MODEL", "credit"),
            Environment("staging")
                .RequireReviewers(Team("ml-leads"))
                .AllowProtectedBranchesOnly()
                .BindWorkspace(Workspace(Subscription, "rg-ml", "mlw-staging"))
                .WithSecret("AZURE_CREDENTIALS", SecretFromConfiguration("Secrets:Staging:Azure")),
            RichEnvironment());

    private static RepositorySetDefinition RichSet() =>
        Repositories(RichRepository(), Repository("octo-org/churn"), Repository("octo-org/fraud", Environment("prod").AllowTags("v*")));

    [Theory]
    [InlineData("rich")]
    [InlineData("custom policy without patterns")]
    [InlineData("negative and too long wait timers")]
    public void AnEnvironment_RoundTrips(string variant)
    {
        var environments = variant switch
        {
            "rich" => [RichEnvironment()],
            "custom policy without patterns" => [Environment("qa").WithBranchPolicy(DeploymentBranchPolicy.Custom([]))],
            "negative and too long wait timers" => new[]
            {
                Environment("qa").WithWaitTimer(TimeSpan.FromMinutes(-5)),
                Environment("qa").WithWaitTimer(TimeSpan.FromMinutes(43_201)),
            },
            _ => throw new ArgumentOutOfRangeException(nameof(variant)),
        };

        foreach (var environment in environments)
        {
            var json = MlEnvironmentsJson.Serialize(environment);
            var read = MlEnvironmentsJson.DeserializeEnvironment(json);

            Assert.Equal(environment, read);
            Assert.Equal(Snapshot.Of(environment), Snapshot.Of(read)); // exact spelling and order too
            Assert.Equal(json, MlEnvironmentsJson.Serialize(read));
        }
    }

    [Fact]
    public void ARepositorySet_RoundTrips()
    {
        var set = RichSet();

        var json = MlEnvironmentsJson.Serialize(set);
        var read = MlEnvironmentsJson.DeserializeRepositorySet(json);

        Assert.Equal(set, read);
        Assert.Equal(Snapshot.Of(set), Snapshot.Of(read));
        Assert.Equal(json, MlEnvironmentsJson.Serialize(read));

        var prod = read.Repositories[0].FindEnvironment("prod")!;
        Assert.Equal<DeploymentRefPattern>([Tag("v*"), Branch("main"), Tag("release-*"), Branch("release/**")], prod.BranchPolicy.Patterns);
        Assert.Equal(["MODEL", "Threshold", "EMPTY", "TEXT"], prod.Variables.Select(v => v.Name));
        Assert.Equal(
            [SecretSource.EnvironmentVariable, SecretSource.Configuration, SecretSource.Existing],
            prod.Secrets.Select(s => s.Value.Source));
        Assert.Equal("Octo-Org/Credit-Risk", read.Repositories[0].Repository.ToString());
    }

    [Fact]
    public void Logins_RoundTrip_WithTheSecretAsAReference()
    {
        const string subscription = "00000000-0000-0000-0000-000000000001";
        var repository = Repository("octo-org/credit-risk",
            Environment("dev").BindWorkspace(Workspace(subscription, "rg-ml", "mlw-dev"))
                .UseServicePrincipalLogin(Guid.Parse("11111111-1111-1111-1111-111111111111"), Guid.Parse("22222222-2222-2222-2222-222222222222"), SecretValue.FromEnvironmentVariable("SP_SECRET")),
            Environment("prod").BindWorkspace(Workspace(subscription, "rg-ml", "mlw-prod"))
                .UseOidcLogin(ManagedIdentity(subscription, "rg-identities", "id-github-prod")),
            Environment("staging").BindWorkspace(Workspace(subscription, "rg-ml", "mlw-staging"),
                OidcLogin(ManagedIdentity(subscription, "rg-identities", "id-github-staging"), "b24988ac-6180-42a0-ab88-20f7382dd24c")));

        var json = MlEnvironmentsJson.Serialize(repository);
        var read = MlEnvironmentsJson.DeserializeRepository(json);

        Assert.Equal(repository, read);
        Assert.Contains("\"fromEnvironmentVariable\": \"SP_SECRET\"", json);
        Assert.Contains("/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-github-prod", json);
        Assert.Equal(WorkspaceLoginKind.Oidc, read.FindEnvironment("prod")!.Binding!.Login!.Kind);
        Assert.Equal("b24988ac-6180-42a0-ab88-20f7382dd24c", read.FindEnvironment("staging")!.Binding!.Login!.RoleDefinitionId);
    }

    [Fact]
    public void NonAsciiText_IsWrittenAsIs_AndRoundTrips()
    {
        var environment = Environment("prod").WithVariable("MODEL_NAME", "crédit <risk> & \"score\"");

        var json = MlEnvironmentsJson.Serialize(environment);

        Assert.Contains("crédit <risk> & \\\"score\\\"", json);
        Assert.Equal(environment, MlEnvironmentsJson.DeserializeEnvironment(json));
    }

    [Fact]
    public void ARepository_RoundTrips()
    {
        var repository = RichRepository();

        var read = MlEnvironmentsJson.DeserializeRepository(MlEnvironmentsJson.Serialize(repository));

        Assert.Equal(repository, read);
        Assert.Equal(Snapshot.Of(repository), Snapshot.Of(read));
    }

    [Fact]
    public void AnEnvironment_IsWrittenInTheDocumentedFormat()
    {
        var environment = Environment("prod")
            .RequireReviewers(User("ana"), Team("ml-leads"))
            .WithWaitTimer(TimeSpan.FromMinutes(30))
            .PreventSelfReview()
            .PreventAdminsBypass()
            .AllowBranches("main")
            .AllowTags("v*")
            .BindWorkspace(Workspace(Subscription, "rg-ml", "mlw-prod"))
            .WithVariable("MODEL", "credit")
            .WithSecret("TOKEN", SecretFromEnvironmentVariable("PROD_TOKEN"))
            .WithSecret("KEY", SecretFromConfiguration("Secrets:Key"))
            .WithSecret("MANAGED", SecretValue.Existing);

        var expected = JsonNode.Parse($$"""
            {
              "name": "prod",
              "reviewers": ["user:ana", "team:ml-leads"],
              "waitTimerMinutes": 30,
              "preventSelfReview": true,
              "canAdminsBypass": false,
              "branchPolicy": { "mode": "custom", "patterns": [{ "branch": "main" }, { "tag": "v*" }] },
              "workspace": { "subscriptionId": "{{Subscription}}", "resourceGroup": "rg-ml", "name": "mlw-prod" },
              "variables": { "MODEL": "credit" },
              "secrets": {
                "TOKEN": { "fromEnvironmentVariable": "PROD_TOKEN" },
                "KEY": { "fromConfiguration": "Secrets:Key" },
                "MANAGED": { "existing": true }
              }
            }
            """);

        Assert.True(
            JsonNode.DeepEquals(expected, JsonNode.Parse(MlEnvironmentsJson.Serialize(environment))),
            MlEnvironmentsJson.Serialize(environment));
        Assert.Equal("{\"name\":\"dev\"}", JsonSerializer.Serialize(Environment("dev")));
    }

    [Fact]
    public void JsonSerializer_WritesTheSameFormat()
    {
        var environment = RichEnvironment();
        var repository = RichRepository();
        var set = RichSet();

        AssertSameJson(MlEnvironmentsJson.Serialize(environment), JsonSerializer.Serialize(environment));
        AssertSameJson(MlEnvironmentsJson.Serialize(repository), JsonSerializer.Serialize(repository));
        AssertSameJson(MlEnvironmentsJson.Serialize(set), JsonSerializer.Serialize(set));
        AssertSameJson(MlEnvironmentsJson.Serialize(set), JsonSerializer.Serialize(set, Indented));

        // Inside another object, the definition keeps its own format.
        var holder = JsonNode.Parse(JsonSerializer.Serialize(new Holder("ml-platform", environment, set)))!;
        AssertSameJson(MlEnvironmentsJson.Serialize(environment), holder["Environment"]!.ToJsonString());
        AssertSameJson(MlEnvironmentsJson.Serialize(set), holder["Set"]!.ToJsonString());
    }

    [Fact]
    public void JsonSerializer_ReadsTheSameFormat()
    {
        var environment = RichEnvironment();
        var repository = RichRepository();
        var set = RichSet();

        Assert.Equal(environment, JsonSerializer.Deserialize<EnvironmentDefinition>(MlEnvironmentsJson.Serialize(environment)));
        Assert.Equal(repository, JsonSerializer.Deserialize<RepositoryDefinition>(MlEnvironmentsJson.Serialize(repository)));
        Assert.Equal(set, JsonSerializer.Deserialize<RepositorySetDefinition>(MlEnvironmentsJson.Serialize(set)));
        Assert.Equal(SecretValue.Existing, JsonSerializer.Deserialize<SecretValue>("{\"existing\": true}"));
        Assert.Equal(SecretFromEnvironmentVariable("T"), JsonSerializer.Deserialize<SecretValue>("{\"fromEnvironmentVariable\": \"T\"}"));

        var holder = JsonSerializer.Deserialize<Holder>(JsonSerializer.Serialize(new Holder("ml-platform", environment, set)))!;
        Assert.Equal(environment, holder.Environment);
        Assert.Equal(set, holder.Set);
    }

    [Fact]
    public void AFractionalWaitTimer_IsWritten_ButRefusedWhenRead_AsNotAWholeNumber()
    {
        var json = MlEnvironmentsJson.Serialize(Environment("qa").WithWaitTimer(TimeSpan.FromSeconds(90)));

        Assert.Contains("\"waitTimerMinutes\": 1.5", json, StringComparison.Ordinal);
        var e = Assert.Throws<DefinitionFormatException>(() => MlEnvironmentsJson.DeserializeEnvironment(json));
        Assert.Equal("$.waitTimerMinutes", e.Path);
        Assert.Contains("whole number", e.Message, StringComparison.Ordinal);
    }

    private static void AssertSameJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected:\n{expected}\nactual:\n{actual}");
}
