using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Options;

namespace MlEnvironments.Azure;

/// <summary>
/// Options of the Azure provider (configuration section <c>MlEnvironments:Azure</c>): where Azure Resource Manager
/// is, which api-version each resource type is called with, and how patient the client is. They never hold
/// credentials: the client authenticates with the registered <see cref="global::Azure.Core.TokenCredential"/>, or
/// with <c>DefaultAzureCredential</c> when none is registered.
/// </summary>
public sealed class AzureOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "MlEnvironments:Azure";

    /// <summary>The default api-version of <c>Microsoft.MachineLearningServices</c>.</summary>
    public const string DefaultMachineLearningApiVersion = "2025-12-01";

    /// <summary>The default api-version of <c>Microsoft.ManagedIdentity</c>.</summary>
    public const string DefaultManagedIdentityApiVersion = "2024-11-30";

    /// <summary>The default api-version of <c>Microsoft.Authorization</c> role assignments.</summary>
    public const string DefaultAuthorizationApiVersion = "2022-04-01";

    /// <summary>
    /// The Azure Resource Manager endpoint. <value>Default <c>https://management.azure.com/</c>; China
    /// <c>https://management.chinacloudapi.cn/</c>; US Government <c>https://management.usgovcloudapi.net/</c>.</value>
    /// </summary>
    public Uri Endpoint { get; set; } = new("https://management.azure.com/");

    /// <summary>
    /// The token audience; the client asks for the scope <c>{Audience}/.default</c>.
    /// <value>Default <see langword="null"/>: the <see cref="Endpoint"/> without its trailing slash.</value>
    /// </summary>
    public string? Audience { get; set; }

    /// <summary>The api-version of <c>Microsoft.MachineLearningServices</c> resource types without an entry in <see cref="ApiVersions"/>. <value>Default <c>2025-12-01</c>.</value></summary>
    public string MachineLearningApiVersion { get; set; } = DefaultMachineLearningApiVersion;

    /// <summary>The api-version of <c>Microsoft.ManagedIdentity</c> resource types without an entry in <see cref="ApiVersions"/>. <value>Default <c>2024-11-30</c>.</value></summary>
    public string ManagedIdentityApiVersion { get; set; } = DefaultManagedIdentityApiVersion;

    /// <summary>The api-version of <c>Microsoft.Authorization/roleAssignments</c> without an entry in <see cref="ApiVersions"/>. <value>Default <c>2022-04-01</c>.</value></summary>
    public string AuthorizationApiVersion { get; set; } = DefaultAuthorizationApiVersion;

    /// <summary>
    /// The api-version per resource type, for clouds or regions that lag behind, e.g.
    /// <c>["Microsoft.MachineLearningServices/registries/models/versions"] = "2025-09-01"</c> (keys without regard
    /// to case). Resource types used: <c>Microsoft.MachineLearningServices/workspaces</c>, <c>…/workspaces/models</c>,
    /// <c>…/workspaces/models/versions</c>, <c>…/workspaces/jobs</c>, <c>…/registries/models/versions</c>,
    /// <c>Microsoft.ManagedIdentity/userAssignedIdentities</c>, <c>…/userAssignedIdentities/federatedIdentityCredentials</c>
    /// and <c>Microsoft.Authorization/roleAssignments</c>. <value>Default empty.</value>
    /// </summary>
    public IDictionary<string, string> ApiVersions { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>How many times a request is retried after a throttle (429), a 408/5xx or a network failure. <value>Default 3; 0 to 10.</value></summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first back-off when the service gives no <c>Retry-After</c>; it doubles with each retry. <value>Default 0.8 seconds.</value></summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(0.8);

    /// <summary>
    /// The longest single wait the client accepts: a <c>Retry-After</c> longer than this fails at once with the
    /// service's answer instead of stalling a workflow, and back-offs are capped to it. <value>Default 1 minute.</value>
    /// </summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The longest wait between two polls of a long-running operation when the service gives no <c>Retry-After</c>
    /// (a <c>Retry-After</c> is followed as given). Without one, the client polls as Azure.Core does for Azure Resource
    /// Manager operations: after 1, 1, 1, 2, 4, 8, 16, then every 32 seconds — capped to this. <value>Default 32 seconds.</value>
    /// </summary>
    public TimeSpan PollingInterval { get; set; } = TimeSpan.FromSeconds(32);

    /// <summary>
    /// How long the client waits for a long-running operation before it gives up (the service's
    /// <c>x-ms-async-operation-timeout</c> wins when it is shorter). <value>Default 1 hour.</value>
    /// </summary>
    public TimeSpan LongRunningOperationTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The timeout of one request on the network. <value>Default 100 seconds.</value></summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>
    /// The host suffixes of the Azure Machine Learning regional APIs of this cloud, where MLflow calls (which carry the
    /// Azure Resource Manager token) may go: a workspace's <c>mlFlowTrackingUri</c> must name an https host ending with
    /// one of them after at least one label (<c>westeurope.api.azureml.ms</c>), on the default port — or the
    /// <see cref="Endpoint"/>'s own host and port. Any other host is refused before a token is sent. <value>Default
    /// empty: derived from <see cref="Endpoint"/> — <c>api.azureml.ms</c> for <c>management.azure.com</c>,
    /// <c>api.ml.azure.cn</c> for <c>management.chinacloudapi.cn</c>, <c>api.ml.azure.us</c> for
    /// <c>management.usgovcloudapi.net</c>, none for other endpoints.</value> Set it for sovereign or private clouds;
    /// entries replace the derived suffix.
    /// </summary>
    public IList<string> MachineLearningApiHostSuffixes { get; } = new List<string>();

    /// <summary>
    /// The <c>principalType</c> sent with role assignments: <c>ServicePrincipal</c> suits managed identities and
    /// avoids failures while a new principal replicates. <value>Default <c>ServicePrincipal</c>.</value>
    /// </summary>
    public string RoleAssignmentPrincipalType { get; set; } = "ServicePrincipal";

    /// <summary>
    /// The HTTP transport; <value>default <see langword="null"/>: Azure.Core's own.</value> Tests give one that
    /// reaches a loopback emulator, e.g. <c>new HttpClientTransport(emulator.CreateHttpMessageHandler())</c>.
    /// Not bound from configuration.
    /// </summary>
    public HttpPipelineTransport? Transport { get; set; }

    /// <summary>The token scope: <c>{Audience}/.default</c>.</summary>
    /// <returns>The scope.</returns>
    public string GetTokenScope() => (Audience ?? Endpoint.AbsoluteUri).TrimEnd('/') + "/.default";

    /// <summary>
    /// The Azure Machine Learning API host suffixes in force: <see cref="MachineLearningApiHostSuffixes"/> when set,
    /// else those of the cloud the <see cref="Endpoint"/> belongs to.
    /// </summary>
    /// <returns>The suffixes, lower case, without a leading dot; empty when none apply.</returns>
    public IReadOnlyList<string> GetMachineLearningApiHostSuffixes()
    {
        if (MachineLearningApiHostSuffixes.Count > 0)
        {
            return [.. MachineLearningApiHostSuffixes.Select(s => s.Trim().ToLowerInvariant())];
        }

        return Endpoint?.IsAbsoluteUri == true ? Endpoint.Host.ToLowerInvariant() switch
        {
            "management.azure.com" => ["api.azureml.ms"],
            "management.chinacloudapi.cn" => ["api.ml.azure.cn"],
            "management.usgovcloudapi.net" => ["api.ml.azure.us"],
            _ => [],
        } : [];
    }

    /// <summary>The api-version a resource type is called with: its <see cref="ApiVersions"/> entry, else its provider's.</summary>
    /// <param name="resourceType">The resource type, e.g. <c>Microsoft.MachineLearningServices/workspaces/models/versions</c>.</param>
    /// <returns>The api-version.</returns>
    public string GetApiVersion(string resourceType)
    {
        ArgumentNullException.ThrowIfNull(resourceType);
        if (ApiVersions.TryGetValue(resourceType, out var version) && !string.IsNullOrWhiteSpace(version))
        {
            return version;
        }

        var slash = resourceType.IndexOf('/', StringComparison.Ordinal);
        var provider = slash < 0 ? resourceType : resourceType[..slash];
        return provider.ToUpperInvariant() switch
        {
            "MICROSOFT.MACHINELEARNINGSERVICES" => MachineLearningApiVersion,
            "MICROSOFT.MANAGEDIDENTITY" => ManagedIdentityApiVersion,
            "MICROSOFT.AUTHORIZATION" => AuthorizationApiVersion,
            _ => throw new ArgumentException($"The Azure provider does not call resource type '{resourceType}'.", nameof(resourceType)),
        };
    }
}

