using System;
using System.Globalization;
using System.Net.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MlEnvironments;
using MlEnvironments.GitHub;
using MlEnvironments.GitHub.Http;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the GitHub implementations of the MlEnvironments service interfaces.</summary>
public static class GitHubMlEnvironmentsBuilderExtensions
{
    /// <summary>
    /// Registers the GitHub clients for every GitHub interface, with options from the <c>MlEnvironments:GitHub</c>
    /// configuration section (validated at start). The token is read on every request from where the options say
    /// (default: the <c>GITHUB_TOKEN</c> environment variable), unless an <see cref="IGitHubTokenProvider"/> is
    /// registered. Conditional requests keep their copies in memory unless an <see cref="IGitHubResponseCache"/> is
    /// registered (e.g. a <see cref="FileGitHubResponseCache"/>). Registration does no I/O.
    /// </summary>
    /// <param name="builder">The builder from <c>AddMlEnvironments()</c>.</param>
    /// <returns>The builder.</returns>
    public static IMlEnvironmentsBuilder AddGitHub(this IMlEnvironmentsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<GitHubOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GitHubOptions>, GitHubOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<GitHubOptions>, ConfigureGitHubFromConfiguration>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GitHubRequestCounters>();
        services.TryAddSingleton<IGitHubTokenProvider>(CreateTokenProvider);
        services.TryAddSingleton(sp => new GitHubConnection(
            sp.GetRequiredService<IOptions<GitHubOptions>>().Value,
            sp.GetRequiredService<IGitHubTokenProvider>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<GitHubRequestCounters>(),
            sp.GetService<ILoggerFactory>(),
            responseCache: sp.GetService<IGitHubResponseCache>()));
        services.TryAddSingleton(sp => new GitHubEnvironmentClient(sp.GetRequiredService<GitHubConnection>()));
        services.TryAddSingleton(sp => new GitHubSecretClient(sp.GetRequiredService<GitHubConnection>()));
        services.TryAddSingleton(sp => new GitHubVariableClient(sp.GetRequiredService<GitHubConnection>()));
        services.TryAddSingleton(sp => new GitHubRepositoryClient(sp.GetRequiredService<GitHubConnection>()));
        services.TryAddSingleton(sp => new GitHubDeploymentClient(sp.GetRequiredService<GitHubConnection>()));
        services.TryAddSingleton(sp => new GitHubWorkflowClient(sp.GetRequiredService<GitHubConnection>()));
        services.TryAddSingleton(sp => new GitHubDeploymentReviewClient(sp.GetRequiredService<GitHubConnection>()));
        services.TryAddSingleton(sp => new GitHubAccountClient(sp.GetRequiredService<GitHubConnection>()));
        services.TryAddSingleton<IGitHubAccountPlanReader>(sp => sp.GetRequiredService<GitHubAccountClient>());
        services.TryAddSingleton<IGitHubRepositoryLister>(sp => sp.GetRequiredService<GitHubAccountClient>());
        services.TryAddSingleton<IGitHubEnvironmentReader>(sp => sp.GetRequiredService<GitHubEnvironmentClient>());
        services.TryAddSingleton<IGitHubEnvironmentWriter>(sp => sp.GetRequiredService<GitHubEnvironmentClient>());
        services.TryAddSingleton<IGitHubProtectionRuleReader>(sp => sp.GetRequiredService<GitHubEnvironmentClient>());
        services.TryAddSingleton<IGitHubProtectionRuleWriter>(sp => sp.GetRequiredService<GitHubEnvironmentClient>());
        services.TryAddSingleton<IGitHubSecretReader>(sp => sp.GetRequiredService<GitHubSecretClient>());
        services.TryAddSingleton<IGitHubSecretWriter>(sp => sp.GetRequiredService<GitHubSecretClient>());
        services.TryAddSingleton<IGitHubVariableReader>(sp => sp.GetRequiredService<GitHubVariableClient>());
        services.TryAddSingleton<IGitHubVariableWriter>(sp => sp.GetRequiredService<GitHubVariableClient>());
        services.TryAddSingleton<IGitHubRepositoryReader>(sp => sp.GetRequiredService<GitHubRepositoryClient>());
        services.TryAddSingleton<IGitHubIdentityResolver>(sp => sp.GetRequiredService<GitHubRepositoryClient>());
        services.TryAddSingleton<IGitHubDeploymentReader>(sp => sp.GetRequiredService<GitHubDeploymentClient>());
        services.TryAddSingleton<IGitHubDeploymentWriter>(sp => sp.GetRequiredService<GitHubDeploymentClient>());
        services.TryAddSingleton<IGitHubWorkflowRunReader>(sp => sp.GetRequiredService<GitHubWorkflowClient>());
        services.TryAddSingleton<IGitHubWorkflowDispatcher>(sp => sp.GetRequiredService<GitHubWorkflowClient>());
        services.TryAddSingleton<IGitHubWorkflowFileReader>(sp => sp.GetRequiredService<GitHubWorkflowClient>());
        services.TryAddSingleton<IGitHubDeploymentReviewClient>(sp => sp.GetRequiredService<GitHubDeploymentReviewClient>());
        services.TryAddSingleton<IGitHubCustomGateReviewer>(sp => sp.GetRequiredService<GitHubDeploymentReviewClient>());
        services.TryAddSingleton(sp => new GitHubIssueClient(sp.GetRequiredService<GitHubConnection>()));
        services.TryAddSingleton<IGitHubIssues>(sp => sp.GetRequiredService<GitHubIssueClient>());
        return builder;
    }

