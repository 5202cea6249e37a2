using System.Text.Json;
using MlEnvironments.Drift;
using MlEnvironments.GitHub;
using MlEnvironments.Identity;
using MlEnvironments.Planning;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Tests.Planning;

/// <summary>Workspace logins on the fakes: the Azure side of the plan, the apply, and the plan-time checks.</summary>
public class WorkspaceBindingTests
{
    private const string Subscription = "00000000-0000-0000-0000-000000000001";
    private static readonly RepositoryId Repo = RepositoryId.Parse("Octo-Org/Credit-Risk");
    private static readonly WorkspaceId ProdWorkspace = Workspace(Subscription, "rg-ml", "mlw-prod");
    private static readonly WorkspaceId DevWorkspace = Workspace(Subscription, "rg-ml", "mlw-dev");
    private static readonly UserAssignedIdentityId ProdIdentity = ManagedIdentity(Subscription, "rg-identities", "id-github-prod");

    private sealed class World
    {
        public InMemoryGitHub GitHub { get; } = new();

        public InMemoryAzureMachineLearning Azure { get; } = new();

        public InMemoryAzureIdentity Identities { get; } = new();

        public UserAssignedIdentityData Identity { get; }

        public World()
        {
            GitHub.AddRepository(Repo);
            Azure.AddWorkspace(ProdWorkspace).AddWorkspace(DevWorkspace);
            Identity = Identities.AddIdentity(ProdIdentity);
        }

        public EnvironmentPlanner Planner() => new(GitHub, GitHub, GitHub, identities: GitHub,
            bindings: new WorkspaceBindingPlanner(Azure, Identities, Identities, Identities, GitHub));

        public EnvironmentApplier Applier() => new(GitHub, GitHub, GitHub, GitHub, credentials: Identities, roles: Identities);

        public int AzureWrites => Identities.Calls.Count(c => c.IsWrite);
    }

    private static RepositoryDefinition OidcProd(string environmentName = "Prod") =>
        Repository(Repo, Environment(environmentName).BindWorkspace(ProdWorkspace).UseOidcLogin(ProdIdentity));

    [Fact]
    public async Task OidcLogin_PlansTheCredentialTheRoleAndTheVariables_ThenConverges()
    {
        var world = new World();
        var planner = world.Planner();

        var plan = await planner.PlanAsync(OidcProd());
        var result = await world.Applier().ApplyAsync(plan);
        var again = await planner.PlanAsync(OidcProd());

        var credential = Assert.Single(plan.Changes, c => c.Kind == ChangeKind.FederatedCredential);
        Assert.Equal((ChangeAction.Create, "repo:Octo-Org/Credit-Risk:environment:Prod"), (credential.Action, credential.After));
        Assert.Contains(plan.Changes, c => c.Kind == ChangeKind.RoleAssignment && c.Action == ChangeAction.Create);
        Assert.Contains(plan.Changes, c => c.Kind == ChangeKind.Variable && c.Target == "AZURE_CLIENT_ID" && c.After == $"\"{world.Identity.ClientId}\"");
        Assert.Contains(plan.Changes, c => c.Kind == ChangeKind.Variable && c.Target == "AZURE_TENANT_ID");
        Assert.Contains("Azure federated credential", plan.ToText());
        Assert.True(result.Succeeded, result.ToString());
        var stored = Assert.Single(await world.Identities.ListFederatedIdentityCredentialsAsync(ProdIdentity));
        Assert.Equal(("https://token.actions.githubusercontent.com/", "repo:Octo-Org/Credit-Risk:environment:Prod", "api://AzureADTokenExchange"),
            (stored.Issuer.ToString(), stored.Subject, Assert.Single(stored.Audiences)));
        var role = Assert.Single(world.Identities.RoleAssignments);
        Assert.Equal((ProdWorkspace.ResourceId, world.Identity.PrincipalId), (role.Scope, role.PrincipalId));
        Assert.EndsWith(WorkspaceLogin.AzureMLDataScientistRoleId, role.RoleDefinitionId, StringComparison.OrdinalIgnoreCase);
        Assert.False(again.HasChanges, again.ToText());
    }

    [Theory]
    [InlineData(false, "Prod", "repo:Octo-Org/Credit-Risk:environment:Prod")]
    [InlineData(false, "team/Prod", "repo:Octo-Org/Credit-Risk:environment:team/Prod")]
    [InlineData(true, "Prod", "repo:Octo-Org@7/Credit-Risk@101:environment:Prod")]
    [InlineData(true, "team/Prod", "repo:Octo-Org@7/Credit-Risk@101:environment:team/Prod")]
    public async Task TheSubject_ComesFromGitHubsPrefix_WithTheEnvironmentsExactName(bool immutable, string environment, string subject)
    {
        var world = new World();
        world.GitHub.ConfigureRepository(Repo, id: 101, ownerId: 7, useImmutableSubject: immutable);

        var plan = await world.Planner().PlanAsync(OidcProd(environment));

        Assert.Equal(subject, Assert.Single(plan.Changes, c => c.Kind == ChangeKind.FederatedCredential).After);
    }

