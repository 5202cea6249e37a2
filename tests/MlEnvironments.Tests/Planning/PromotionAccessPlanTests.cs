using MlEnvironments.Identity;
using MlEnvironments.MachineLearning;
using MlEnvironments.Planning;
using MlEnvironments.Promotion;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Tests.Planning;

/// <summary>The roles a promotion needs: assigned by the binding plan to OIDC identities, checked for service principals.</summary>
public class PromotionAccessPlanTests
{
    private const string Subscription = "00000000-0000-0000-0000-000000000001";
    private static readonly RepositoryId Repo = RepositoryId.Parse("octo-org/fraud");
    private static readonly WorkspaceId Dev = Workspace(Subscription, "rg-ml", "mlw-dev");
    private static readonly WorkspaceId Staging = Workspace(Subscription, "rg-ml", "mlw-staging");
    private static readonly WorkspaceId Prod = Workspace(Subscription, "rg-ml", "mlw-prod");
    private static readonly MachineLearningRegistryId Registry = MachineLearningRegistryId.Create(Subscription, "rg-ml", "mlr-shared");
    private static readonly UserAssignedIdentityId DevId = ManagedIdentity(Subscription, "rg-id", "id-dev");
    private static readonly UserAssignedIdentityId StagingId = ManagedIdentity(Subscription, "rg-id", "id-staging");
    private static readonly UserAssignedIdentityId ProdId = ManagedIdentity(Subscription, "rg-id", "id-prod");

    private sealed class World
    {
        public InMemoryGitHub GitHub { get; } = new();

        public InMemoryAzureMachineLearning Azure { get; } = new();

        public InMemoryAzureIdentity Identities { get; } = new();

        public World()
        {
            GitHub.AddRepository(Repo);
            Azure.AddWorkspace(Dev).AddWorkspace(Staging).AddWorkspace(Prod).AddRegistry(Registry, "westeurope");
            Identities.AddIdentity(DevId);
            Identities.AddIdentity(StagingId);
            Identities.AddIdentity(ProdId);
        }

        public Guid Principal(UserAssignedIdentityId id) => Identities.GetIdentityAsync(id).Result!.PrincipalId;

        public EnvironmentPlanner Planner() => new(GitHub, GitHub, GitHub, identities: GitHub,
            bindings: new WorkspaceBindingPlanner(Azure, Identities, Identities, Identities, GitHub));

        public EnvironmentApplier Applier() => new(GitHub, GitHub, GitHub, GitHub, credentials: Identities, roles: Identities);
    }

    private static RepositoryDefinition Oidc(bool registry = false)
    {
        var staging = Environment("staging").BindWorkspace(Staging).UseOidcLogin(StagingId);
        var prod = Environment("prod").BindWorkspace(Prod).UseOidcLogin(ProdId);
        return Repository(Repo,
            Environment("dev").BindWorkspace(Dev).UseOidcLogin(DevId),
            registry ? staging.ShareThroughRegistry(Registry) : staging,
            registry ? prod.ShareThroughRegistry(Registry) : prod);
    }

    private static IEnumerable<(string Environment, string Role, string Scope)> Roles(RepositoryPlan plan) =>
        plan.Changes.Where(c => c.Kind == ChangeKind.RoleAssignment)
            .Select(c => (c.EnvironmentName, AzureBuiltInRoles.NameOf(c.RoleDefinitionId!), c.RoleScope!));

    [Fact]
    public void TheRequirements_FollowThePipeline_OnePerScopeAndRole()
    {
        var plain = PromotionAccess.For(Oidc(), "prod").Select(r => (r.RoleName, r.Scope));
        var shared = PromotionAccess.For(Oidc(registry: true), "staging").Select(r => (r.RoleName, r.Scope));

        Assert.Empty(PromotionAccess.For(Oidc(), "dev"));
        Assert.Equal(
            [("AzureML Data Scientist", Prod.ResourceId), ("Reader", Staging.ResourceId), ("Reader", Dev.ResourceId)],
            plain);
        Assert.Equal(
            [("AzureML Data Scientist", Staging.ResourceId), ("Reader", Dev.ResourceId), ("AzureML Data Scientist", Dev.ResourceId), ("AzureML Registry User", Registry.ResourceId)],
            shared);
        Assert.Throws<ArgumentException>(() => PromotionAccess.For(Oidc(), "qa"));
    }

    [Fact]
    public async Task TheBindingPlan_AssignsThePromotionRoles_ThenASecondPlanIsEmpty()
    {
        var world = new World();
        var planner = world.Planner();

        var plan = await planner.PlanAsync(Oidc(registry: true));
        var result = await world.Applier().ApplyAsync(plan);
        var again = await planner.PlanAsync(Oidc(registry: true));

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(
            [
                ("dev", "AzureML Data Scientist", Dev.ResourceId),
                ("staging", "AzureML Data Scientist", Staging.ResourceId),
                ("staging", "Reader", Dev.ResourceId),
                ("staging", "AzureML Data Scientist", Dev.ResourceId),
                ("staging", "AzureML Registry User", Registry.ResourceId),
                ("prod", "AzureML Data Scientist", Prod.ResourceId),
                ("prod", "AzureML Data Scientist", Staging.ResourceId),
                ("prod", "Reader", Dev.ResourceId),
                ("prod", "AzureML Registry User", Registry.ResourceId),
            ],
            Roles(plan).OrderBy(r => r.Environment == "dev" ? 0 : r.Environment == "staging" ? 1 : 2));
        Assert.Contains("Azure role assignment AzureML Registry User for id-prod on registry mlr-shared", plan.ToText());
        Assert.Equal(9, world.Identities.RoleAssignments.Count);
        Assert.Contains(world.Identities.RoleAssignments, a => a.PrincipalId == world.Principal(ProdId) && a.Scope == Registry.ResourceId);
        Assert.False(again.HasChanges, again.ToText());
    }

