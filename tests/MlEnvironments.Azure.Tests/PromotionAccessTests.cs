using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using MlEnvironments.Identity;
using MlEnvironments.MachineLearning;
using MlEnvironments.Planning;
using MlEnvironments.Promotion;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Azure.Tests;

/// <summary>
/// A dev → staging → prod promotion through the real Azure client against the ARM emulator enforcing role
/// assignments per principal: each promotion runs as its target environment's identity, with exactly the roles the
/// binding plan assigned; without one of them Azure refuses, and the promotion names the role, action and scope.
/// </summary>
public sealed class PromotionAccessTests : IAsyncLifetime
{
    private const string Subscription = "00000000-0000-0000-0000-000000000001";
    private static readonly RepositoryId Repo = RepositoryId.Parse("octo/fraud-detection");
    private static readonly WorkspaceId Dev = Workspace(Subscription, "rg-ml", "mlw-dev");
    private static readonly WorkspaceId Staging = Workspace(Subscription, "rg-ml", "mlw-staging");
    private static readonly WorkspaceId Prod = Workspace(Subscription, "rg-ml", "mlw-prod");
    private static readonly MachineLearningRegistryId Registry = MachineLearningRegistryId.Create(Subscription, "rg-shared", "mlr-shared");
    private static readonly UserAssignedIdentityId DevId = ManagedIdentity(Subscription, "rg-id", "id-dev");
    private static readonly UserAssignedIdentityId StagingId = ManagedIdentity(Subscription, "rg-id", "id-staging");
    private static readonly UserAssignedIdentityId ProdId = ManagedIdentity(Subscription, "rg-id", "id-prod");
    private static readonly Guid Admin = Guid.Parse("aaaaaaaa-0000-0000-0000-000000000001");

    private readonly InMemoryGitHub _github = new();
    private readonly List<ServiceProvider> _providers = [];
    private AzureResourceManagerEmulator _arm = null!;

    private static RepositoryDefinition Definition => Repository(Repo,
        Environment("dev").BindWorkspace(Dev).UseOidcLogin(DevId),
        Environment("staging").BindWorkspace(Staging).UseOidcLogin(StagingId).ShareThroughRegistry(Registry)
            .WithGates(MetricAtLeast("auc", 0.85), TrainingJobCompleted()),
        Environment("prod").BindWorkspace(Prod).UseOidcLogin(ProdId).ShareThroughRegistry(Registry)
            .WithGates(MetricAtLeast("auc", 0.85)));

    public async Task InitializeAsync()
    {
        _arm = await AzureResourceManagerEmulator.StartAsync(options: new AzureResourceManagerEmulatorOptions
        {
            EnforceRoleAssignments = true,
            LongRunningOperationPolls = 0,
        });
        _arm.MachineLearning.AddWorkspace(Dev).AddWorkspace(Staging).AddWorkspace(Prod).AddRegistry(Registry, "westeurope");
        _arm.Identity.AddIdentity(DevId);
        _arm.Identity.AddIdentity(StagingId);
        _arm.Identity.AddIdentity(ProdId);
        _arm.Identity.AddRoleAssignment("/subscriptions/" + Subscription, AzureBuiltInRoles.Owner, Admin);
        _github.AddRepository(Repo);

        // Trained in dev: the job, its metrics and the version live in dev's workspace.
        _arm.MachineLearning.AddJob(Dev, "train-1", MachineLearningJobStatus.Completed, experimentName: "fraud");
        _arm.MachineLearning.LogMetric(Dev, "train-1", "auc", 0.91);
        await _arm.MachineLearning.CreateOrUpdateModelVersionAsync(Dev, "fraud", "1", new MachineLearningModelVersionProperties
        {
            JobName = "train-1",
            ModelType = "mlflow_model",
            ModelUri = new Uri("azureml://jobs/train-1/outputs/artifacts/paths/model/"),
        });
    }

