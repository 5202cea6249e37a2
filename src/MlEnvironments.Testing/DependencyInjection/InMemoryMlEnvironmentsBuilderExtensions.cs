using System;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MlEnvironments.GitHub;
using MlEnvironments.Identity;
using MlEnvironments.MachineLearning;
using MlEnvironments.Testing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the in-memory fakes as the GitHub and Azure services.</summary>
public static class InMemoryMlEnvironmentsBuilderExtensions
{
    /// <summary>
    /// Registers a new <see cref="InMemoryGitHub"/>, <see cref="InMemoryAzureMachineLearning"/> and
    /// <see cref="InMemoryAzureIdentity"/> for every service interface.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <returns>The builder.</returns>
    public static IMlEnvironmentsBuilder UseInMemory(this IMlEnvironmentsBuilder builder) => builder.UseInMemory(null, null);

    /// <summary>Registers new fakes after seeding them with <paramref name="seed"/> (the seed runs now, during registration, and does no I/O).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="seed">Seeds the fakes (repositories, users, teams, workspaces).</param>
    /// <returns>The builder.</returns>
    public static IMlEnvironmentsBuilder UseInMemory(this IMlEnvironmentsBuilder builder, Action<InMemoryGitHub, InMemoryAzureMachineLearning> seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        return builder.UseInMemory((github, azure, _) => seed(github, azure));
    }

