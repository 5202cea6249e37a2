using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using MlEnvironments.Testing;

namespace MlEnvironments.Cli.Infrastructure;

/// <summary>
/// Where <c>mlenv</c> connects: resolved from flags, then environment variables, then defaults; with
/// <c>NoHttpCache</c>, GitHub's conditional-request copies stay in memory instead of the per-user HTTP cache on disk.
/// </summary>
internal sealed record ConnectionSettings(bool InMemory, Uri? GitHubUrl, Uri? AzureArmUrl, bool NoHttpCache = false);

/// <summary>
/// Builds the service provider a command runs on: the real GitHub and Azure providers (with the endpoints and
/// credentials the settings and environment give), or the embedded in-memory fakes seeded from the definition.
/// </summary>
internal static class ServiceFactory
{
    /// <summary>The configuration <c>mlenv</c> reads: environment variables (<c>MlEnvironments__GitHub__WritePause</c>, <c>Secrets__Name</c>, …).</summary>
    public static IConfiguration CreateConfiguration() => new ConfigurationBuilder().AddEnvironmentVariables().Build();

    /// <summary>Builds the services for a definition.</summary>
    /// <param name="definition">The definition (its bindings decide whether Azure is needed; in memory, it seeds the fakes).</param>
    /// <param name="settings">Where to connect.</param>
    /// <param name="environment">The process environment.</param>
    /// <param name="configuration">The configuration.</param>
    /// <param name="withAzure">
    /// Registers the Azure provider even when the definition binds no workspace (the promotion commands: their
    /// services need the model readers, and the promoter then says which environment lacks a binding).
    /// </param>
    /// <param name="console">Where the library's warnings (waits for rate limits, retries) are shown; none when null.</param>
    public static ServiceProvider Build(RepositoryDefinition definition, ConnectionSettings settings, IEnvironmentReader environment, IConfiguration configuration, bool withAzure = false, CliConsole? console = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(configuration);
        if (console is not null)
        {
            services.AddLogging(logging => logging.AddProvider(new ConsoleWarningLoggerProvider(console)).SetMinimumLevel(LogLevel.Warning));
        }

        var builder = services.AddMlEnvironments();
        if (settings.InMemory)
        {
            var (github, azure, identity) = Seed(definition);
            builder.UseInMemory(github, azure, identity);

            // The in-memory world needs no real secret: nothing leaves the process, so a placeholder stands in for
            // every referenced value (and the command says which).
            services.Replace(ServiceDescriptor.Singleton<ISecretValueResolver>(new PlaceholderSecretResolver()));
            return services.BuildServiceProvider();
        }

        var gitHubToken = environment.Get(EnvironmentNames.GitHubToken);
        var ghToken = environment.Get(EnvironmentNames.GhToken);
        var appAuthentication = string.Equals(configuration["MlEnvironments:GitHub:Authentication"], "App", StringComparison.OrdinalIgnoreCase);
        if (gitHubToken is null && ghToken is null && !appAuthentication)
        {
            throw new CliException(
                "No GitHub credentials: GITHUB_TOKEN is not set.",
                "set GITHUB_TOKEN (or GH_TOKEN) to a token with Administration and Environments write on the repository, or try it without credentials with --in-memory.");
        }

        if (!settings.NoHttpCache && HttpCacheDirectory(environment) is { } cacheDirectory)
        {
            // Registered before AddGitHub: the GitHub connection keeps its ETags and copies there, per API host and token.
            services.AddSingleton<GitHub.IGitHubResponseCache>(new GitHub.FileGitHubResponseCache(cacheDirectory));
        }

        builder.AddGitHub(options =>
        {
            if (settings.GitHubUrl is { } url)
            {
                options.BaseAddress = url;
            }

            if (gitHubToken is null && ghToken is not null)
            {
                options.TokenEnvironmentVariable = EnvironmentNames.GhToken;
            }
        });

        if (withAzure || definition.Environments.Any(e => e.Binding is not null))
        {
            AddAzure(builder, services, settings, environment);
        }

        return services.BuildServiceProvider();
    }

    /// <summary>
    /// The folder of the per-user HTTP cache: <c>$MLENV_HTTP_CACHE_DIR</c> when set, else
    /// <c>${XDG_CACHE_HOME:-$HOME/.cache}/mlenv/http</c> (Windows: <c>%LOCALAPPDATA%\mlenv\http</c>); none when no
    /// such folder can be named (no home), or when the variable is not an absolute path. Names it only: nothing is
    /// created until the first answer is kept.
    /// </summary>
    public static string? HttpCacheDirectory(IEnvironmentReader environment)
    {
        if (environment.Get(EnvironmentNames.HttpCacheDir) is { } configured)
        {
            return Path.IsPathFullyQualified(configured)
                ? configured
                : throw new CliException(
                    $"{EnvironmentNames.HttpCacheDir} is not an absolute path ('{configured}').",
                    $"give the cache folder as an absolute path, or unset {EnvironmentNames.HttpCacheDir} to use the default, or set {EnvironmentNames.NoHttpCache}=1 to keep no cache.");
        }

        string? root;
        if (OperatingSystem.IsWindows())
        {
            root = System.Environment.GetFolderPath(System.Environment.SpecialFolder.LocalApplicationData, System.Environment.SpecialFolderOption.DoNotVerify);
        }
        else
        {
            root = environment.Get("XDG_CACHE_HOME") is { } xdg && Path.IsPathFullyQualified(xdg)
                ? xdg
                : environment.Get("HOME") is { } home && Path.IsPathFullyQualified(home) ? Path.Combine(home, ".cache") : null;
        }

        return string.IsNullOrEmpty(root) ? null : Path.Combine(root, "mlenv", "http");
    }

