using System.CommandLine;
using System.Linq;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using MlEnvironments.Cli.Infrastructure;
using MlEnvironments.Planning;

namespace MlEnvironments.Cli.Commands;

/// <summary><c>mlenv plan</c> and <c>mlenv apply</c>.</summary>
internal static partial class PlanCommands
{
    public static Command CreatePlan(CliRuntime runtime)
    {
        var options = new PlanCommandOptions();
        var command = new Command("plan", "Compare the definition with what the repository (and Azure) has, and print the changes apply would make. Reads only. Exit code 0: no changes (and every --in-memory plan, whose repository starts empty); 2: changes; 1: error. --in-memory reads no secret: placeholders stand in, and the output says which.");
        options.AddTo(command);
        runtime.SetAction(command, async context =>
        {
            if (options.Discovery.IsSet(context))
            {
                return await PlanDiscoveredAsync(context, options, apply: false, autoApprove: false).ConfigureAwait(false);
            }

            var (plan, format, settings, provider) = await PlanAsync(context, options).ConfigureAwait(false);
            await using var _ = provider.ConfigureAwait(false);
            Render(context.Console, plan, format);
            if (format == OutputFormat.Text && settings.InMemory)
            {
                context.Console.Info("(In memory: planned against an empty in-memory repository; nothing was read from GitHub or Azure.)");
                InMemoryNotes(context, provider);
            }

            // The in-memory repository starts empty on every run, so its plan always has changes: exit code 2 says
            // "the repository differs from the definition", which only a plan against GitHub can tell.
            return plan.HasChanges && !settings.InMemory ? ExitCodes.Changes : ExitCodes.Success;
        },
        "mlenv plan",
        "mlenv plan --output markdown >> \"$GITHUB_STEP_SUMMARY\"",
        "mlenv plan --file mlenv.json --prune --update-secrets",
        "mlenv plan --org octo-org --topic ml --match 'credit-*'");
        return command;
    }

    public static Command CreateApply(CliRuntime runtime)
    {
        var options = new PlanCommandOptions();
        var autoApprove = new Option<bool>("--auto-approve") { Description = "Apply without asking (required when not on an interactive terminal, e.g. in CI)." };
        var command = new Command("apply", "Plan, show the plan, ask for confirmation, then make GitHub (and Azure) match the definition. Idempotent: a plan after a successful apply is empty.");
        options.AddTo(command);
        command.Options.Add(autoApprove);
        runtime.SetAction(command, async context =>
        {
            if (options.Discovery.IsSet(context))
            {
                return await PlanDiscoveredAsync(context, options, apply: true, autoApprove: context.Flag(autoApprove)).ConfigureAwait(false);
            }

            if (context.Format(options.Output) == OutputFormat.Json && !context.Flag(autoApprove))
            {
                throw new CliException(
                    "apply --output json prints one JSON document (plan and result) and cannot ask for a confirmation.",
                    "review the plan with mlenv plan --output json, then run mlenv apply --output json --auto-approve.");
            }

            var (plan, format, settings, provider) = await PlanAsync(context, options).ConfigureAwait(false);
            await using var __ = provider.ConfigureAwait(false);
            if (format != OutputFormat.Json)
            {
                Render(context.Console, plan, format);
            }

            if (!plan.HasChanges)
            {
                if (format == OutputFormat.Json)
                {
                    context.Console.Result(Combined(plan, null));
                }
                else
                {
                    context.Console.Success("Nothing to apply.");
                }

                return ExitCodes.Success;
            }

            if (!context.Flag(autoApprove))
            {
                if (!context.Console.IsInteractive)
                {
                    throw new CliException(
                        "apply changes the repository and needs a confirmation, but this is not an interactive terminal.",
                        "review the plan (mlenv plan), then run mlenv apply --auto-approve.");
                }

                if (!context.Console.Confirm($"Apply these {plan.Changes.Length} changes to {plan.Repository}?"))
                {
                    context.Console.Error("Apply cancelled: nothing was changed.", "run mlenv apply again and answer y to apply.");
                    return ExitCodes.Error;
                }
            }

            // The same provider as the plan: in memory, the fakes the plan read are the ones apply writes.
            var applier = provider.GetRequiredService<IEnvironmentApplier>();
            var result = await context.Console.ProgressAsync(
                $"Applying {plan.Changes.Length} changes to {plan.Repository}…",
                () => applier.ApplyAsync(plan, context.CancellationToken)).ConfigureAwait(false);
            switch (format)
            {
                case OutputFormat.Json:
                    context.Console.Result(Combined(plan, result));
                    break;
                case OutputFormat.Markdown:
                    context.Console.Result(Markdown(result));
                    break;
                default:
                    context.Console.Diff(result.ToString());
                    break;
            }

            if (format == OutputFormat.Text && settings.InMemory)
            {
                InMemoryNotes(context, provider);
            }

            if (format != OutputFormat.Json)
            {
                // Why it stopped, and what to do: the status and the service's message of each failed change.
                foreach (var failed in result.Results.Where(r => r.Outcome == ChangeOutcome.Failed))
                {
                    var remote = failed.Error as RemoteServiceException;
                    var why = remote is null
                        ? ErrorReporter.FirstLine(failed.Error?.Message ?? "no cause was recorded")
                        : $"{remote.Service} answered {remote.Operation} with {(remote.StatusCode == 0 ? "no response" : "HTTP " + remote.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture))}: {ErrorReporter.FirstLine(remote.Message)}";
                    context.Console.Error(
                        $"Apply stopped at {failed.Change.Describe()}: {why}",
                        (remote is null ? "fix the cause above" : ErrorReporter.RemoteHint(remote).TrimEnd('.')) + "; then plan and apply again (what was applied is not applied twice).");
                }
            }

            return result.Succeeded ? ExitCodes.Success : ExitCodes.Error;
        },
        "mlenv apply",
        "mlenv apply --auto-approve --output markdown >> \"$GITHUB_STEP_SUMMARY\"",
        "mlenv apply --update-secrets --prune");
        return command;
    }