    /// <summary>Registers new fakes after seeding them with <paramref name="seed"/>, identities and role assignments included.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="seed">Seeds the fakes (repositories, users, teams, workspaces, identities, role assignments).</param>
    /// <returns>The builder.</returns>
    public static IMlEnvironmentsBuilder UseInMemory(this IMlEnvironmentsBuilder builder, Action<InMemoryGitHub, InMemoryAzureMachineLearning, InMemoryAzureIdentity> seed)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var github = new InMemoryGitHub();
        var azure = new InMemoryAzureMachineLearning();
        var identity = new InMemoryAzureIdentity();
        seed(github, azure, identity);
        return builder.UseInMemory(github, azure, identity);
    }

    /// <summary>Registers the given fakes (so that a test can seed and inspect them); existing registrations win.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="github">The GitHub fake; a new one when <see langword="null"/>.</param>
    /// <param name="azure">The Azure Machine Learning fake; a new one when <see langword="null"/>.</param>
    /// <param name="identity">The identity and role-assignment fake; a new one when <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    public static IMlEnvironmentsBuilder UseInMemory(this IMlEnvironmentsBuilder builder, InMemoryGitHub? github, InMemoryAzureMachineLearning? azure = null, InMemoryAzureIdentity? identity = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (github is null)
        {
            services.TryAddSingleton(sp => new InMemoryGitHub(sp.GetService<TimeProvider>()));
        }
        else
        {
            services.TryAddSingleton(github);
        }

        if (azure is null)
        {
            services.TryAddSingleton(sp => new InMemoryAzureMachineLearning(sp.GetService<TimeProvider>()));
        }
        else
        {
            services.TryAddSingleton(azure);
        }

        services.TryAddSingleton(identity ?? new InMemoryAzureIdentity());
        services.TryAddSingleton<IGitHubEnvironmentReader>(sp => sp.GetRequiredService<InMemoryGitHub>());
        services.TryAddSingleton<IGitHubEnvironmentWriter>(sp => sp.GetRequiredService<InMemoryGitHub>());
        services.TryAddSingleton<IGitHubSecretReader>(sp => sp.GetRequiredService<InMemoryGitHub>());
        services.TryAddSingleton<IGitHubSecretWriter>(sp => sp.GetRequiredService<InMemoryGitHub>());
        services.TryAddSingleton<IGitHubVariableReader>(sp => sp.GetRequiredService<InMemoryGitHub>());
        services.TryAddSingleton<IGitHubVariableWriter>(sp => sp.GetRequiredService<InMemoryGitHub>());
        services.TryAddSingleton<IGitHubIdentityResolver>(sp => sp.GetRequiredService<InMemoryGitHub>());
        services.TryAddSingleton<IGitHubRepositoryReader>(sp => sp.GetRequiredService<InMemoryGitHub>());
        services.TryAddSingleton<IGitHubProtectionRuleReader>(sp => sp.GetRequiredService<InMemoryGitHub>());
        services.TryAddSingleton<IGitHubAccountPlanReader>(sp => sp.GetRequiredService<InMemoryGitHub>());
        services.TryAddSingleton<IGitHubRepositoryLister>(sp => sp.GetRequiredService<InMemoryGitHub>());
        services.TryAddSingleton<IGitHubProtectionRuleWriter>(sp => sp.GetRequiredService<InMemoryGitHub>());
        services.TryAddSingleton<IGitHubDeploymentReader>(sp => sp.GetRequiredService<InMemoryGitHub>());
        services.TryAddSingleton<IGitHubDeploymentWriter>(sp => sp.GetRequiredService<InMemoryGitHub>());
        services.TryAddSingleton<IGitHubWorkflowRunReader>(sp => sp.GetRequiredService<InMemoryGitHub>());
        services.TryAddSingleton<IGitHubWorkflowDispatcher>(sp => sp.GetRequiredService<InMemoryGitHub>());
        services.TryAddSingleton<IGitHubDeploymentReviewClient>(sp => sp.GetRequiredService<InMemoryGitHub>());
        services.TryAddSingleton<IGitHubCustomGateReviewer>(sp => sp.GetRequiredService<InMemoryGitHub>());
        services.TryAddSingleton<IGitHubWorkflowFileReader>(sp => sp.GetRequiredService<InMemoryGitHub>());
        services.TryAddSingleton<IGitHubIssues>(sp => sp.GetRequiredService<InMemoryGitHub>());
        services.TryAddSingleton<IMachineLearningWorkspaceReader>(sp => sp.GetRequiredService<InMemoryAzureMachineLearning>());
        services.TryAddSingleton<IMachineLearningWorkspaceLister>(sp => sp.GetRequiredService<InMemoryAzureMachineLearning>());
        services.TryAddSingleton<IModelContainerReader>(sp => sp.GetRequiredService<InMemoryAzureMachineLearning>());
        services.TryAddSingleton<IModelVersionReader>(sp => sp.GetRequiredService<InMemoryAzureMachineLearning>());
        services.TryAddSingleton<IModelVersionWriter>(sp => sp.GetRequiredService<InMemoryAzureMachineLearning>());
        services.TryAddSingleton<IModelVersionArchiver>(sp => sp.GetRequiredService<InMemoryAzureMachineLearning>());
        services.TryAddSingleton<IRegistryModelVersionClient>(sp => sp.GetRequiredService<InMemoryAzureMachineLearning>());
        services.TryAddSingleton<IMachineLearningJobReader>(sp => sp.GetRequiredService<InMemoryAzureMachineLearning>());
        services.TryAddSingleton<IRunMetricsReader>(sp => sp.GetRequiredService<InMemoryAzureMachineLearning>());
        services.TryAddSingleton<IUserAssignedIdentityReader>(sp => sp.GetRequiredService<InMemoryAzureIdentity>());
        services.TryAddSingleton<IFederatedIdentityCredentialReader>(sp => sp.GetRequiredService<InMemoryAzureIdentity>());
        services.TryAddSingleton<IFederatedIdentityCredentialWriter>(sp => sp.GetRequiredService<InMemoryAzureIdentity>());
        services.TryAddSingleton<IRoleAssignmentReader>(sp => sp.GetRequiredService<InMemoryAzureIdentity>());
        services.TryAddSingleton<IRoleAssignmentWriter>(sp => sp.GetRequiredService<InMemoryAzureIdentity>());
        return builder;
    }
}
