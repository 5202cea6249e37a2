using System;
using System.Collections.Generic;
using System.Globalization;
using Azure.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MlEnvironments.Azure;
using MlEnvironments.Azure.Http;
using MlEnvironments.Identity;
using MlEnvironments.MachineLearning;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Azure implementations of the MlEnvironments service interfaces.</summary>
public static class AzureMlEnvironmentsBuilderExtensions
{
    /// <summary>
    /// Registers the Azure clients for every Azure Machine Learning, managed identity and role assignment interface,
    /// with options from the <c>MlEnvironments:Azure</c> configuration section (validated at start). They
    /// authenticate with the registered <see cref="TokenCredential"/>, or else with <c>DefaultAzureCredential</c>,
    /// created when the first token is needed. Registration does no I/O; existing registrations win.
    /// </summary>
    /// <param name="builder">The builder from <c>AddMlEnvironments()</c>.</param>
    /// <returns>The builder.</returns>
    public static IMlEnvironmentsBuilder AddAzureMachineLearning(this IMlEnvironmentsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<AzureOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AzureOptions>, AzureOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<AzureOptions>, ConfigureAzureFromConfiguration>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new ArmConnection(
            sp.GetRequiredService<IOptions<AzureOptions>>().Value,
            sp.GetService<TokenCredential>() ?? new LazyDefaultAzureCredential(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton(sp => new AzureMachineLearningClient(sp.GetRequiredService<ArmConnection>()));
        services.TryAddSingleton(sp => new AzureMlflowClient(sp.GetRequiredService<ArmConnection>(), sp.GetRequiredService<AzureMachineLearningClient>()));
        services.TryAddSingleton(sp => new AzureManagedIdentityClient(sp.GetRequiredService<ArmConnection>()));
        services.TryAddSingleton(sp => new AzureRoleAssignmentClient(sp.GetRequiredService<ArmConnection>()));
        services.TryAddSingleton<IMachineLearningWorkspaceReader>(sp => sp.GetRequiredService<AzureMachineLearningClient>());
        services.TryAddSingleton<IMachineLearningWorkspaceLister>(sp => sp.GetRequiredService<AzureMachineLearningClient>());
        services.TryAddSingleton<IModelContainerReader>(sp => sp.GetRequiredService<AzureMachineLearningClient>());
        services.TryAddSingleton<IModelVersionReader>(sp => sp.GetRequiredService<AzureMachineLearningClient>());
        services.TryAddSingleton<IModelVersionWriter>(sp => sp.GetRequiredService<AzureMachineLearningClient>());
        services.TryAddSingleton<IModelVersionArchiver>(sp => sp.GetRequiredService<AzureMachineLearningClient>());
        services.TryAddSingleton<IRegistryModelVersionClient>(sp => sp.GetRequiredService<AzureMachineLearningClient>());
        services.TryAddSingleton<IMachineLearningJobReader>(sp => sp.GetRequiredService<AzureMachineLearningClient>());
        services.TryAddSingleton<IRunMetricsReader>(sp => sp.GetRequiredService<AzureMlflowClient>());
        services.TryAddSingleton<IUserAssignedIdentityReader>(sp => sp.GetRequiredService<AzureManagedIdentityClient>());
        services.TryAddSingleton<IFederatedIdentityCredentialReader>(sp => sp.GetRequiredService<AzureManagedIdentityClient>());
        services.TryAddSingleton<IFederatedIdentityCredentialWriter>(sp => sp.GetRequiredService<AzureManagedIdentityClient>());
        services.TryAddSingleton<IRoleAssignmentReader>(sp => sp.GetRequiredService<AzureRoleAssignmentClient>());
        services.TryAddSingleton<IRoleAssignmentWriter>(sp => sp.GetRequiredService<AzureRoleAssignmentClient>());
        return builder;
    }

    /// <summary>Registers the Azure clients (see <see cref="AddAzureMachineLearning(IMlEnvironmentsBuilder)"/>) and configures their options.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options (after configuration binding).</param>
    /// <returns>The builder.</returns>
    public static IMlEnvironmentsBuilder AddAzureMachineLearning(this IMlEnvironmentsBuilder builder, Action<AzureOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        builder.AddAzureMachineLearning();
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Registers the Azure clients with options from a configuration section.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configuration">The section, e.g. <c>configuration.GetSection("MlEnvironments:Azure")</c>.</param>
    /// <returns>The builder.</returns>
    public static IMlEnvironmentsBuilder AddAzureMachineLearning(this IMlEnvironmentsBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        builder.AddAzureMachineLearning();
        builder.Services.Configure<AzureOptions>(options => Bind(configuration, options));
        return builder;
    }

    internal static void Bind(IConfiguration section, AzureOptions options)
    {
        if (section[nameof(AzureOptions.Endpoint)] is { } endpoint)
        {
            options.Endpoint = Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)
                ? uri
                : throw Invalid(section, nameof(AzureOptions.Endpoint), endpoint, "an absolute URL such as https://management.azure.com/");
        }

        options.Audience = section[nameof(AzureOptions.Audience)] ?? options.Audience;
        options.MachineLearningApiVersion = section[nameof(AzureOptions.MachineLearningApiVersion)] ?? options.MachineLearningApiVersion;
        options.ManagedIdentityApiVersion = section[nameof(AzureOptions.ManagedIdentityApiVersion)] ?? options.ManagedIdentityApiVersion;
        options.AuthorizationApiVersion = section[nameof(AzureOptions.AuthorizationApiVersion)] ?? options.AuthorizationApiVersion;
        options.RoleAssignmentPrincipalType = section[nameof(AzureOptions.RoleAssignmentPrincipalType)] ?? options.RoleAssignmentPrincipalType;
        foreach (var child in section.GetSection(nameof(AzureOptions.ApiVersions)).GetChildren())
        {
            if (child.Value is { } version)
            {
                options.ApiVersions[child.Key] = version;
            }
        }

        foreach (var child in section.GetSection(nameof(AzureOptions.MachineLearningApiHostSuffixes)).GetChildren())
        {
            if (child.Value is { } suffix)
            {
                options.MachineLearningApiHostSuffixes.Add(suffix);
            }
        }

        if (section[nameof(AzureOptions.MaxRetries)] is { } retries)
        {
            options.MaxRetries = int.TryParse(retries, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw Invalid(section, nameof(AzureOptions.MaxRetries), retries, "a whole number");
        }

        options.RetryDelay = ReadTimeSpan(section, nameof(AzureOptions.RetryDelay)) ?? options.RetryDelay;
        options.MaxRetryDelay = ReadTimeSpan(section, nameof(AzureOptions.MaxRetryDelay)) ?? options.MaxRetryDelay;
        options.PollingInterval = ReadTimeSpan(section, nameof(AzureOptions.PollingInterval)) ?? options.PollingInterval;
        options.LongRunningOperationTimeout = ReadTimeSpan(section, nameof(AzureOptions.LongRunningOperationTimeout)) ?? options.LongRunningOperationTimeout;
        options.NetworkTimeout = ReadTimeSpan(section, nameof(AzureOptions.NetworkTimeout)) ?? options.NetworkTimeout;
    }

    private static TimeSpan? ReadTimeSpan(IConfiguration section, string key) =>
        section[key] is not { } text
            ? null
            : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value : throw Invalid(section, key, text, "a time span such as 00:00:10");

    private static OptionsValidationException Invalid(IConfiguration section, string key, string value, string expected) =>
        new(nameof(AzureOptions), typeof(AzureOptions),
            [$"{(section is IConfigurationSection s ? s.Path : AzureOptions.SectionName)}:{key} must be {expected}; it is '{value}'."]);

    private sealed class ConfigureAzureFromConfiguration(IConfiguration? configuration = null) : IConfigureOptions<AzureOptions>
    {
        public void Configure(AzureOptions options)
        {
            if (configuration is not null)
            {
                Bind(configuration.GetSection(AzureOptions.SectionName), options);
            }
        }
    }
}
