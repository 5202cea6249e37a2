using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using MlEnvironments.Cli.Infrastructure;
using MlEnvironments.GitHub;
using MlEnvironments.Planning;

namespace MlEnvironments.Cli.Commands;

/// <summary>
/// <c>mlenv plan|apply --org ORG</c> (or <c>--user USER</c>): the definition is a template whose environments every
/// discovered repository gets; its own repository name is not used.
/// </summary>
internal static partial class PlanCommands
{
    private static async Task<int> PlanDiscoveredAsync(CommandContext context, PlanCommandOptions options, bool apply, bool autoApprove)
    {
        var format = context.Format(options.Output);
        var planOptions = options.ToPlanOptions(context);
        var template = await context.LoadDefinitionAsync(options.File, options.Repository).ConfigureAwait(false);
        var validation = template.Validate();
        if (!validation.IsValid)
        {
            throw new DefinitionInvalidException(validation);
        }

        var settings = context.Connection(options.Connection);
        options.Discovery.CheckCanList(context, settings, "plan");
        await using var provider = ServiceFactory.Build(template, settings, context.Environment, context.Runtime.Configuration, console: context.Console);
        var (owner, repositories) = await options.Discovery.ListAsync(context, provider).ConfigureAwait(false);

        var planner = provider.GetRequiredService<IEnvironmentPlanner>();
        var plans = new List<RepositoryPlan>();
        foreach (var definition in RepositoryDiscovery.ApplyTemplate(template, repositories))
        {
            plans.Add(await context.Console.ProgressAsync(
                $"Planning {definition.Repository}…",
                () => planner.PlanAsync(definition, planOptions, context.CancellationToken)).ConfigureAwait(false));
        }

        var changed = plans.Where(p => p.HasChanges).ToList();
        var summary = $"{plans.Count} repositories of {owner} matched; {changed.Count} with changes.";
        if (format == OutputFormat.Json)
        {
            if (apply && !autoApprove)
            {
                throw new CliException(
                    "apply --output json prints one JSON document (plans and results) and cannot ask for a confirmation.",
                    "review the plans with mlenv plan --output json, then run mlenv apply --output json --auto-approve.");
            }
        }
        else
        {
            foreach (var plan in plans)
            {
                Render(context.Console, plan, format);
            }

            context.Console.Info(summary);
        }

        if (!apply)
        {
            if (format == OutputFormat.Json)
            {
                context.Console.Result(new JsonArray([.. plans.Select(p => JsonNode.Parse(p.ToJson()))]).ToJsonString(JsonOptions));
            }

            return changed.Count > 0 ? ExitCodes.Changes : ExitCodes.Success;
        }

        if (changed.Count == 0)
        {
            if (format == OutputFormat.Json)
            {
                context.Console.Result(new JsonArray([.. plans.Select(p => JsonNode.Parse(Combined(p, null)))]).ToJsonString(JsonOptions));
            }
            else
            {
                context.Console.Success("Nothing to apply.");
            }

            return ExitCodes.Success;
        }

        if (!autoApprove)
        {
            if (!context.Console.IsInteractive)
            {
                throw new CliException(
                    "apply changes the repositories and needs a confirmation, but this is not an interactive terminal.",
                    "review the plans (mlenv plan with the same options), then run mlenv apply --auto-approve.");
            }

            if (!context.Console.Confirm($"Apply {changed.Sum(p => p.Changes.Length)} changes to {changed.Count} repositories of {owner}?"))
            {
                context.Console.Error("Apply cancelled: nothing was changed.", "run mlenv apply again and answer y to apply.");
                return ExitCodes.Error;
            }
        }

        // Each repository on its own: a failure in one stops that repository's apply, not the others'.
        var applier = provider.GetRequiredService<IEnvironmentApplier>();
        var results = new List<(RepositoryPlan Plan, ApplyResult? Result)>();
        var failed = 0;
        foreach (var plan in plans)
        {
            ApplyResult? result = null;
            if (plan.HasChanges)
            {
                result = await context.Console.ProgressAsync(
                    $"Applying {plan.Changes.Length} changes to {plan.Repository}…",
                    () => applier.ApplyAsync(plan, context.CancellationToken)).ConfigureAwait(false);
                failed += result.Succeeded ? 0 : 1;
                if (format == OutputFormat.Text)
                {
                    context.Console.Diff(result.ToString());
                }
                else if (format == OutputFormat.Markdown)
                {
                    context.Console.Result(Markdown(result));
                }
            }

            results.Add((plan, result));
        }

        if (format == OutputFormat.Json)
        {
            context.Console.Result(new JsonArray([.. results.Select(r => JsonNode.Parse(Combined(r.Plan, r.Result)))]).ToJsonString(JsonOptions));
        }
        else if (failed > 0)
        {
            context.Console.Error(
                $"Apply failed in {failed} of {changed.Count} repositories.",
                "read each failed change above; fix the cause, then plan and apply again (what was applied is not applied twice).");
        }

        return failed == 0 ? ExitCodes.Success : ExitCodes.Error;
    }

