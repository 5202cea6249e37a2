using System;

namespace MlEnvironments.Cli.Infrastructure;

/// <summary>The environment variables <c>mlenv</c> reads (listed in the README). Flags win over them; they win over the definition file.</summary>
internal static class EnvironmentNames
{
    /// <summary>The GitHub token (read on every request, never printed).</summary>
    public const string GitHubToken = "GITHUB_TOKEN";

    /// <summary>The GitHub CLI's token variable, used when <see cref="GitHubToken"/> is not set.</summary>
    public const string GhToken = "GH_TOKEN";

    /// <summary>A GitHub App's private key (never printed).</summary>
    public const string GitHubAppPrivateKey = "GITHUB_APP_PRIVATE_KEY";

    /// <summary>The GitHub API root (GitHub Enterprise Server, or an emulator); flag <c>--github-url</c>.</summary>
    public const string GitHubUrl = "MLENV_GITHUB_URL";

    /// <summary>The repository, <c>owner/name</c>, instead of the definition file's; flag <c>--repository</c>.</summary>
    public const string Repository = "MLENV_REPOSITORY";

    /// <summary>The definition file; flag <c>--file</c>.</summary>
    public const string File = "MLENV_FILE";

    /// <summary>The output format; flag <c>--output</c>.</summary>
    public const string Output = "MLENV_OUTPUT";

    /// <summary><c>true</c> to run on the embedded in-memory GitHub and Azure; flag <c>--in-memory</c>.</summary>
    public const string InMemory = "MLENV_IN_MEMORY";

    /// <summary>The subscription <c>mlenv init</c> binds the scaffold's workspaces in; flag <c>--azure-subscription</c>.</summary>
    public const string AzureSubscription = "MLENV_AZURE_SUBSCRIPTION";

    /// <summary>The Azure Resource Manager endpoint (sovereign clouds, or an emulator); flag <c>--azure-arm-url</c>.</summary>
    public const string AzureArmUrl = "MLENV_AZURE_ARM_URL";

    /// <summary>
    /// For the loopback ARM emulator only: a bearer token used instead of <c>DefaultAzureCredential</c>. Refused
    /// unless the ARM endpoint is on the loopback interface.
    /// </summary>
    public const string AzureToken = "MLENV_AZURE_TOKEN";

    /// <summary>
    /// For the loopback ARM emulator only: the SHA-256 hash (hex) of the self-signed certificate to trust on the ARM
    /// endpoint. Refused unless the ARM endpoint is on the loopback interface.
    /// </summary>
    public const string AzureArmCertificate = "MLENV_AZURE_ARM_CERTIFICATE_SHA256";

    /// <summary><c>1</c> to keep no HTTP cache on disk (GitHub's conditional requests then live only as long as the process); flag <c>--no-http-cache</c>.</summary>
    public const string NoHttpCache = "MLENV_NO_HTTP_CACHE";

    /// <summary>The folder of the HTTP cache; default <c>${XDG_CACHE_HOME:-$HOME/.cache}/mlenv/http</c> (Windows: <c>%LOCALAPPDATA%\mlenv\http</c>).</summary>
    public const string HttpCacheDir = "MLENV_HTTP_CACHE_DIR";

    /// <summary>Set by CI systems: plain output, no prompts.</summary>
    public const string Ci = "CI";

    /// <summary>https://no-color.org: no colour.</summary>
    public const string NoColor = "NO_COLOR";

    /// <summary><c>1</c> to print the stack trace of an unexpected error.</summary>
    public const string Debug = "MLENV_DEBUG";

    /// <summary>Whether a variable holds a "yes" (<c>1</c>, <c>true</c>, <c>yes</c>).</summary>
    public static bool IsSet(string? value) =>
        value is not null && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("yes", StringComparison.OrdinalIgnoreCase));
}

/// <summary>Reads process environment variables (a seam for tests).</summary>
internal interface IEnvironmentReader
{
    string? Get(string name);
}

internal sealed class ProcessEnvironment : IEnvironmentReader
{
    public static ProcessEnvironment Instance { get; } = new();

    public string? Get(string name)
    {
        var value = System.Environment.GetEnvironmentVariable(name);
        return string.IsNullOrEmpty(value) ? null : value;
    }
}
