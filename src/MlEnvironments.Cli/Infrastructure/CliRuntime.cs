using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;

namespace MlEnvironments.Cli.Infrastructure;

/// <summary>What every command runs with: the console, the environment, the configuration, and the help examples.</summary>
internal sealed class CliRuntime
{
    private IConfiguration? _configuration;

    public CliRuntime(CliConsole console, IEnvironmentReader environment)
    {
        Console = console;
        Environment = environment;
        foreach (var name in new[] { EnvironmentNames.GitHubToken, EnvironmentNames.GhToken, EnvironmentNames.AzureToken, EnvironmentNames.GitHubAppPrivateKey, "AZURE_CLIENT_SECRET" })
        {
            console.AddSecret(environment.Get(name));
        }
    }

    public CliConsole Console { get; }

    public IEnvironmentReader Environment { get; }

    /// <summary>The configuration from environment variables (MlEnvironments__…, Secrets__…).</summary>
    public IConfiguration Configuration => _configuration ??= ServiceFactory.CreateConfiguration();

    /// <summary>Examples shown at the end of each command's <c>--help</c>.</summary>
    public Dictionary<Command, string[]> Examples { get; } = [];

    /// <summary>Sets a command's action: runs it with a context, and turns any exception into an error line, a hint and an exit code.</summary>
    public void SetAction(Command command, Func<CommandContext, Task<int>> action, params string[] examples)
    {
        Examples[command] = examples;
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            try
            {
                return await action(new CommandContext(this, parseResult, cancellationToken)).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                return ErrorReporter.Report(e, Console, Environment);
            }
        });
    }
}

/// <summary>One command's invocation: its parse result, and the precedence rules (flag, then environment variable, then default).</summary>
internal sealed class CommandContext(CliRuntime runtime, ParseResult parseResult, CancellationToken cancellationToken)
{
    public CliRuntime Runtime { get; } = runtime;

    public ParseResult ParseResult { get; } = parseResult;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public CliConsole Console => Runtime.Console;

    public IEnvironmentReader Environment => Runtime.Environment;

    public T? Value<T>(Option<T> option) => ParseResult.GetValue(option);

    /// <summary>
    /// A switch from the flag when it is given (<c>--in-memory</c>, <c>--in-memory true</c> or <c>--in-memory false</c>),
    /// else the environment variable, else off: an explicit flag wins over the variable either way.
    /// </summary>
    public bool Flag(Option<bool> option, string? environmentVariable = null)
    {
        if (ParseResult.GetResult(option) is { Implicit: false })
        {
            return ParseResult.GetValue(option);
        }

        return environmentVariable is not null && EnvironmentNames.IsSet(Environment.Get(environmentVariable));
    }

    /// <summary>A string from the flag, else the environment variable, else the default.</summary>
    public string? Setting(Option<string> option, string? environmentVariable, string? fallback = null) =>
        ParseResult.GetValue(option) ?? (environmentVariable is null ? null : Environment.Get(environmentVariable)) ?? fallback;

    public string DefinitionPath(Option<string> file) => Setting(file, EnvironmentNames.File, CommonOptions.DefaultFile)!;

    public OutputFormat Format(Option<string> output) => CommonOptions.ParseFormat(Setting(output, EnvironmentNames.Output));

    public RepositoryId? Repository(Option<string> repository)
    {
        var text = Setting(repository, EnvironmentNames.Repository);
        if (text is null)
        {
            return null;
        }

        return RepositoryId.TryParse(text, out var id)
            ? id
            : throw new CliException($"'{text}' is not a repository.", "use owner/name, e.g. --repository octo-org/credit-risk.");
    }

    public ConnectionSettings Connection(ConnectionOptions options) => new(
        Flag(options.InMemory, EnvironmentNames.InMemory),
        Url(options.GitHubUrl, EnvironmentNames.GitHubUrl),
        Url(options.AzureArmUrl, EnvironmentNames.AzureArmUrl),
        NoHttpCache: Flag(options.NoHttpCache, EnvironmentNames.NoHttpCache));

    /// <summary>Reads the definition file (flag, environment variable, default), applies the repository override, and keeps its secrets' values out of every output.</summary>
    public async Task<RepositoryDefinition> LoadDefinitionAsync(Option<string> file, Option<string>? repository)
    {
        var definition = await DefinitionFile.LoadAsync(DefinitionPath(file), repository is null ? null : Repository(repository), CancellationToken).ConfigureAwait(false);
        foreach (var environment in definition.Environments)
        {
            foreach (var secret in environment.Secrets)
            {
                Redact(secret.Value);
            }

            if (environment.Binding?.Login?.ClientSecret is { } clientSecret)
            {
                Redact(clientSecret);
            }
        }

        return definition;
    }

    private void Redact(SecretValue value)
    {
        switch (value.Source)
        {
            case SecretSource.EnvironmentVariable:
                Console.AddSecret(Environment.Get(value.Reference!));
                break;
            case SecretSource.Configuration:
                Console.AddSecret(Runtime.Configuration[value.Reference!]);
                break;
            case SecretSource.Literal when value.TryRevealLiteral(out var literal):
                Console.AddSecret(literal);
                break;
        }
    }

    private Uri? Url(Option<string> option, string environmentVariable)
    {
        var text = Setting(option, environmentVariable);
        if (text is null)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new CliException($"'{text}' ({option.Name} or {environmentVariable}) is not an http(s) URL.", "give an absolute URL such as https://ghes.example.com/api/v3/.");
        }

        return uri;
    }
}
