using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using MlEnvironments.GitHub;
using MlEnvironments.Identity;
using MlEnvironments.Planning;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Azure.Tests;

/// <summary>
/// Workspace bindings end to end through both real clients: GitHub over HTTP to the GitHub emulator, Azure over
/// HTTPS to the ARM emulator.
/// </summary>
public class EndToEndBindingTests
{
    private const string Subscription = "00000000-0000-0000-0000-000000000001";
    private const string GitHubToken = "ghp_end_to_end_token";
    private const string ArmToken = "arm-end-to-end-token";
    private static readonly RepositoryId Repo = RepositoryId.Parse("Octo-Org/Credit-Risk");
    private static readonly WorkspaceId Dev = Workspace(Subscription, "rg-ml", "mlw-dev");
    private static readonly WorkspaceId Prod = Workspace(Subscription, "rg-ml", "mlw-prod");
    private static readonly UserAssignedIdentityId Deployer = ManagedIdentity(Subscription, "rg-id", "id-github-prod");

    [Fact]
    public async Task OidcAndServicePrincipalBindings_PlanApplyAndConverge_OverBothEmulators()
    {
        var githubState = new InMemoryGitHub();
        githubState.ConfigureRepository(Repo, id: 101, ownerId: 7, useImmutableSubject: true);
        var githubOptions = new GitHubEmulatorOptions();
        githubOptions.AcceptedTokens.Add(GitHubToken);
        await using var github = await GitHubEmulator.StartAsync(githubState, githubOptions);
        var armOptions = new AzureResourceManagerEmulatorOptions();
        armOptions.AcceptedTokens.Add(ArmToken);
        await using var arm = await AzureResourceManagerEmulator.StartAsync(new InMemoryAzureMachineLearning(), new InMemoryAzureIdentity(), armOptions);
        arm.MachineLearning.AddWorkspace(Dev).AddWorkspace(Prod);
        var identity = arm.Identity.AddIdentity(Deployer);
        var secretVariable = "MLENV_E2E_SP_" + Guid.NewGuid().ToString("N");
        System.Environment.SetEnvironmentVariable(secretVariable, "e2e-client-secret");
        try
        {
            var services = new ServiceCollection();
            services.AddSingleton<TokenCredential>(new FakeTokenCredential(ArmToken));
            services.AddSingleton<IGitHubTokenProvider>(new SecretTokenProvider(new DefaultSecretValueResolver(), SecretValue.FromValue(GitHubToken)));
            services.AddMlEnvironments()
                .AddGitHub(o =>
                {
                    o.BaseAddress = github.BaseAddress;
                    o.WritePause = TimeSpan.Zero;
                })
                .AddAzureMachineLearning(o =>
                {
                    o.Endpoint = arm.Endpoint;
                    o.Transport = new HttpClientTransport(arm.CreateHttpMessageHandler());
                });
            await using var provider = services.BuildServiceProvider();
            var planner = provider.GetRequiredService<IEnvironmentPlanner>();
            var applier = provider.GetRequiredService<IEnvironmentApplier>();
            var definition = Repository(Repo,
                Environment("dev").BindWorkspace(Dev).UseServicePrincipalLogin(Guid.NewGuid(), identity.TenantId, SecretValue.FromEnvironmentVariable(secretVariable)),
                Environment("Prod").BindWorkspace(Prod).UseOidcLogin(Deployer));

            var plan = await planner.PlanAsync(definition);
            var result = await applier.ApplyAsync(plan);
            var again = await planner.PlanAsync(definition);

            Assert.True(result.Succeeded, result.ToString());
            Assert.False(again.HasChanges, again.ToText());
            var credential = Assert.Single(await arm.Identity.ListFederatedIdentityCredentialsAsync(Deployer));
            Assert.Equal("repo:Octo-Org@7/Credit-Risk@101:environment:Prod", credential.Subject);
            Assert.Single(arm.Identity.RoleAssignments, a => a.PrincipalId == identity.PrincipalId && a.Scope.Equals(Prod.ResourceId, StringComparison.OrdinalIgnoreCase));
            var prod = githubState.Snapshot(Repo).FindEnvironment("Prod")!;
            Assert.Contains(prod.Variables, v => v.Name == "AZURE_CLIENT_ID" && v.Value == identity.ClientId.ToString());
            Assert.True(githubState.GetSecretValue(Repo, "dev", "AZURE_CREDENTIALS")!.TryRevealLiteral(out var credentials));
            Assert.Contains("e2e-client-secret", credentials);
            Assert.Empty(github.SchemaViolations);
            Assert.Empty(arm.UnmatchedRequests);
            Assert.DoesNotContain("e2e-client-secret", plan.ToText() + result);
        }
        finally
        {
            System.Environment.SetEnvironmentVariable(secretVariable, null);
        }
    }
}