    [Fact]
    public async Task ARoleThatCoversTheNeed_IsEnough_AndOneAssignmentServesTwoEnvironmentsOfOneIdentity()
    {
        var world = new World();
        world.Identities.AddRoleAssignment(Dev.ResourceId, AzureBuiltInRoles.Contributor, world.Principal(StagingId));
        var shared = ManagedIdentity(Subscription, "rg-id", "id-deploy");
        world.Identities.AddIdentity(shared);
        var definition = Repository(Repo,
            Environment("dev").BindWorkspace(Dev),
            Environment("staging").BindWorkspace(Staging).UseOidcLogin(StagingId),
            Environment("qa").BindWorkspace(Staging).UseOidcLogin(shared),
            Environment("prod").BindWorkspace(Prod).UseOidcLogin(shared));

        var plan = await world.Planner().PlanAsync(definition);

        Assert.DoesNotContain(Roles(plan), r => r.Environment == "staging" && r.Scope == Dev.ResourceId);
        Assert.Single(Roles(plan), r => r.Role == "Reader" && r.Scope == Dev.ResourceId);
        Assert.Single(Roles(plan), r => r.Role == "Reader" && r.Scope == Staging.ResourceId);
    }

    [Fact]
    public async Task OptingOut_PlansOnlyTheOwnWorkspaceRole_AndSaysWhatItLeftToYou()
    {
        var world = new World();

        var plan = await world.Planner().PlanAsync(Oidc(registry: true), new PlanOptions { ManagePromotionAccess = false });

        Assert.All(Roles(plan), r => Assert.Equal("AzureML Data Scientist", r.Role));
        Assert.Equal([Dev.ResourceId, Staging.ResourceId, Prod.ResourceId], Roles(plan).Select(r => r.Scope));
        var note = Assert.Single(plan.Notes, n => n.EnvironmentName == "prod");
        Assert.Equal(PlanNoteSeverity.Info, note.Severity);
        Assert.Contains("ManagePromotionAccess is off", note.Message);
        Assert.Contains("AzureML Registry User on registry mlr-shared", note.Message);
    }

    [Fact]
    public async Task AServicePrincipal_IsCheckedNotAssigned_AndEachMissingRoleIsNamedWithItsScope()
    {
        var world = new World();
        var clientId = Guid.Parse("11111111-1111-1111-1111-111111111111");
        var objectId = Guid.Parse("33333333-3333-3333-3333-333333333333");
        world.Identities.AddRoleAssignment(Prod.ResourceId, AzureBuiltInRoles.AzureMLDataScientist, objectId);
        world.Identities.AddRoleAssignment("/subscriptions/" + Subscription + "/resourceGroups/rg-ml", AzureBuiltInRoles.Reader, objectId);
        var variable = "MLENV_TEST_SP_" + Guid.NewGuid().ToString("N");
        System.Environment.SetEnvironmentVariable(variable, "sp-secret");
        try
        {
            var definition = Repository(Repo,
                Environment("staging").BindWorkspace(Staging),
                Environment("prod").BindWorkspace(Prod).ShareThroughRegistry(Registry)
                    .UseServicePrincipalLogin(clientId, Guid.NewGuid(), SecretValue.FromEnvironmentVariable(variable)));

            var plan = await world.Planner().PlanAsync(definition, new PlanOptions { ServicePrincipalObjectIds = new Dictionary<Guid, Guid> { [clientId] = objectId } });

            Assert.Empty(Roles(plan));
            var warnings = plan.Notes.Where(n => n.Severity == PlanNoteSeverity.Warning).Select(n => n.Message).ToList();
            Assert.Equal(2, warnings.Count);
            Assert.Contains(warnings, w => w.Contains($"lacks AzureML Data Scientist ({AzureBuiltInRoles.AzureMLDataScientist}) on {Staging.ResourceId}", StringComparison.Ordinal));
            Assert.Contains(warnings, w => w.Contains($"lacks AzureML Registry User ({AzureBuiltInRoles.AzureMLRegistryUser}) on {Registry.ResourceId}", StringComparison.Ordinal));
            Assert.Contains("service principal 11111111-1111-1111-1111-111111111111", plan.ToText());
            Assert.DoesNotContain("sp-secret", plan.ToText() + plan.ToJson());
        }
        finally
        {
            System.Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task AServicePrincipalWithoutAKnownObjectId_IsReportedAsNotChecked_NotGuessed()
    {
        var world = new World();
        var variable = "MLENV_TEST_SP_" + Guid.NewGuid().ToString("N");
        System.Environment.SetEnvironmentVariable(variable, "sp-secret");
        try
        {
            var definition = Repository(Repo,
                Environment("staging").BindWorkspace(Staging),
                Environment("prod").BindWorkspace(Prod).UseServicePrincipalLogin(Guid.NewGuid(), Guid.NewGuid(), SecretValue.FromEnvironmentVariable(variable)));

            var plan = await world.Planner().PlanAsync(definition);

            var note = Assert.Single(plan.Notes, n => n.EnvironmentName == "prod");
            Assert.Equal(PlanNoteSeverity.Warning, note.Severity);
            Assert.Contains("was not checked", note.Message);
            Assert.Contains("ServicePrincipalObjectIds", note.Message);
            Assert.Contains("Reader on mlw-staging", note.Message);
            Assert.DoesNotContain(world.Identities.Calls, c => c.Operation == "RoleAssignments_ListForScope");
        }
        finally
        {
            System.Environment.SetEnvironmentVariable(variable, null);
        }
    }
}
