using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using MlEnvironments.Cli.Infrastructure;
using MlEnvironments.GitHub;
using MlEnvironments.Planning;

namespace MlEnvironments.Cli.Commands;

/// <summary><c>mlenv init</c>: writes a first <c>mlenv.json</c> (a scaffold, the quickstart's example, or what the repository has).</summary>
internal static class InitCommand
{
    private static readonly string[] DefaultEnvironments = ["dev", "staging", "prod"];

    public static Command Create(CliRuntime runtime)
    {
        var file = CommonOptions.File();
        var repository = CommonOptions.Repository($"The repository the definition is for, owner/name (required, except with --example: {ExampleDefinition.Repository})");
        var import = new Option<bool>("--import") { Description = "Read the repository's current environments (protection rules, branch policies, variables, secret names, workspace bindings) through the API and write them." };
        var example = new Option<bool>("--example") { Description = "Write the quickstart's example instead: dev (service principal) → staging (OIDC) → prod (OIDC), as samples/Quickstart defines it." };
        var environments = new Option<string>("--environments")
        {
            Description = "The environments of the scaffold, in promotion order, comma-separated [default: dev,staging,prod].",
            HelpName = "names",
        };
        var subscription = new Option<string>("--azure-subscription")
        {
            Description = $"Bind each scaffold environment to workspace mlw-<name> in resource group rg-ml of this subscription, logging in with OIDC through managed identity id-github-<name> in the same group [env: {EnvironmentNames.AzureSubscription}].",
            HelpName = "guid",
        };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing file." };
        var connection = new ConnectionOptions();
        var command = new Command("init", "Write a first definition file: a dev → staging → prod scaffold, the quickstart's example (--example), or the repository's current environments (--import).")
        {
            file, repository, import, example, environments, subscription, force,
        };
        connection.AddTo(command);
        runtime.SetAction(command, async context =>
        {
            var path = context.DefinitionPath(file);
            var repositoryId = context.Repository(repository)
                ?? (context.Flag(example) ? RepositoryId.Parse(ExampleDefinition.Repository) : (RepositoryId?)null)
                ?? throw new CliException("init needs the repository the definition is for.", $"pass --repository owner/name (or set {EnvironmentNames.Repository}); --example alone writes the quickstart's definition for {ExampleDefinition.Repository}.");
            if (context.Flag(import) && context.Flag(example))
            {
                throw new CliException("--import and --example cannot be used together.", "choose one: --import reads the repository, --example writes the quickstart's definition.");
            }

            if (File.Exists(path) && !context.Flag(force))
            {
                throw new CliException($"{path} already exists.", "pass --force to overwrite it, or --file to write another file.");
            }

            RepositoryDefinition definition;
            if (context.Flag(import))
            {
                definition = await ImportAsync(context, repositoryId, context.Connection(connection)).ConfigureAwait(false);
            }
            else if (context.Flag(example))
            {
                definition = ExampleDefinition.Create(repositoryId);
            }
            else
            {
                var names = context.Value(environments)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) ?? DefaultEnvironments;
                definition = Scaffold(repositoryId, names, context.Setting(subscription, EnvironmentNames.AzureSubscription));
            }

            // Validated before anything is written: an invalid definition leaves no file behind.
            var validation = definition.Validate();
            if (!validation.IsValid)
            {
                var count = validation.Errors.Length;
                context.Console.ErrorLines(
                    $"The definition init would write is not valid ({count} {(count == 1 ? "problem" : "problems")}):",
                    validation.Errors.Select(e => e.ToString()),
                    context.Flag(import)
                        ? $"nothing was written to {path}; fix the repository's environments named above on GitHub, or write the definition by hand."
                        : $"nothing was written to {path}; fix the flags that produced them (--environments: distinct names GitHub accepts; --azure-subscription: a subscription id, a GUID), then run init again.");
                return ExitCodes.Error;
            }

            await DefinitionFile.SaveAsync(path, definition, context.CancellationToken).ConfigureAwait(false);
            context.Console.Success($"Wrote {path}: {definition}.");

            if (!context.Flag(import) && !definition.Environments.Any(e => !e.Reviewers.IsEmpty))
            {
                context.Console.Info("Add required reviewers to the protected environments: \"reviewers\": [\"user:<login>\", \"team:<slug>\"].");
            }

            context.Console.Info(NextSteps(definition, repositoryId));
            return ExitCodes.Success;
        },
        "mlenv init --repository octo-org/credit-risk",
        "mlenv init --repository octo-org/credit-risk --azure-subscription 00000000-0000-0000-0000-000000000001",
        "mlenv init --repository octo-org/credit-risk --import --force",
        "mlenv init --example --file examples/mlenv.json");
        return command;
    }

    /// <summary>The resource group of the scaffold's workspaces and identities.</summary>
    internal const string ScaffoldResourceGroup = "rg-ml";

    /// <summary>What to run next, each command one that works on what was written (workflow generate only once every environment is bound with a login).</summary>
    internal static string NextSteps(RepositoryDefinition definition, RepositoryId repository)
    {
        var steps = "Next: mlenv validate, then mlenv plan --in-memory (no credentials), then mlenv plan";
        if (definition.Environments.Length > 0 && Workflows.WorkflowGenerator.FindMissingLogins(definition).Count == 0 && definition.Environments.All(e => e.Binding is not null))
        {
            return steps + ", mlenv workflow generate and mlenv workflow lint.";
        }

        return steps + $". Before mlenv workflow generate, bind each environment to its Azure ML workspace with a login: run init again with --azure-subscription <guid> --force (mlw-<name> in {ScaffoldResourceGroup}, OIDC through id-github-<name>), or add \"workspace\": {{\"subscriptionId\": …, \"resourceGroup\": …, \"name\": …, \"login\": {{\"oidc\": {{\"identity\": \"<managed identity resource id>\"}}}}}} to each in the file.";
    }

    /// <summary>dev (any branch) → … → last (protected branches only); each bound to mlw-&lt;name&gt; in rg-ml, with an OIDC login through id-github-&lt;name&gt;, when a subscription is given.</summary>
    internal static RepositoryDefinition Scaffold(RepositoryId repository, IReadOnlyList<string> names, string? subscriptionId)
    {
        if (names.Count == 0)
        {
            throw new CliException("--environments names no environment.", "give them in promotion order, e.g. --environments dev,staging,prod.");
        }

        var environments = new List<EnvironmentDefinition>();
        for (var i = 0; i < names.Count; i++)
        {
            var environment = MlEnvironment.Environment(names[i]);
            if (names.Count > 1 && i == names.Count - 1)
            {
                environment = environment.AllowProtectedBranchesOnly();
            }
            else if (i > 0)
            {
                environment = environment.AllowBranches("main");
            }

            if (subscriptionId is not null)
            {
                // The workflow mlenv generates logs in to each bound workspace; OIDC through a managed identity needs no
                // secret, and apply creates its federated credential and role assignment.
                var suffix = new string([.. names[i].ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Trim('-');
                environment = environment
                    .BindWorkspace(MlEnvironment.Workspace(subscriptionId, ScaffoldResourceGroup, "mlw-" + suffix))
                    .UseOidcLogin(MlEnvironment.ManagedIdentity(subscriptionId, ScaffoldResourceGroup, "id-github-" + suffix));
            }

            environments.Add(environment);
        }

        return MlEnvironment.Repository(repository, [.. environments]);
    }

    private static async Task<RepositoryDefinition> ImportAsync(CommandContext context, RepositoryId repository, ConnectionSettings settings)
    {
        await using var provider = ServiceFactory.BuildForGitHub(repository, settings, context.Environment, context.Runtime.Configuration, context.Console);
        var environments = provider.GetRequiredService<IGitHubEnvironmentReader>();
        var reader = new EnvironmentPlanner(environments, provider.GetRequiredService<IGitHubSecretReader>(), provider.GetRequiredService<IGitHubVariableReader>());
        var state = await context.Console.ProgressAsync($"Reading the environments of {repository}…", async () =>
        {
            var listed = await environments.ListEnvironmentsAsync(repository, context.CancellationToken).ConfigureAwait(false);
            var stub = MlEnvironment.Repository(repository, [.. listed.Select(e => MlEnvironment.Environment(e.Name))]);
            return await reader.ReadStateAsync(stub, context.CancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);

        var imported = state.ToDefinition();
        if (imported.Environments.IsEmpty)
        {
            context.Console.Warning($"{repository} has no environments yet: the file lists none.");
        }

        return MlEnvironment.Repository(repository, [.. imported.Environments.Select(RecoverBinding)]);
    }

    /// <summary>An environment whose variables name a workspace (what a binding publishes) gets the binding back.</summary>
    internal static EnvironmentDefinition RecoverBinding(EnvironmentDefinition environment)
    {
        string? Value(string name) => environment.Variables.FirstOrDefault(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase))?.Value;
        if (Value(WorkspaceBinding.SubscriptionVariable) is not { } subscription ||
            Value(WorkspaceBinding.ResourceGroupVariable) is not { } group ||
            Value(WorkspaceBinding.WorkspaceVariable) is not { } workspace)
        {
            return environment;
        }

        return environment
            .WithoutVariable(WorkspaceBinding.SubscriptionVariable)
            .WithoutVariable(WorkspaceBinding.ResourceGroupVariable)
            .WithoutVariable(WorkspaceBinding.WorkspaceVariable)
            .BindWorkspace(MlEnvironment.Workspace(subscription, group, workspace));
    }
}
