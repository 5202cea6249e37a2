using System;
using System.Collections.Generic;
using Microsoft.Extensions.Options;

namespace MlEnvironments.GitHub;

/// <summary>How the GitHub client authenticates.</summary>
public enum GitHubAuthenticationKind
{
    /// <summary>A personal access token (fine-grained or classic) or a workflow's <c>GITHUB_TOKEN</c>.</summary>
    PersonalAccessToken,

    /// <summary>A GitHub App: a JWT signed with the App's private key is exchanged for an installation token per repository.</summary>
    App,
}

/// <summary>
/// Options of the GitHub provider (configuration section <c>MlEnvironments:GitHub</c>). They hold addresses, names
/// and where credentials are found, never credentials themselves.
/// </summary>
public sealed class GitHubOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "MlEnvironments:GitHub";

    /// <summary>
    /// The API root. <value>Default <c>https://api.github.com/</c>; GitHub Enterprise Server: <c>https://HOST/api/v3/</c>.</value>
    /// </summary>
    public Uri BaseAddress { get; set; } = new("https://api.github.com/");

    /// <summary>How to authenticate. <value>Default <see cref="GitHubAuthenticationKind.PersonalAccessToken"/>.</value></summary>
    public GitHubAuthenticationKind Authentication { get; set; }

    /// <summary>The environment variable that holds the token. <value>Default <c>GITHUB_TOKEN</c>.</value></summary>
    public string? TokenEnvironmentVariable { get; set; } = "GITHUB_TOKEN";

    /// <summary>A configuration key that holds the token (checked before <see cref="TokenEnvironmentVariable"/>). <value>Default none.</value></summary>
    public string? TokenConfigurationKey { get; set; }

    /// <summary>The GitHub App's id (for <see cref="GitHubAuthenticationKind.App"/>).</summary>
    public long? AppId { get; set; }

    /// <summary>The App's installation id; <value>default none: found per repository through <c>apps/get-repo-installation</c>.</value></summary>
    public long? InstallationId { get; set; }

    /// <summary>The environment variable that holds the App's PEM private key. <value>Default <c>GITHUB_APP_PRIVATE_KEY</c>.</value></summary>
    public string? AppPrivateKeyEnvironmentVariable { get; set; } = "GITHUB_APP_PRIVATE_KEY";

    /// <summary>A configuration key that holds the App's PEM private key (checked first). <value>Default none.</value></summary>
    public string? AppPrivateKeyConfigurationKey { get; set; }

    /// <summary>
    /// The pause between two writes (GitHub asks for at least one second between mutating requests).
    /// <value>Default 1 second; 0 to 60 seconds.</value>
    /// </summary>
    public TimeSpan WritePause { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many times a request is retried after a rate limit, a 5xx or a network failure. <value>Default 5; 0 to 20.</value></summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>
    /// The longest single wait the client accepts before a retry; a rate limit that resets later fails with the reset time.
    /// <value>Default 15 minutes.</value>
    /// </summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// When GitHub reports fewer remaining requests than this, the client spreads its next requests over the time left
    /// until the limit resets instead of running into it. <value>Default 100; 0 turns it off.</value>
    /// </summary>
    public int SlowDownBelowRemaining { get; set; } = 100;

    /// <summary>Whether re-reads send <c>If-None-Match</c> so that unchanged resources answer 304 (free of rate limit). <value>Default true.</value></summary>
    public bool UseConditionalRequests { get; set; } = true;

    /// <summary>The REST API version sent as <c>X-GitHub-Api-Version</c>. <value>Default <c>2022-11-28</c>.</value></summary>
    public string ApiVersion { get; set; } = "2022-11-28";

    /// <summary>The product name in the User-Agent. <value>Default <c>MlEnvironments</c>.</value></summary>
    public string ProductName { get; set; } = "MlEnvironments";

    /// <summary>
    /// The timeout of one attempt on the wire (an idempotent request that times out is retried); waits for rate limits
    /// are not part of it. <value>Default 100 seconds.</value>
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);
}

/// <summary>Checks <see cref="GitHubOptions"/> and reports every problem at once.</summary>
internal sealed class GitHubOptionsValidator : IValidateOptions<GitHubOptions>
{
    public ValidateOptionsResult Validate(string? name, GitHubOptions options)
    {
        var errors = new List<string>();
        const string prefix = GitHubOptions.SectionName + ":";
        if (options.BaseAddress is null || !options.BaseAddress.IsAbsoluteUri ||
            (options.BaseAddress.Scheme != Uri.UriSchemeHttps && !options.BaseAddress.IsLoopback))
        {
            errors.Add($"{prefix}{nameof(options.BaseAddress)} must be an absolute https URL (http only on loopback); it is '{options.BaseAddress}'.");
        }

        if (options.Authentication == GitHubAuthenticationKind.App)
        {
            if (options.AppId is null or <= 0)
            {
                errors.Add($"{prefix}{nameof(options.AppId)} is required for App authentication (the App's numeric id).");
            }

            if (string.IsNullOrWhiteSpace(options.AppPrivateKeyEnvironmentVariable) && string.IsNullOrWhiteSpace(options.AppPrivateKeyConfigurationKey))
            {
                errors.Add($"{prefix}{nameof(options.AppPrivateKeyEnvironmentVariable)} or {nameof(options.AppPrivateKeyConfigurationKey)} must say where the App's private key is.");
            }
        }
        else if (string.IsNullOrWhiteSpace(options.TokenEnvironmentVariable) && string.IsNullOrWhiteSpace(options.TokenConfigurationKey))
        {
            errors.Add($"{prefix}{nameof(options.TokenEnvironmentVariable)} or {nameof(options.TokenConfigurationKey)} must say where the token is.");
        }

        if (options.WritePause < TimeSpan.Zero || options.WritePause > TimeSpan.FromSeconds(60))
        {
            errors.Add($"{prefix}{nameof(options.WritePause)} must be between 00:00:00 and 00:01:00; it is {options.WritePause}.");
        }

        if (options.MaxRetries is < 0 or > 20)
        {
            errors.Add($"{prefix}{nameof(options.MaxRetries)} must be between 0 and 20; it is {options.MaxRetries}.");
        }

        if (options.MaxRetryDelay <= TimeSpan.Zero || options.MaxRetryDelay > TimeSpan.FromHours(2))
        {
            errors.Add($"{prefix}{nameof(options.MaxRetryDelay)} must be positive and at most 02:00:00; it is {options.MaxRetryDelay}.");
        }

        if (options.SlowDownBelowRemaining < 0)
        {
            errors.Add($"{prefix}{nameof(options.SlowDownBelowRemaining)} must not be negative; it is {options.SlowDownBelowRemaining}.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{prefix}{nameof(options.RequestTimeout)} must be positive.");
        }

        if (string.IsNullOrWhiteSpace(options.ApiVersion) || string.IsNullOrWhiteSpace(options.ProductName))
        {
            errors.Add($"{prefix}{nameof(options.ApiVersion)} and {nameof(options.ProductName)} must not be empty.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
