using System;
using System.Collections.Generic;

namespace MlEnvironments.Cli.Commands;

/// <summary>
/// The quickstart's definition (samples/Quickstart/Program.cs): dev → staging → prod, dev logging in with a service
/// principal's secret, staging and prod with OIDC through a managed identity each (every bound environment needs a
/// login for the generated workflow). <c>mlenv init --example</c> writes it; CI generates its workflow and checks it
/// with actionlint and action-validator.
/// </summary>
internal static class ExampleDefinition
{
    public const string Repository = "octo-org/credit-risk";

    public const string Subscription = "00000000-0000-0000-0000-000000000001";

    public static readonly Guid DevClientId = Guid.Parse("11111111-1111-1111-1111-111111111111");

    public static readonly Guid TenantId = Guid.Parse("72f988bf-86f1-41af-91ab-2d7cd011db47");

    public static Identity.UserAssignedIdentityId StagingIdentity => MlEnvironment.ManagedIdentity(Subscription, "rg-identities", "id-github-staging");

    public static Identity.UserAssignedIdentityId ProdIdentity => MlEnvironment.ManagedIdentity(Subscription, "rg-identities", "id-github-prod");

    /// <summary>The configuration keys its secrets are read from (environment variables <c>Secrets__DevServicePrincipal</c>, <c>Secrets__ModelRegistryToken</c>).</summary>
    public static IReadOnlyList<string> SecretKeys { get; } = ["Secrets:DevServicePrincipal", "Secrets:ModelRegistryToken"];

    public static RepositoryDefinition Create(RepositoryId repository) => MlEnvironment.Repository(repository,
        MlEnvironment.Environment("dev")
            .BindWorkspace(MlEnvironment.Workspace(Subscription, "rg-ml-dev", "mlw-dev"))
            .WithVariable("MODEL_NAME", "credit-risk")
            .UseServicePrincipalLogin(DevClientId, TenantId, MlEnvironment.SecretFromConfiguration(SecretKeys[0])),
        MlEnvironment.Environment("staging")
            .RequireReviewers(MlEnvironment.Team("ml-leads"))
            .AllowBranches("main", "release/*")
            .BindWorkspace(MlEnvironment.Workspace(Subscription, "rg-ml-staging", "mlw-staging"))
            .WithVariable("MODEL_NAME", "credit-risk")
            .UseOidcLogin(StagingIdentity),
        MlEnvironment.Environment("prod")
            .RequireReviewers(MlEnvironment.User("ana"), MlEnvironment.Team("ml-leads"))
            .WithWaitTimer(TimeSpan.FromMinutes(30))
            .PreventSelfReview()
            .PreventAdminsBypass()
            .AllowProtectedBranchesOnly()
            .BindWorkspace(MlEnvironment.Workspace(Subscription, "rg-ml-prod", "mlw-prod"))
            .WithVariable("MODEL_NAME", "credit-risk")
            .WithVariable("MIN_AUC", "0.85")
            .WithSecret("MODEL_REGISTRY_TOKEN", MlEnvironment.SecretFromConfiguration(SecretKeys[1]))
            .UseOidcLogin(ProdIdentity));
}
