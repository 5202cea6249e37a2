using System;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MlEnvironments;
using MlEnvironments.Planning;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>The builder returned by <see cref="MlEnvironmentsServiceCollectionExtensions.AddMlEnvironments(IServiceCollection)"/>; providers are extension methods on it.</summary>
public interface IMlEnvironmentsBuilder
{
    /// <summary>The service collection.</summary>
    IServiceCollection Services { get; }
}

/// <summary>Registers MlEnvironments.</summary>
public static class MlEnvironmentsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the planner, the applier, the secret resolver, <see cref="TimeProvider.System"/> and the options
    /// (bound from the <c>MlEnvironments</c> configuration section when an <see cref="IConfiguration"/> is registered,
    /// validated at start), and the promotion services (<c>IModelPromoter</c>, <c>IPromotionReviewService</c>,
    /// <c>IPromotionLedger</c>). Calling it twice is harmless. Register a provider on the returned builder
    /// (<c>.UseInMemory()</c>, <c>.AddGitHub(…)</c>, <c>.AddAzureMachineLearning(…)</c>). Each provider stands alone: a
    /// host with only one of them starts under <c>ValidateOnBuild</c>, and resolving a service that needs the other
    /// throws an <see cref="InvalidOperationException"/> that names the call registering it.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The builder.</returns>
    public static IMlEnvironmentsBuilder AddMlEnvironments(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<MlEnvironmentsOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MlEnvironmentsOptions>, MlEnvironmentsOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<MlEnvironmentsOptions>, ConfigureFromConfiguration>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ISecretValueResolver>(sp => new DefaultSecretValueResolver(sp.GetService<IConfiguration>()));
        services.TryAddSingleton(sp => new WorkspaceBindingPlanner(
            sp.GetService<MlEnvironments.MachineLearning.IMachineLearningWorkspaceReader>(),
            sp.GetService<MlEnvironments.Identity.IUserAssignedIdentityReader>(),
            sp.GetService<MlEnvironments.Identity.IFederatedIdentityCredentialReader>(),
            sp.GetService<MlEnvironments.Identity.IRoleAssignmentReader>(),
            sp.GetService<MlEnvironments.GitHub.IGitHubRepositoryReader>(),
            sp.GetService<ISecretValueResolver>()));
        // The planner and the applier need a GitHub provider; resolved without one, they say which call registers it.
        services.TryAddSingleton<IEnvironmentPlanner>(sp => ProviderRequirements.Create<EnvironmentPlanner>(
            sp,
            typeof(IEnvironmentPlanner),
            typeof(MlEnvironments.GitHub.IGitHubEnvironmentReader),
            typeof(MlEnvironments.GitHub.IGitHubSecretReader),
            typeof(MlEnvironments.GitHub.IGitHubVariableReader)));
        services.TryAddSingleton<IEnvironmentApplier>(sp => ProviderRequirements.Create<EnvironmentApplier>(
            sp,
            typeof(IEnvironmentApplier),
            typeof(MlEnvironments.GitHub.IGitHubEnvironmentWriter),
            typeof(MlEnvironments.GitHub.IGitHubSecretWriter),
            typeof(MlEnvironments.GitHub.IGitHubVariableWriter),
            typeof(MlEnvironments.GitHub.IGitHubIdentityResolver)));
        services.TryAddSingleton<IRepositorySetPlanner, RepositorySetPlanner>();
        DeploymentProtectionRuleBuilderExtensions.AddPromotion(services);
        return new MlEnvironmentsBuilder(services);
    }

    /// <summary>Registers MlEnvironments (see <see cref="AddMlEnvironments(IServiceCollection)"/>) and configures its options.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the options (after configuration binding).</param>
    /// <returns>The builder.</returns>
    public static IMlEnvironmentsBuilder AddMlEnvironments(this IServiceCollection services, Action<MlEnvironmentsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var builder = services.AddMlEnvironments();
        services.Configure(configure);
        return builder;
    }

    /// <summary>Registers MlEnvironments (see <see cref="AddMlEnvironments(IServiceCollection)"/>) with options from a configuration section.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The section (for example <c>configuration.GetSection("MlEnvironments")</c>).</param>
    /// <returns>The builder.</returns>
    public static IMlEnvironmentsBuilder AddMlEnvironments(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = services.AddMlEnvironments();
        services.Configure<MlEnvironmentsOptions>(options => Bind(configuration, options));
        return builder;
    }

    internal static void Bind(IConfiguration section, MlEnvironmentsOptions options)
    {
        if (section[nameof(MlEnvironmentsOptions.UpdateSecrets)] is { } update)
        {
            options.UpdateSecrets = ParseBoolean(section, nameof(MlEnvironmentsOptions.UpdateSecrets), update);
        }

        if (section[nameof(MlEnvironmentsOptions.Prune)] is { } prune)
        {
            options.Prune = ParseBoolean(section, nameof(MlEnvironmentsOptions.Prune), prune);
        }

        if (section[nameof(MlEnvironmentsOptions.MaxRepositoryConcurrency)] is { } concurrency)
        {
            options.MaxRepositoryConcurrency = int.TryParse(concurrency, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new OptionsValidationException(nameof(MlEnvironmentsOptions), typeof(MlEnvironmentsOptions),
                    [$"{Path(section, nameof(MlEnvironmentsOptions.MaxRepositoryConcurrency))} must be a whole number; it is '{concurrency}'."]);
        }

        if (section[nameof(MlEnvironmentsOptions.WritePause)] is { } pause)
        {
            options.WritePause = TimeSpan.TryParse(pause, System.Globalization.CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new OptionsValidationException(nameof(MlEnvironmentsOptions), typeof(MlEnvironmentsOptions),
                    [$"{Path(section, nameof(MlEnvironmentsOptions.WritePause))} must be a time span such as 00:00:01; it is '{pause}'."]);
        }
    }

    private static bool ParseBoolean(IConfiguration section, string key, string text) =>
        bool.TryParse(text, out var value)
            ? value
            : throw new OptionsValidationException(nameof(MlEnvironmentsOptions), typeof(MlEnvironmentsOptions),
                [$"{Path(section, key)} must be true or false; it is '{text}'."]);

    private static string Path(IConfiguration section, string key) =>
        section is IConfigurationSection s ? s.Path + ":" + key : key;

    private sealed class MlEnvironmentsBuilder(IServiceCollection services) : IMlEnvironmentsBuilder
    {
        public IServiceCollection Services { get; } = services;
    }

    private sealed class ConfigureFromConfiguration(IConfiguration? configuration = null) : IConfigureOptions<MlEnvironmentsOptions>
    {
        public void Configure(MlEnvironmentsOptions options)
        {
            if (configuration is not null)
            {
                Bind(configuration.GetSection(MlEnvironmentsOptions.SectionName), options);
            }
        }
    }
}