    /// <summary>Builds services for commands that only read GitHub (import, remote lint): no definition needed.</summary>
    public static ServiceProvider BuildForGitHub(RepositoryId repository, ConnectionSettings settings, IEnvironmentReader environment, IConfiguration configuration, CliConsole? console = null) =>
        Build(MlEnvironment.Repository(repository), settings, environment, configuration, console: console);

    /// <summary>The in-memory fakes, seeded so that the definition can be planned and applied: the repository, its reviewers, its workspaces and identities.</summary>
    public static (InMemoryGitHub GitHub, InMemoryAzureMachineLearning Azure, InMemoryAzureIdentity Identity) Seed(RepositoryDefinition definition)
    {
        var github = new InMemoryGitHub().AddRepository(definition.Repository);
        var azure = new InMemoryAzureMachineLearning();
        var identity = new InMemoryAzureIdentity();
        var identities = new HashSet<Identity.UserAssignedIdentityId>();
        foreach (var environment in definition.Environments)
        {
            foreach (var reviewer in environment.Reviewers)
            {
                github.GrantAccess(definition.Repository, reviewer);
            }

            if (environment.Binding is { } binding)
            {
                azure.AddWorkspace(binding.Workspace);
                if (binding.Login is { Kind: WorkspaceLoginKind.Oidc } login && identities.Add(login.Identity))
                {
                    identity.AddIdentity(login.Identity);
                }
            }
        }

        return (github, azure, identity);
    }

    private static void AddAzure(IMlEnvironmentsBuilder builder, IServiceCollection services, ConnectionSettings settings, IEnvironmentReader environment)
    {
        var endpoint = settings.AzureArmUrl;
        var token = environment.Get(EnvironmentNames.AzureToken);
        var certificate = environment.Get(EnvironmentNames.AzureArmCertificate);
        if ((token is not null || certificate is not null) && !IsLoopback(endpoint))
        {
            var name = token is not null ? EnvironmentNames.AzureToken : EnvironmentNames.AzureArmCertificate;
            throw new CliException(
                $"{name} is for the loopback Azure Resource Manager emulator only, and the ARM endpoint is {endpoint?.ToString() ?? "https://management.azure.com/"}.",
                $"unset {name}: real Azure signs in through DefaultAzureCredential (az login, workload identity, managed identity, AZURE_CLIENT_ID/AZURE_TENANT_ID/AZURE_CLIENT_SECRET).");
        }

        if (token is not null)
        {
            services.AddSingleton<TokenCredential>(new StaticTokenCredential(token));
        }

        byte[]? pinned = null;
        if (certificate is not null)
        {
            try
            {
                pinned = Convert.FromHexString(certificate.Replace(":", string.Empty, StringComparison.Ordinal));
            }
            catch (FormatException e)
            {
                throw new CliException($"{EnvironmentNames.AzureArmCertificate} is not a hexadecimal SHA-256 hash.", "give the 64 hex digits of the emulator certificate's SHA-256 hash.", e);
            }

            if (pinned.Length != 32)
            {
                throw new CliException($"{EnvironmentNames.AzureArmCertificate} is not a SHA-256 hash ({pinned.Length} bytes).", "give the 64 hex digits of the emulator certificate's SHA-256 hash.");
            }
        }

        builder.AddAzureMachineLearning(options =>
        {
            if (endpoint is not null)
            {
                options.Endpoint = endpoint;
            }

            if (pinned is not null)
            {
                options.Transport = new HttpClientTransport(TrustOnly(pinned));
            }
        });
    }

    private static bool IsLoopback(Uri? endpoint) =>
        endpoint is not null && (endpoint.IsLoopback || (IPAddress.TryParse(endpoint.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address)));

    // Trusts exactly the certificate whose SHA-256 hash is given, and follows no redirect: what the emulator's own handler does.
    private static HttpClientHandler TrustOnly(byte[] sha256) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        ServerCertificateCustomValidationCallback = (_, certificate, _, _) =>
            certificate is not null && CryptographicOperations.FixedTimeEquals(certificate.GetCertHash(HashAlgorithmName.SHA256), sha256),
    };

    /// <summary>A fixed bearer token (the ARM emulator's), never printed.</summary>
    private sealed class StaticTokenCredential(string token) : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(token, DateTimeOffset.UtcNow.AddHours(1));

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new(GetToken(requestContext, cancellationToken));

        public override string ToString() => "static token (emulator)";
    }
}

/// <summary>
/// The secret resolver of the in-memory world: literals are used as they are; environment variables and
/// configuration keys are never read, a placeholder stands in for each, and <see cref="StoodInFor"/> lists them.
/// </summary>
internal sealed class PlaceholderSecretResolver : ISecretValueResolver
{
    /// <summary>The value that stands in for every referenced secret.</summary>
    public const string Placeholder = "in-memory-placeholder-secret";

    private readonly SortedSet<string> _references = new(StringComparer.Ordinal);

    /// <summary>The references a placeholder stood in for, e.g. <c>configuration key Secrets:Token</c>.</summary>
    public IReadOnlyCollection<string> StoodInFor
    {
        get
        {
            lock (_references)
            {
                return [.. _references];
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<string?> ResolveAsync(SecretValue value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        cancellationToken.ThrowIfCancellationRequested();
        string? reference = value.Source switch
        {
            SecretSource.EnvironmentVariable => "environment variable " + value.Reference,
            SecretSource.Configuration => $"configuration key {value.Reference} (environment variable {value.Reference!.Replace(":", "__", StringComparison.Ordinal)})",
            _ => null,
        };
        if (reference is null)
        {
            return new(value.TryRevealLiteral(out var literal) ? literal : null);
        }

        lock (_references)
        {
            _references.Add(reference);
        }

        return new(Placeholder);
    }
}