/// <summary>Checks <see cref="AzureOptions"/> and reports every problem at once.</summary>
internal sealed partial class AzureOptionsValidator : IValidateOptions<AzureOptions>
{
    public ValidateOptionsResult Validate(string? name, AzureOptions options)
    {
        var errors = new List<string>();
        const string prefix = AzureOptions.SectionName + ":";
        if (options.Endpoint is null || !options.Endpoint.IsAbsoluteUri || options.Endpoint.Scheme != Uri.UriSchemeHttps ||
            !string.IsNullOrEmpty(options.Endpoint.Query) || !string.IsNullOrEmpty(options.Endpoint.Fragment))
        {
            errors.Add($"{prefix}{nameof(options.Endpoint)} must be an absolute https URL without query, such as https://management.azure.com/ (bearer tokens are never sent over plain http); it is '{options.Endpoint}'.");
        }

        if (options.Audience is not null && (!Uri.TryCreate(options.Audience, UriKind.Absolute, out var audience) || audience.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"{prefix}{nameof(options.Audience)} must be an absolute https URL such as https://management.azure.com; it is '{options.Audience}'.");
        }

        CheckVersion(errors, prefix + nameof(options.MachineLearningApiVersion), options.MachineLearningApiVersion);
        CheckVersion(errors, prefix + nameof(options.ManagedIdentityApiVersion), options.ManagedIdentityApiVersion);
        CheckVersion(errors, prefix + nameof(options.AuthorizationApiVersion), options.AuthorizationApiVersion);
        foreach (var pair in options.ApiVersions)
        {
            if (!IsKnownProvider(pair.Key))
            {
                errors.Add($"{prefix}{nameof(options.ApiVersions)}:{pair.Key} names no resource type of Microsoft.MachineLearningServices, Microsoft.ManagedIdentity or Microsoft.Authorization.");
            }

            CheckVersion(errors, $"{prefix}{nameof(options.ApiVersions)}:{pair.Key}", pair.Value);
        }

        if (options.MaxRetries is < 0 or > 10)
        {
            errors.Add($"{prefix}{nameof(options.MaxRetries)} must be between 0 and 10; it is {options.MaxRetries}.");
        }

        CheckDuration(errors, prefix + nameof(options.RetryDelay), options.RetryDelay, TimeSpan.FromMinutes(10));
        CheckDuration(errors, prefix + nameof(options.MaxRetryDelay), options.MaxRetryDelay, TimeSpan.FromHours(1));
        CheckDuration(errors, prefix + nameof(options.PollingInterval), options.PollingInterval, TimeSpan.FromMinutes(10));
        CheckDuration(errors, prefix + nameof(options.LongRunningOperationTimeout), options.LongRunningOperationTimeout, TimeSpan.FromDays(1));
        CheckDuration(errors, prefix + nameof(options.NetworkTimeout), options.NetworkTimeout, TimeSpan.FromMinutes(30));
        if (options.RetryDelay > options.MaxRetryDelay)
        {
            errors.Add($"{prefix}{nameof(options.RetryDelay)} ({options.RetryDelay}) must not be longer than {nameof(options.MaxRetryDelay)} ({options.MaxRetryDelay}).");
        }

        for (var i = 0; i < options.MachineLearningApiHostSuffixes.Count; i++)
        {
            var suffix = options.MachineLearningApiHostSuffixes[i];
            if (suffix is null || !HostSuffixPattern().IsMatch(suffix.Trim()))
            {
                errors.Add($"{prefix}{nameof(options.MachineLearningApiHostSuffixes)}:{i} must be a DNS name of at least two labels such as api.azureml.ms (no scheme, port, path or wildcard); it is '{suffix}'.");
            }
        }

        if (string.IsNullOrWhiteSpace(options.RoleAssignmentPrincipalType))
        {
            errors.Add($"{prefix}{nameof(options.RoleAssignmentPrincipalType)} must not be empty (ServicePrincipal, User, Group, …).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsKnownProvider(string resourceType) =>
        resourceType.StartsWith("Microsoft.MachineLearningServices/", StringComparison.OrdinalIgnoreCase) ||
        resourceType.StartsWith("Microsoft.ManagedIdentity/", StringComparison.OrdinalIgnoreCase) ||
        resourceType.StartsWith("Microsoft.Authorization/", StringComparison.OrdinalIgnoreCase);

    private static void CheckVersion(List<string> errors, string key, string? version)
    {
        if (version is null || !ApiVersionPattern().IsMatch(version))
        {
            errors.Add($"{key} must be an api-version such as 2025-12-01 or 2025-07-01-preview; it is '{version}'.");
        }
    }

    private static void CheckDuration(List<string> errors, string key, TimeSpan value, TimeSpan max)
    {
        if (value <= TimeSpan.Zero || value > max)
        {
            errors.Add(string.Format(CultureInfo.InvariantCulture, "{0} must be positive and at most {1}; it is {2}.", key, max, value));
        }
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(-preview)?$", RegexOptions.CultureInvariant)]
    private static partial Regex ApiVersionPattern();

    [GeneratedRegex(@"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex HostSuffixPattern();
}