    /// <summary>Registers the GitHub clients (see <see cref="AddGitHub(IMlEnvironmentsBuilder)"/>) and configures their options.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Configures the options (after configuration binding).</param>
    /// <returns>The builder.</returns>
    public static IMlEnvironmentsBuilder AddGitHub(this IMlEnvironmentsBuilder builder, Action<GitHubOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        builder.AddGitHub();
        builder.Services.Configure(configure);
        return builder;
    }

    /// <summary>Registers the GitHub clients with options from a configuration section.</summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configuration">The section, e.g. <c>configuration.GetSection("MlEnvironments:GitHub")</c>.</param>
    /// <returns>The builder.</returns>
    public static IMlEnvironmentsBuilder AddGitHub(this IMlEnvironmentsBuilder builder, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        builder.AddGitHub();
        builder.Services.Configure<GitHubOptions>(options => Bind(configuration, options));
        return builder;
    }

    private static IGitHubTokenProvider CreateTokenProvider(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<GitHubOptions>>().Value;
        var resolver = services.GetRequiredService<ISecretValueResolver>();
        if (options.Authentication == GitHubAuthenticationKind.App)
        {
            var key = !string.IsNullOrWhiteSpace(options.AppPrivateKeyConfigurationKey)
                ? SecretValue.FromConfiguration(options.AppPrivateKeyConfigurationKey)
                : SecretValue.FromEnvironmentVariable(options.AppPrivateKeyEnvironmentVariable!);
            var http = new HttpClient(new GitHubHeadersHandler(null, options)
            {
                InnerHandler = new GitHubRetryHandler(options, services.GetRequiredService<TimeProvider>(), services.GetRequiredService<GitHubRequestCounters>(),
                    services.GetService<ILoggerFactory>()?.CreateLogger("MlEnvironments.GitHub") ?? Logging.Abstractions.NullLogger.Instance)
                {
                    InnerHandler = new SocketsHttpHandler { AllowAutoRedirect = false },
                },
            })
            {
                BaseAddress = GitHubConnection.NormalizeBase(options.BaseAddress),
                Timeout = System.Threading.Timeout.InfiniteTimeSpan,
            };
            http.DefaultRequestHeaders.UserAgent.ParseAdd(options.ProductName);
            return new GitHubAppTokenProvider(options.AppId!.Value, options.InstallationId, key, resolver, http, services.GetRequiredService<TimeProvider>());
        }

        var sources = new System.Collections.Generic.List<SecretValue>();
        if (!string.IsNullOrWhiteSpace(options.TokenConfigurationKey))
        {
            sources.Add(SecretValue.FromConfiguration(options.TokenConfigurationKey));
        }

        if (!string.IsNullOrWhiteSpace(options.TokenEnvironmentVariable))
        {
            sources.Add(SecretValue.FromEnvironmentVariable(options.TokenEnvironmentVariable));
        }

        return new SecretTokenProvider(resolver, [.. sources]);
    }