    internal static readonly System.Text.Json.JsonSerializerOptions JsonOptions =
        new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The options that choose repositories by owner, topic and name instead of the definition's repository.</summary>
    internal sealed class DiscoveryOptions
    {
        public Option<string> Organization { get; } = new("--org") { Description = "Work on every repository of this organization that matches the filters; the definition's environments apply to each (its repository name is not used).", HelpName = "org" };

        public Option<string> User { get; } = new("--user") { Description = "As --org, for the repositories a user owns.", HelpName = "user" };

        public Option<string[]> Topics { get; } = new("--topic") { Description = "Keep repositories with this topic (repeat it: all must be present).", HelpName = "topic", AllowMultipleArgumentsPerToken = false };

        public Option<string> Match { get; } = new("--match") { Description = "Keep repositories whose name matches this pattern (* any run of characters, ? one; case does not matter).", HelpName = "pattern" };

        public Option<bool> IncludeArchived { get; } = new("--include-archived") { Description = "Keep archived repositories (left out by default; GitHub refuses writes to them)." };

        public Option<bool> IncludeForks { get; } = new("--include-forks") { Description = "Keep forks (left out by default)." };

        public bool IsSet(CommandContext context) => context.Value(Organization) is not null || context.Value(User) is not null;

        /// <summary>Refuses what cannot list: both owners at once, or the in-memory fakes (they hold no repository list).</summary>
        public void CheckCanList(CommandContext context, ConnectionSettings settings, string verb)
        {
            if (context.Value(Organization) is not null && context.Value(User) is not null)
            {
                throw new CliException("--org and --user were both given; repositories are listed from one owner at a time.", "keep one of them.");
            }

            if (settings.InMemory)
            {
                throw new CliException(
                    "--org and --user list repositories on GitHub, and --in-memory has none to list.",
                    $"drop --in-memory (and set GITHUB_TOKEN), or {verb} one repository in memory with --repository.");
            }
        }

        /// <summary>Lists the owner's repositories that pass the filters, every page.</summary>
        public async Task<(string Owner, IReadOnlyList<RepositoryId> Repositories)> ListAsync(CommandContext context, System.IServiceProvider provider)
        {
            var organization = context.Value(Organization);
            var user = context.Value(User);
            var filter = new RepositoryFilter
            {
                Topics = [.. context.Value(Topics) ?? []],
                NamePattern = context.Value(Match),
                IncludeArchived = context.Flag(IncludeArchived),
                IncludeForks = context.Flag(IncludeForks),
            };
            var finder = new RepositoryDiscovery(provider.GetRequiredService<IGitHubRepositoryLister>());
            var owner = organization ?? user!;
            var repositories = await context.Console.ProgressAsync(
                $"Listing the repositories of {owner}…",
                () => organization is not null
                    ? finder.RepositoriesFromOrganizationAsync(organization, filter, context.CancellationToken)
                    : finder.RepositoriesFromUserAsync(user!, filter, context.CancellationToken)).ConfigureAwait(false);
            return (owner, repositories);
        }

        public void AddTo(Command command)
        {
            command.Options.Add(Organization);
            command.Options.Add(User);
            command.Options.Add(Topics);
            command.Options.Add(Match);
            command.Options.Add(IncludeArchived);
            command.Options.Add(IncludeForks);
        }
    }
}
