using System;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MlEnvironments.GitHub;
using MlEnvironments.MachineLearning;
using MlEnvironments.Testing;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the in-memory fakes as the GitHub and Azure services.</summary>
public static class InMemoryMlEnvironmentsBuilderExtensions
{
    /// <summary>Registers a new <see cref="InMemoryGitHub"/> and <see cref="InMemoryAzureMachineLearning"/> for every service interface.</summary>
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
        var github = new InMemoryGitHub();
        var azure = new InMemoryAzureMachineLearning();
        seed(github, azure);
        return builder.UseInMemory(github, azure);
    }

    /// <summary>Registers the given fakes (so that a test can seed and inspect them).</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="github">The GitHub fake; a new one when <see langword="null"/>.</param>
    /// <param name="azure">The Azure fake; a new one when <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    public static IMlEnvironmentsBuilder UseInMemory(this IMlEnvironmentsBuilder builder, InMemoryGitHub? github, InMemoryAzureMachineLearning? azure = null)
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

        services.TryAddSingleton(azure ?? new InMemoryAzureMachineLearning());
        services.TryAddSingleton<IGitHubEnvironmentReader>(sp => sp.GetRequiredService<InMemoryGitHub>());
        services.TryAddSingleton<IGitHubEnvironmentWriter>(sp => sp.GetRequiredService<InMemoryGitHub>());
        services.TryAddSingleton<IGitHubSecretReader>(sp => sp.GetRequiredService<InMemoryGitHub>());
        services.TryAddSingleton<IGitHubSecretWriter>(sp => sp.GetRequiredService<InMemoryGitHub>());
        services.TryAddSingleton<IGitHubVariableReader>(sp => sp.GetRequiredService<InMemoryGitHub>());
        services.TryAddSingleton<IGitHubVariableWriter>(sp => sp.GetRequiredService<InMemoryGitHub>());
        services.TryAddSingleton<IGitHubIdentityResolver>(sp => sp.GetRequiredService<InMemoryGitHub>());
        services.TryAddSingleton<IGitHubRepositoryReader>(sp => sp.GetRequiredService<InMemoryGitHub>());
        services.TryAddSingleton<IGitHubProtectionRuleReader>(sp => sp.GetRequiredService<InMemoryGitHub>());
        services.TryAddSingleton<IGitHubProtectionRuleWriter>(sp => sp.GetRequiredService<InMemoryGitHub>());
        services.TryAddSingleton<IMachineLearningWorkspaceReader>(sp => sp.GetRequiredService<InMemoryAzureMachineLearning>());
        services.TryAddSingleton<IModelVersionReader>(sp => sp.GetRequiredService<InMemoryAzureMachineLearning>());
        services.TryAddSingleton<IModelVersionWriter>(sp => sp.GetRequiredService<InMemoryAzureMachineLearning>());
        return builder;
    }
}