    [Fact]
    public async Task AnExistingEnvironment_IsNamedAsGitHubSpellsIt_InTheSubject()
    {
        var world = new World();
        world.GitHub.Seed(Repo, Environment("PROD"));

        var plan = await world.Planner().PlanAsync(OidcProd("prod"));

        Assert.Equal("repo:Octo-Org/Credit-Risk:environment:PROD", Assert.Single(plan.Changes, c => c.Kind == ChangeKind.FederatedCredential).After);
    }

    [Fact]
    public async Task ServicePrincipalLogin_StoresAzureCredentialsInTheShapeAzureLoginReads_AndNeverShowsIt()
    {
        var world = new World();
        var variable = "MLENV_TEST_SP_SECRET_" + Guid.NewGuid().ToString("N");
        System.Environment.SetEnvironmentVariable(variable, "sp-secret-never-shown");
        try
        {
            var clientId = Guid.Parse("11111111-1111-1111-1111-111111111111");
            var tenantId = Guid.Parse("22222222-2222-2222-2222-222222222222");
            var definition = Repository(Repo, Environment("dev").BindWorkspace(DevWorkspace)
                .UseServicePrincipalLogin(clientId, tenantId, SecretValue.FromEnvironmentVariable(variable)));

            var plan = await world.Planner().PlanAsync(definition);
            var result = await world.Applier().ApplyAsync(plan);

            Assert.True(result.Succeeded, result.ToString());
            Assert.True(world.GitHub.GetSecretValue(Repo, "dev", "AZURE_CREDENTIALS")!.TryRevealLiteral(out var stored));
            using var json = JsonDocument.Parse(stored);
            Assert.Equal((clientId.ToString(), "sp-secret-never-shown", Subscription, tenantId.ToString()),
                (json.RootElement.GetProperty("clientId").GetString(), json.RootElement.GetProperty("clientSecret").GetString(),
                 json.RootElement.GetProperty("subscriptionId").GetString(), json.RootElement.GetProperty("tenantId").GetString()));
            Assert.DoesNotContain("sp-secret-never-shown", plan.ToText() + plan.ToJson() + plan.ToMarkdown() + result + definition);
            Assert.Equal(0, world.AzureWrites);
        }
        finally
        {
            System.Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task AMissingServicePrincipalSecret_StopsAtPlanTime()
    {
        var world = new World();
        var definition = Repository(Repo, Environment("dev").BindWorkspace(DevWorkspace)
            .UseServicePrincipalLogin(Guid.NewGuid(), Guid.NewGuid(), SecretValue.FromEnvironmentVariable("MLENV_TEST_NOT_SET_" + Guid.NewGuid().ToString("N"))));

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => world.Planner().PlanAsync(definition));

        var only = Assert.Single(error.Result.Errors);
        Assert.Equal(("environments[dev].workspace.login.servicePrincipal.clientSecret", ValidationRules.SecretReferenceUnresolved), (only.Path, only.Rule));
        Assert.Contains("AZURE_CREDENTIALS", only.Message);
        Assert.Empty(world.GitHub.Writes);
    }

    [Fact]
    public async Task AMissingWorkspace_AMissingIdentity_AndAWorkspaceNotReady_StopAtPlanTime_AllAtOnce()
    {
        var world = new World();
        var building = Workspace(Subscription, "rg-ml", "mlw-building");
        world.Azure.AddWorkspace(building, provisioningState: "Creating");
        var definition = Repository(Repo,
            Environment("dev").BindWorkspace(Workspace(Subscription, "rg-ml", "mlw-nowhere")),
            Environment("staging").BindWorkspace(building),
            Environment("prod").BindWorkspace(ProdWorkspace).UseOidcLogin(ManagedIdentity(Subscription, "rg-identities", "id-missing")));

        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => world.Planner().PlanAsync(definition));

        Assert.Equal(
            [
                ("environments[dev].workspace", ValidationRules.WorkspaceNotReady),
                ("environments[staging].workspace", ValidationRules.WorkspaceNotReady),
                ("environments[prod].workspace.login.oidc.identity", ValidationRules.LoginIdentityNotFound),
            ],
            error.Result.Errors.Select(e => (e.Path, e.Rule)));
        Assert.Contains("mlw-nowhere", error.Message);
        Assert.Empty(world.GitHub.Writes);
        Assert.Equal(0, world.AzureWrites);
    }

