using System;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MlEnvironments;
using MlEnvironments.Promotion;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the automatic promotion gate (a GitHub custom deployment protection rule).</summary>
public static class DeploymentProtectionRuleBuilderExtensions
{
    /// <summary>
    /// Registers <see cref="DeploymentProtectionRuleHandler"/>, configured from <c>MlEnvironments:ProtectionRule</c>
    /// (<c>WebhookSecretVariable</c> names the environment variable holding the App's webhook secret;
    /// <c>MaxDeliveryAge</c>). The handler answers GitHub through <c>IGitHubCustomGateReviewer</c>, which must use the
    /// App's installation token (<c>AddGitHub</c> with App authentication).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Sets the options (definitions, webhook secret source).</param>
    /// <returns>The builder.</returns>
    public static IMlEnvironmentsBuilder AddDeploymentProtectionRule(this IMlEnvironmentsBuilder builder, Action<DeploymentProtectionRuleOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<DeploymentProtectionRuleOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<DeploymentProtectionRuleOptions>, ConfigureProtectionRule>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DeploymentProtectionRuleOptions>, ValidateProtectionRule>());
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(sp => ProviderRequirements.Create<DeploymentProtectionRuleHandler>(
            sp,
            typeof(DeploymentProtectionRuleHandler),
            typeof(MlEnvironments.GitHub.IGitHubCustomGateReviewer),
            typeof(IModelPromoter)));
        return builder;
    }

    internal static void AddPromotion(IServiceCollection services)
    {
        // Promotion needs both providers (models in Azure, the ledger in GitHub's deployments). Factories, so that a
        // host with one provider starts under ValidateOnBuild; resolved without the other, they name its Add call.
        services.TryAddSingleton<IPromotionLedger>(sp => ProviderRequirements.Create<PromotionLedger>(
            sp,
            typeof(IPromotionLedger),
            typeof(MlEnvironments.GitHub.IGitHubDeploymentReader)));
        services.TryAddSingleton<IPromotionTimeline>(sp => ProviderRequirements.Create<PromotionLedger>(
            sp,
            typeof(IPromotionTimeline),
            typeof(MlEnvironments.GitHub.IGitHubDeploymentReader)));
        services.TryAddSingleton<IPromotionPointerReader>(sp => ProviderRequirements.Create<PromotionPointerReader>(
            sp,
            typeof(IPromotionPointerReader),
            typeof(MlEnvironments.GitHub.IGitHubDeploymentReader),
            typeof(MlEnvironments.MachineLearning.IModelVersionReader)));
        services.TryAddSingleton<IModelPromoter>(sp => ProviderRequirements.Create<ModelPromoter>(
            sp,
            typeof(IModelPromoter),
            typeof(MlEnvironments.MachineLearning.IModelVersionReader),
            typeof(MlEnvironments.MachineLearning.IModelVersionWriter),
            typeof(MlEnvironments.GitHub.IGitHubDeploymentReader),
            typeof(MlEnvironments.GitHub.IGitHubDeploymentWriter),
            typeof(MlEnvironments.GitHub.IGitHubRepositoryReader)));
        services.TryAddSingleton<IPromotionReviewService>(sp => ProviderRequirements.Create<PromotionReviewService>(
            sp,
            typeof(IPromotionReviewService),
            typeof(MlEnvironments.GitHub.IGitHubWorkflowRunReader),
            typeof(MlEnvironments.GitHub.IGitHubDeploymentReviewClient),
            typeof(IModelPromoter)));
    }

    private sealed class ConfigureProtectionRule(IConfiguration? configuration = null) : IConfigureOptions<DeploymentProtectionRuleOptions>
    {
        public void Configure(DeploymentProtectionRuleOptions options)
        {
            if (configuration?.GetSection(DeploymentProtectionRuleOptions.SectionName) is not { } section)
            {
                return;
            }

            if (section["WebhookSecretVariable"] is { Length: > 0 } variable)
            {
                options.WebhookSecret = SecretValue.FromEnvironmentVariable(variable);
            }

            if (section[nameof(DeploymentProtectionRuleOptions.MaxDeliveryAge)] is { } age)
            {
                options.MaxDeliveryAge = TimeSpan.TryParse(age, System.Globalization.CultureInfo.InvariantCulture, out var value)
                    ? value
                    : throw new OptionsValidationException(nameof(DeploymentProtectionRuleOptions), typeof(DeploymentProtectionRuleOptions),
                        [$"{section.Path}:{nameof(DeploymentProtectionRuleOptions.MaxDeliveryAge)} must be a time span such as 00:10:00; it is '{age}'."]);
            }

            if (section[nameof(DeploymentProtectionRuleOptions.MaxClockSkew)] is { } skew)
            {
                options.MaxClockSkew = TimeSpan.TryParse(skew, System.Globalization.CultureInfo.InvariantCulture, out var value)
                    ? value
                    : throw new OptionsValidationException(nameof(DeploymentProtectionRuleOptions), typeof(DeploymentProtectionRuleOptions),
                        [$"{section.Path}:{nameof(DeploymentProtectionRuleOptions.MaxClockSkew)} must be a time span such as 00:05:00; it is '{skew}'."]);
            }

            if (section[nameof(DeploymentProtectionRuleOptions.MaxBodyBytes)] is { } bytes)
            {
                options.MaxBodyBytes = int.TryParse(bytes, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
                    ? value
                    : throw new OptionsValidationException(nameof(DeploymentProtectionRuleOptions), typeof(DeploymentProtectionRuleOptions),
                        [$"{section.Path}:{nameof(DeploymentProtectionRuleOptions.MaxBodyBytes)} must be a whole number of bytes such as 1048576; it is '{bytes}'."]);
            }
        }
    }

    private sealed class ValidateProtectionRule : IValidateOptions<DeploymentProtectionRuleOptions>
    {
        public ValidateOptionsResult Validate(string? name, DeploymentProtectionRuleOptions options)
        {
            var failures = new System.Collections.Generic.List<string>();
            if (options.WebhookSecret is null)
            {
                failures.Add($"{DeploymentProtectionRuleOptions.SectionName}:WebhookSecret is required: set WebhookSecretVariable to the environment variable that holds the App's webhook secret.");
            }
            else if (options.WebhookSecret.Source == SecretSource.Existing)
            {
                failures.Add($"{DeploymentProtectionRuleOptions.SectionName}:WebhookSecret must be readable here (an environment variable, a configuration key or a literal), not 'existing'.");
            }

            if (options.MaxDeliveryAge <= TimeSpan.Zero)
            {
                failures.Add($"{DeploymentProtectionRuleOptions.SectionName}:MaxDeliveryAge must be positive; it is {options.MaxDeliveryAge}.");
            }

            if (options.MaxClockSkew < TimeSpan.Zero || options.MaxClockSkew > TimeSpan.FromHours(1))
            {
                failures.Add($"{DeploymentProtectionRuleOptions.SectionName}:MaxClockSkew must be between 00:00:00 and 01:00:00; it is {options.MaxClockSkew}.");
            }

            if (options.MaxBodyBytes is < DeploymentProtectionRuleOptions.SmallestMaxBodyBytes or > DeploymentProtectionRuleOptions.LargestMaxBodyBytes)
            {
                failures.Add($"{DeploymentProtectionRuleOptions.SectionName}:MaxBodyBytes must be between {DeploymentProtectionRuleOptions.SmallestMaxBodyBytes} and {DeploymentProtectionRuleOptions.LargestMaxBodyBytes} (GitHub's 25 MB cap); it is {options.MaxBodyBytes}.");
            }

            if (options.Definitions is null || options.Definitions.Repositories.IsEmpty)
            {
                failures.Add($"{DeploymentProtectionRuleOptions.SectionName}:Definitions is empty: the rule would reject every deployment. Load the repositories' definitions (mlenv.json).");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
