using System;
using System.CommandLine;

namespace MlEnvironments.Cli.Infrastructure;

/// <summary>How a result is printed.</summary>
internal enum OutputFormat
{
    Text,
    Json,
    Markdown,
}

/// <summary>The options several commands share. Each command gets its own instances.</summary>
internal static class CommonOptions
{
    public const string DefaultFile = "mlenv.json";

    public static Option<string> File() => new("--file", "-f")
    {
        Description = $"The definition file [env: {EnvironmentNames.File}; default: {DefaultFile}].",
        HelpName = "path",
    };

    public static Option<string> Repository(string description = "The repository, owner/name, instead of the definition file's") => new("--repository", "-r")
    {
        Description = $"{description} [env: {EnvironmentNames.Repository}].",
        HelpName = "owner/name",
    };

    public static Option<string> Output()
    {
        var option = new Option<string>("--output", "-o")
        {
            Description = $"How to print the result: text, json or markdown [env: {EnvironmentNames.Output}; default: text].",
            HelpName = "format",
        };
        option.AcceptOnlyFromAmong(StringComparer.OrdinalIgnoreCase, "text", "json", "markdown");
        return option;
    }

    public static Option<bool> InMemory() => new("--in-memory")
    {
        Description = $"Run on the embedded in-memory GitHub and Azure (no credentials; nothing is kept) [env: {EnvironmentNames.InMemory}].",
    };

    public static Option<string> GitHubUrl() => new("--github-url")
    {
        Description = $"The GitHub API root, for GitHub Enterprise Server [env: {EnvironmentNames.GitHubUrl}; default: https://api.github.com/].",
        HelpName = "url",
    };

    public static Option<string> AzureArmUrl() => new("--azure-arm-url")
    {
        Description = $"The Azure Resource Manager endpoint, for sovereign clouds [env: {EnvironmentNames.AzureArmUrl}; default: https://management.azure.com/].",
        HelpName = "url",
    };

    public static Option<bool> NoHttpCache() => new("--no-http-cache")
    {
        Description = $"Keep no HTTP cache on disk: every GitHub read of this run counts against the rate limit [env: {EnvironmentNames.NoHttpCache}; cache folder: {EnvironmentNames.HttpCacheDir}].",
    };

    public static OutputFormat ParseFormat(string? value) => value?.ToUpperInvariant() switch
    {
        null or "TEXT" => OutputFormat.Text,
        "JSON" => OutputFormat.Json,
        "MARKDOWN" or "MD" => OutputFormat.Markdown,
        _ => throw new CliException($"'{value}' is not an output format.", "use text, json or markdown."),
    };
}

/// <summary>The options of commands that talk to GitHub and Azure.</summary>
internal sealed class ConnectionOptions
{
    public Option<bool> InMemory { get; } = CommonOptions.InMemory();

    public Option<string> GitHubUrl { get; } = CommonOptions.GitHubUrl();

    public Option<string> AzureArmUrl { get; } = CommonOptions.AzureArmUrl();

    public Option<bool> NoHttpCache { get; } = CommonOptions.NoHttpCache();

    public void AddTo(Command command)
    {
        command.Options.Add(InMemory);
        command.Options.Add(GitHubUrl);
        command.Options.Add(AzureArmUrl);
        command.Options.Add(NoHttpCache);
    }
}