    private static async Task<(RepositoryPlan Plan, OutputFormat Format, ConnectionSettings Settings, ServiceProvider Provider)> PlanAsync(CommandContext context, PlanCommandOptions options)
    {
        var format = context.Format(options.Output);
        var planOptions = options.ToPlanOptions(context);
        var definition = await context.LoadDefinitionAsync(options.File, options.Repository).ConfigureAwait(false);
        var validation = definition.Validate();
        if (!validation.IsValid)
        {
            throw new DefinitionInvalidException(validation);
        }

        var settings = context.Connection(options.Connection);

        var provider = ServiceFactory.Build(definition, settings, context.Environment, context.Runtime.Configuration, console: context.Console);
        try
        {
            var planner = provider.GetRequiredService<IEnvironmentPlanner>();
            var plan = await context.Console.ProgressAsync(
                $"Planning {definition.Repository}…",
                () => planner.PlanAsync(definition, planOptions, context.CancellationToken)).ConfigureAwait(false);
            return (plan, format, settings, provider);
        }
        catch
        {
            await provider.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // Which secret references a placeholder stood in for: the in-memory world reads no secret.
    private static void InMemoryNotes(CommandContext context, ServiceProvider provider)
    {
        if (provider.GetService<ISecretValueResolver>() is PlaceholderSecretResolver { StoodInFor.Count: > 0 } placeholders)
        {
            context.Console.Info($"(In memory: secrets were not read; a placeholder stood in for {string.Join(", ", placeholders.StoodInFor)}. Against GitHub, set them first.)");
        }
    }

    private static void Render(CliConsole console, RepositoryPlan plan, OutputFormat format)
    {
        switch (format)
        {
            case OutputFormat.Json:
                console.Result(plan.ToJson());
                break;
            case OutputFormat.Markdown:
                console.Result(plan.ToMarkdown());
                break;
            default:
                console.Diff(plan.ToText());
                break;
        }
    }

    private static string Combined(RepositoryPlan plan, ApplyResult? result)
    {
        var root = new JsonObject
        {
            ["plan"] = JsonNode.Parse(plan.ToJson()),
            ["result"] = result is null ? null : ResultJson(result),
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    private static JsonObject ResultJson(ApplyResult result)
    {
        var changes = new JsonArray();
        foreach (var change in result.Results)
        {
            changes.Add(new JsonObject
            {
                ["change"] = change.Change.Describe(),
                ["outcome"] = change.Outcome.ToString().ToLowerInvariant(),
                ["error"] = change.Error?.Message,
            });
        }

        return new JsonObject
        {
            ["succeeded"] = result.Succeeded,
            ["applied"] = result.AppliedCount,
            ["failed"] = result.FailedCount,
            ["skipped"] = result.SkippedCount,
            ["summary"] = result.Summary,
            ["changes"] = changes,
        };
    }

    private static string Markdown(ApplyResult result)
    {
        var builder = new StringBuilder();
        builder.Append("### Apply for `").Append(result.Repository).AppendLine("`").AppendLine();
        builder.AppendLine("| Outcome | Change |").AppendLine("|---|---|");
        foreach (var change in result.Results)
        {
            var outcome = change.Outcome.ToString().ToLowerInvariant();
            var text = change.Change.Describe() + (change.Error is null ? string.Empty : " — " + change.Error.Message);
            builder.Append("| ").Append(outcome).Append(" | ").Append(ValidateCommand.Cell(text)).AppendLine(" |");
        }

        return builder.AppendLine().Append("**").Append(result.Summary).AppendLine("**").ToString();
    }

    internal sealed class PlanCommandOptions
    {
        public Option<string> File { get; } = CommonOptions.File();

        public Option<string> Repository { get; } = CommonOptions.Repository();

        public Option<string> Output { get; } = CommonOptions.Output();

        public Option<bool> UpdateSecrets { get; } = new("--update-secrets") { Description = "Set every declared secret again, even those that exist (GitHub never returns values to compare)." };

        public Option<bool> Prune { get; } = new("--prune") { Description = "Delete environments, patterns, secrets and variables that exist but are not declared." };

        public Option<bool> NoPromotionAccess { get; } = new("--no-promotion-access")
        {
            Description = "Do not assign the roles a promotion needs beyond each environment's own workspace (the previous environment's and the training workspace, the registry): the plan lists them in a note instead.",
        };

        public Option<string[]> ServicePrincipalObjectIds { get; } = new("--service-principal-object-id")
        {
            Description = "CLIENT_ID=OBJECT_ID of a service principal a login uses (repeat for more): the plan then checks the roles a promotion needs and warns about each missing one.",
            HelpName = "client=object",
            AllowMultipleArgumentsPerToken = false,
        };

        public ConnectionOptions Connection { get; } = new();

        public DiscoveryOptions Discovery { get; } = new();

        /// <summary>The plan options the flags ask for; a malformed object id pair is refused before anything is read.</summary>
        public PlanOptions ToPlanOptions(CommandContext context)
        {
            var objectIds = new System.Collections.Generic.Dictionary<System.Guid, System.Guid>();
            foreach (var pair in context.Value(ServicePrincipalObjectIds) ?? [])
            {
                var parts = pair.Split('=', 2);
                if (parts.Length != 2 || !System.Guid.TryParseExact(parts[0].Trim(), "D", out var clientId) || !System.Guid.TryParseExact(parts[1].Trim(), "D", out var objectId))
                {
                    throw new CliException(
                        $"--service-principal-object-id '{pair}' is not CLIENT_ID=OBJECT_ID: two GUIDs such as 00000000-0000-0000-0000-000000000001=00000000-0000-0000-0000-000000000002.",
                        "nothing was read; the object id is the service principal's (Enterprise application's) Object ID, not the application's.");
                }

                if (objectIds.TryGetValue(clientId, out var existing) && existing != objectId)
                {
                    throw new CliException($"--service-principal-object-id names two object ids for client {clientId}.", "keep one.");
                }

                objectIds[clientId] = objectId;
            }

            return new PlanOptions
            {
                UpdateSecrets = context.Flag(UpdateSecrets),
                Prune = context.Flag(Prune),
                ManagePromotionAccess = !context.Flag(NoPromotionAccess),
                ServicePrincipalObjectIds = objectIds,
            };
        }

        public void AddTo(Command command)
        {
            command.Options.Add(File);
            command.Options.Add(Repository);
            command.Options.Add(Output);
            command.Options.Add(UpdateSecrets);
            command.Options.Add(Prune);
            command.Options.Add(NoPromotionAccess);
            command.Options.Add(ServicePrincipalObjectIds);
            Connection.AddTo(command);
            Discovery.AddTo(command);
        }
    }
}