    [Fact]
    public async Task ATwentyFirstCredential_StopsAtPlanTime()
    {
        var world = new World();
        for (var i = 0; i < 20; i++)
        {
            await world.Identities.CreateOrUpdateFederatedIdentityCredentialAsync(ProdIdentity, new FederatedIdentityCredentialData(
                $"other-{i:D2}", FederatedIdentityCredentialData.GitHubActionsIssuer, $"repo:octo-org/other-{i}:environment:prod", [FederatedIdentityCredentialData.AzureAudience]));
        }

        var writesBefore = world.AzureWrites;
        var error = await Assert.ThrowsAsync<ValidationFailedException>(() => world.Planner().PlanAsync(OidcProd()));

        Assert.Equal(ValidationRules.FederatedCredentialsLimit, Assert.Single(error.Result.Errors).Rule);
        Assert.Contains("21", error.Message);
        Assert.Equal(writesBefore, world.AzureWrites);
        Assert.Empty(world.GitHub.Writes);
    }

    [Fact]
    public async Task ASubjectAlreadyTrustedByAnotherCredential_IsReported_AndLeftAlone()
    {
        var world = new World();
        await world.Identities.CreateOrUpdateFederatedIdentityCredentialAsync(ProdIdentity, new FederatedIdentityCredentialData(
            "made-by-hand", FederatedIdentityCredentialData.GitHubActionsIssuer, "repo:Octo-Org/Credit-Risk:environment:Prod", [FederatedIdentityCredentialData.AzureAudience]));

        var plan = await world.Planner().PlanAsync(OidcProd());

        Assert.DoesNotContain(plan.Changes, c => c.Kind == ChangeKind.FederatedCredential);
        Assert.Contains(plan.Notes, n => n.Message.Contains("made-by-hand", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PublicNetworkAccessDisabled_IsAWarning()
    {
        var world = new World();
        var closed = Workspace(Subscription, "rg-ml", "mlw-closed");
        world.Azure.AddWorkspace(closed, publicNetworkAccess: "Disabled");

        var plan = await world.Planner().PlanAsync(Repository(Repo, Environment("prod").BindWorkspace(closed)));

        Assert.Contains(plan.Notes, n => n.Severity == PlanNoteSeverity.Warning && n.Message.Contains("GitHub-hosted runners", StringComparison.Ordinal));
    }

    [Fact]
    public void CredentialNames_AreStableValidAndUniquePerEnvironment()
    {
        var simple = WorkspaceBindingPlanner.FederatedCredentialName(Repo, "prod");
        var slash = WorkspaceBindingPlanner.FederatedCredentialName(Repo, "team/prod");
        var other = WorkspaceBindingPlanner.FederatedCredentialName(Repo, "team-prod");
        var longName = WorkspaceBindingPlanner.FederatedCredentialName(Repo, new string('x', 200));

        Assert.Equal("github-Octo-Org-Credit-Risk-prod", simple);
        Assert.NotEqual(slash, other);
        Assert.All(new[] { simple, slash, other, longName }, n => Assert.Matches("^[A-Za-z0-9_-]{3,120}$", n));
    }

    [Fact]
    public async Task Drift_ReportsTheAzureSideOfABinding_WhenTheCredentialOrTheRoleIsRemovedOutsideTheDefinition()
    {
        var world = new World();
        var applied = await world.Applier().ApplyAsync(await world.Planner().PlanAsync(OidcProd()));
        Assert.True(applied.Succeeded, applied.ToString());
        var detector = new DriftDetector(world.Planner());
        Assert.False((await detector.DetectAsync(OidcProd())).HasDrift);

        var credential = Assert.Single(await world.Identities.ListFederatedIdentityCredentialsAsync(ProdIdentity));
        await world.Identities.DeleteFederatedIdentityCredentialAsync(ProdIdentity, credential.Name);
        Assert.Equal(1, world.Identities.RemoveRoleAssignment(ProdWorkspace.ResourceId, WorkspaceLogin.AzureMLDataScientistRoleId, world.Identity.PrincipalId));
        var writesBefore = world.AzureWrites;

        var report = await detector.DetectAsync(OidcProd());

        Assert.True(report.HasDrift);
        var azure = report.Findings.Where(f => f.Kind == DriftKind.AzureBindingChanged).ToList();
        Assert.Equal(2, azure.Count);
        Assert.All(azure, f => Assert.Equal("Prod", f.EnvironmentName));
        Assert.Contains(azure, f => f.Subject.StartsWith("Azure federated credential", StringComparison.Ordinal));
        Assert.Contains(azure, f => f.Subject.StartsWith("Azure role assignment", StringComparison.Ordinal));
        Assert.DoesNotContain(report.Findings, f => f.Kind != DriftKind.AzureBindingChanged);
        Assert.Contains("Azure federated credential", report.ToText(), StringComparison.Ordinal);
        Assert.Contains("Azure role assignment", report.ToMarkdown(), StringComparison.Ordinal);
        Assert.Equal(writesBefore, world.AzureWrites); // detecting drift reads only
    }
}