    public async Task DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        await _arm.DisposeAsync();
    }

    [Fact]
    public async Task DevToStagingToProd_SucceedsWithExactlyTheRolesThePlanAssigned()
    {
        await PlanAndApplyAsAdminAsync();
        var assigned = _arm.Identity.RoleAssignments.Where(a => a.PrincipalId != Admin).ToList();

        var staging = await PromoterFor(StagingId).PromoteAsync(new PromotionRequest(Definition, "fraud", "1", "dev", "staging"));
        var prod = await PromoterFor(ProdId).PromoteAsync(new PromotionRequest(Definition, "fraud", "1", "staging", "prod"));

        Assert.True(staging.Outcome == PromotionOutcome.Promoted, staging.Message);
        Assert.True(prod.Outcome == PromotionOutcome.Promoted, prod.Message);
        Assert.NotNull(await _arm.MachineLearning.GetModelVersionAsync(Prod, "fraud", "1"));
        Assert.NotNull(await _arm.MachineLearning.GetRegistryModelVersionAsync(Registry, "fraud", "1"));
        Assert.Equal(assigned.Count, _arm.Identity.RoleAssignments.Count(a => a.PrincipalId != Admin));
        // The one refusal: the client reads a target workspace to tell "no such version" from "no such workspace",
        // and AzureML Data Scientist may read inside a workspace but not the workspace itself (a 403 there still means it exists).
        Assert.All(_arm.Requests.Where(r => r.StatusCode == 403), r => Assert.Equal("Workspaces_Get", r.Operation));
        Assert.Empty(_arm.UnmatchedRequests);

        // Every role the plan assigned for promotions was used: an identity with no assignment is refused at once.
        var stranger = FakeTokenCredential.ForPrincipal(Guid.NewGuid());
        var refused = await Assert.ThrowsAsync<PromotionException>(() => PromoterFor(stranger).EvaluateAsync(new PromotionRequest(Definition, "fraud", "1", "dev", "staging")));
        Assert.Equal(PromotionErrors.AccessDenied, refused.Code);
    }

    public static TheoryData<string, string, string, string> Removed => new()
    {
        // Target, role removed, scope, the action Azure names.
        { "staging", AzureBuiltInRoles.Reader, "/subscriptions/" + Subscription + "/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/mlw-dev", "Microsoft.MachineLearningServices/workspaces/read" },
        { "staging", AzureBuiltInRoles.AzureMLRegistryUser, "/subscriptions/" + Subscription + "/resourceGroups/rg-shared/providers/Microsoft.MachineLearningServices/registries/mlr-shared", "Microsoft.MachineLearningServices/registries/assets/read" },
        { "prod", AzureBuiltInRoles.Reader, "/subscriptions/" + Subscription + "/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/mlw-dev", "Microsoft.MachineLearningServices/workspaces/read" },
        { "prod", AzureBuiltInRoles.AzureMLDataScientist, "/subscriptions/" + Subscription + "/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/mlw-staging", "Microsoft.MachineLearningServices/workspaces/models/versions/read" },
    };

    [Theory]
    [MemberData(nameof(Removed))]
    public async Task WithoutOneAssignedRole_ThePromotionFailsBeforeAnyWrite_NamingTheRoleTheActionAndTheScope(string target, string role, string scope, string action)
    {
        await PlanAndApplyAsAdminAsync();
        if (target == "prod")
        {
            Assert.Equal(PromotionOutcome.Promoted, (await PromoterFor(StagingId).PromoteAsync(new PromotionRequest(Definition, "fraud", "1", "dev", "staging"))).Outcome);
        }

        var identity = target == "prod" ? ProdId : StagingId;
        var principal = (await _arm.Identity.GetIdentityAsync(identity))!.PrincipalId;
        Assert.Equal(1, _arm.Identity.RemoveRoleAssignment(scope, role, principal));
        var gitHubWrites = _github.Writes.Count;
        var azureWrites = _arm.MachineLearning.Calls.Count(c => c.IsWrite);

        var error = await Assert.ThrowsAsync<PromotionException>(() => PromoterFor(identity)
            .PromoteAsync(new PromotionRequest(Definition, "fraud", "1", target == "prod" ? "staging" : "dev", target)));

        Assert.Equal(PromotionErrors.AccessDenied, error.Code);
        Assert.Contains($"with object id '{principal}' does not have authorization to perform action '{action}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"over scope '{scope}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"{AzureBuiltInRoles.NameOf(role)} ({role}) on {scope}", error.Message, StringComparison.Ordinal);
        Assert.Equal(403, Assert.IsAssignableFrom<RemoteServiceException>(error.InnerException).StatusCode);
        Assert.Equal(gitHubWrites, _github.Writes.Count);
        Assert.Equal(azureWrites, _arm.MachineLearning.Calls.Count(c => c.IsWrite));
    }

    [Fact]
    public async Task WithoutTheRightToPublish_NothingIsWrittenInAzure_AndTheRoleIsNamed()
    {
        await PlanAndApplyAsAdminAsync();
        var principal = (await _arm.Identity.GetIdentityAsync(StagingId))!.PrincipalId;
        Assert.Equal(1, _arm.Identity.RemoveRoleAssignment(Dev.ResourceId, AzureBuiltInRoles.AzureMLDataScientist, principal));

        var error = await Assert.ThrowsAsync<PromotionException>(() => PromoterFor(StagingId)
            .PromoteAsync(new PromotionRequest(Definition, "fraud", "1", "dev", "staging")));

        Assert.Equal(PromotionErrors.AccessDenied, error.Code);
        Assert.Contains("'Microsoft.MachineLearningServices/workspaces/models/versions/publish/action'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"AzureML Data Scientist ({AzureBuiltInRoles.AzureMLDataScientist}) on {Dev.ResourceId}", error.Message, StringComparison.Ordinal);
        Assert.Null(await _arm.MachineLearning.GetRegistryModelVersionAsync(Registry, "fraud", "1"));
        Assert.Null(await _arm.MachineLearning.GetModelVersionAsync(Staging, "fraud", "1"));
    }

    private async Task PlanAndApplyAsAdminAsync()
    {
        var admin = Provider(FakeTokenCredential.ForPrincipal(Admin));
        var planner = new EnvironmentPlanner(_github, _github, _github, identities: _github,
            bindings: new WorkspaceBindingPlanner(admin.GetRequiredService<IMachineLearningWorkspaceReader>(), admin.GetRequiredService<IUserAssignedIdentityReader>(),
                admin.GetRequiredService<IFederatedIdentityCredentialReader>(), admin.GetRequiredService<IRoleAssignmentReader>(), _github));
        var applier = new EnvironmentApplier(_github, _github, _github, _github,
            credentials: admin.GetRequiredService<IFederatedIdentityCredentialWriter>(), roles: admin.GetRequiredService<IRoleAssignmentWriter>());
        var result = await applier.ApplyAsync(await planner.PlanAsync(Definition));
        Assert.True(result.Succeeded, result.ToString());
        Assert.False((await planner.PlanAsync(Definition)).HasChanges);
    }

    private ModelPromoter PromoterFor(UserAssignedIdentityId identity) =>
        PromoterFor(FakeTokenCredential.ForPrincipal(_arm.Identity.GetIdentityAsync(identity).GetAwaiter().GetResult()!.PrincipalId));

    private ModelPromoter PromoterFor(FakeTokenCredential credential)
    {
        var azure = Provider(credential);
        return new ModelPromoter(azure.GetRequiredService<IModelVersionReader>(), azure.GetRequiredService<IModelVersionWriter>(), _github, _github, _github,
            azure.GetRequiredService<IRunMetricsReader>(), azure.GetRequiredService<IMachineLearningJobReader>(), azure.GetRequiredService<IRegistryModelVersionClient>());
    }

    private ServiceProvider Provider(TokenCredential credential)
    {
        var services = new ServiceCollection();
        services.AddSingleton(credential);
        services.AddMlEnvironments().AddAzureMachineLearning(o =>
        {
            o.Endpoint = _arm.Endpoint;
            o.Transport = new HttpClientTransport(_arm.CreateHttpMessageHandler());
        });
        var provider = services.BuildServiceProvider();
        _providers.Add(provider);
        return provider;
    }
}