    internal static void Bind(IConfiguration section, GitHubOptions options)
    {
        if (section[nameof(GitHubOptions.BaseAddress)] is { } address)
        {
            options.BaseAddress = Uri.TryCreate(address, UriKind.Absolute, out var uri)
                ? uri
                : throw Invalid(section, nameof(GitHubOptions.BaseAddress), address, "an absolute URL such as https://api.github.com/");
        }

        if (section[nameof(GitHubOptions.Authentication)] is { } kind)
        {
            options.Authentication = Enum.TryParse<GitHubAuthenticationKind>(kind, ignoreCase: true, out var parsed)
                ? parsed
                : throw Invalid(section, nameof(GitHubOptions.Authentication), kind, "PersonalAccessToken or App");
        }

        options.TokenEnvironmentVariable = section[nameof(GitHubOptions.TokenEnvironmentVariable)] ?? options.TokenEnvironmentVariable;
        options.TokenConfigurationKey = section[nameof(GitHubOptions.TokenConfigurationKey)] ?? options.TokenConfigurationKey;
        options.AppPrivateKeyEnvironmentVariable = section[nameof(GitHubOptions.AppPrivateKeyEnvironmentVariable)] ?? options.AppPrivateKeyEnvironmentVariable;
        options.AppPrivateKeyConfigurationKey = section[nameof(GitHubOptions.AppPrivateKeyConfigurationKey)] ?? options.AppPrivateKeyConfigurationKey;
        options.ApiVersion = section[nameof(GitHubOptions.ApiVersion)] ?? options.ApiVersion;
        options.ProductName = section[nameof(GitHubOptions.ProductName)] ?? options.ProductName;
        options.AppId = ReadLong(section, nameof(GitHubOptions.AppId)) ?? options.AppId;
        options.InstallationId = ReadLong(section, nameof(GitHubOptions.InstallationId)) ?? options.InstallationId;
        options.WritePause = ReadTimeSpan(section, nameof(GitHubOptions.WritePause)) ?? options.WritePause;
        options.MaxRetryDelay = ReadTimeSpan(section, nameof(GitHubOptions.MaxRetryDelay)) ?? options.MaxRetryDelay;
        options.RequestTimeout = ReadTimeSpan(section, nameof(GitHubOptions.RequestTimeout)) ?? options.RequestTimeout;
        if (section[nameof(GitHubOptions.MaxRetries)] is { } retries)
        {
            options.MaxRetries = int.TryParse(retries, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw Invalid(section, nameof(GitHubOptions.MaxRetries), retries, "a whole number");
        }

        if (section[nameof(GitHubOptions.SlowDownBelowRemaining)] is { } reserve)
        {
            options.SlowDownBelowRemaining = int.TryParse(reserve, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw Invalid(section, nameof(GitHubOptions.SlowDownBelowRemaining), reserve, "a whole number");
        }

        if (section[nameof(GitHubOptions.UseConditionalRequests)] is { } conditional)
        {
            options.UseConditionalRequests = bool.TryParse(conditional, out var value)
                ? value
                : throw Invalid(section, nameof(GitHubOptions.UseConditionalRequests), conditional, "true or false");
        }
    }

    private static long? ReadLong(IConfiguration section, string key) =>
        section[key] is not { } text
            ? null
            : long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : throw Invalid(section, key, text, "a whole number");

    private static TimeSpan? ReadTimeSpan(IConfiguration section, string key) =>
        section[key] is not { } text
            ? null
            : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value : throw Invalid(section, key, text, "a time span such as 00:00:01");

    private static OptionsValidationException Invalid(IConfiguration section, string key, string value, string expected) =>
        new(nameof(GitHubOptions), typeof(GitHubOptions),
            [$"{(section is IConfigurationSection s ? s.Path : GitHubOptions.SectionName)}:{key} must be {expected}; it is '{value}'."]);

    private sealed class ConfigureGitHubFromConfiguration(IConfiguration? configuration = null) : IConfigureOptions<GitHubOptions>
    {
        public void Configure(GitHubOptions options)
        {
            if (configuration is not null)
            {
                Bind(configuration.GetSection(GitHubOptions.SectionName), options);
            }
        }
    }
}
