using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MlEnvironments.Cli.Infrastructure;
using MlEnvironments.Drift;
using MlEnvironments.GitHub;
using MlEnvironments.Planning;

namespace MlEnvironments.Cli.Commands;

/// <summary><c>mlenv drift</c>: what was changed outside the definition, and the drift issue.</summary>
internal static class DriftCommand
{
    /// <summary>
    /// The variable holding the token that files the drift issue (<c>issues: write</c>), when it is not the reading
    /// token: in the generated workflow, <c>GITHUB_TOKEN</c> is a read-only token and this one is the run's token.
    /// </summary>
    public const string IssuesTokenVariable = "MLENV_ISSUES_TOKEN";

    public static Command Create(CliRuntime runtime)
    {
        var file = CommonOptions.File();
        var repository = CommonOptions.Repository();
        var output = CommonOptions.Output();
        var openIssues = new Option<bool>("--open-issues")
        {
            Description = $"Keep one issue in the repository about its drift: open it when drift appears, update it while drift remains, close it when drift is gone. Uses {IssuesTokenVariable} when set (a token with issues: write), else the GitHub token.",
        };
        var models = new Option<string[]>("--model")
        {
            Description = "Also compare this model's Azure-side stage pointer with the promotion ledger, in every environment bound to a workspace (repeat for more models; needs Azure access).",
            HelpName = "name",
            AllowMultipleArgumentsPerToken = false,
        };
        var connection = new ConnectionOptions();
        var discovery = new PlanCommands.DiscoveryOptions();
        var command = new Command("drift", "Report what was changed outside the definition: declared settings that differ, environments that exist but are not declared (flagged when they have no protection at all, as GitHub creates them when a workflow names one), declared secrets that are missing, and bound workspaces whose Azure side changed. With --org or --user, checks every matching repository against the definition's environments. Reads only (except the issues with --open-issues). Exit code 0: no drift; 4: drift in at least one repository; 1: error.")
        {
            file, repository, output, openIssues, models,
        };
        connection.AddTo(command);
        discovery.AddTo(command);
        runtime.SetAction(command, async context =>
        {
            var format = context.Format(output);
            var modelNames = (context.Value(models) ?? []).Select(m => InputChecks.AssetName(m, "--model")).ToList();
            var definition = await context.LoadDefinitionAsync(file, repository).ConfigureAwait(false);
            var validation = definition.Validate();
            if (!validation.IsValid)
            {
                throw new DefinitionInvalidException(validation);
            }

            var settings = context.Connection(connection);
            if (settings.InMemory)
            {
                throw new CliException(
                    "drift compares the definition with the repository on GitHub; --in-memory has no repository to compare with.",
                    "run mlenv drift with GITHUB_TOKEN set (or try mlenv plan --in-memory).");
            }

            var byOwner = discovery.IsSet(context);
            if (byOwner)
            {
                discovery.CheckCanList(context, settings, "check");
            }

            await using var provider = ServiceFactory.Build(definition, settings, context.Environment, context.Runtime.Configuration, console: context.Console);
            string? owner = null;
            var definitions = new List<RepositoryDefinition> { definition };
            if (byOwner)
            {
                // The definition is a template: its environments are checked in every matching repository.
                (owner, var repositories) = await discovery.ListAsync(context, provider).ConfigureAwait(false);
                definitions = [.. RepositoryDiscovery.ApplyTemplate(definition, repositories)];
            }

            var detector = new DriftDetector(provider.GetRequiredService<IEnvironmentPlanner>(), modelNames.Count == 0 ? null : PointerReader(provider));
            var reports = new List<DriftReport>();
            foreach (var each in definitions)
            {
                reports.Add(await context.Console.ProgressAsync(
                    $"Checking {each.Repository} for drift…",
                    () => detector.DetectWithStagePointersAsync(each, modelNames, context.CancellationToken)).ConfigureAwait(false));
            }

            Render(context, format, reports, byOwner);
            if (owner is not null && format == OutputFormat.Text)
            {
                context.Console.Info($"{reports.Count} repositories of {owner} checked; {reports.Count(r => r.HasDrift)} with drift.");
            }

            if (context.Flag(openIssues))
            {
                for (var i = 0; i < reports.Count; i++)
                {
                    var filed = await FileIssueAsync(context, definitions[i], settings, provider, reports[i]).ConfigureAwait(false);
                    if (format == OutputFormat.Text)
                    {
                        context.Console.Info(filed.ToString());
                    }
                    else
                    {
                        // stdout holds the report only (it goes to the job summary or a tool).
                        context.Console.Detail(filed.ToString());
                    }
                }
            }

            return reports.Any(r => r.HasDrift) ? ExitCodes.Drift : ExitCodes.Success;
        },
        "mlenv drift",
        "mlenv drift --output markdown >> \"$GITHUB_STEP_SUMMARY\"",
        "mlenv drift --open-issues",
        "mlenv drift --org octo-org --topic ml --output json");
        return command;
    }

    private static MlEnvironments.Promotion.IPromotionPointerReader PointerReader(System.IServiceProvider provider)
    {
        try
        {
            return provider.GetRequiredService<MlEnvironments.Promotion.IPromotionPointerReader>();
        }
        catch (System.InvalidOperationException e)
        {
            throw new CliException(
                "--model compares stage pointers in the bound workspaces, and no Azure provider is configured.",
                "configure Azure (see the README's Azure section), or run mlenv drift without --model.", e);
        }
    }

    // One repository prints its report as before; several print one report each (JSON: an array of reports).
    private static void Render(CommandContext context, OutputFormat format, List<DriftReport> reports, bool byOwner)
    {
        switch (format)
        {
            case OutputFormat.Json:
                context.Console.Result(byOwner
                    ? new JsonArray([.. reports.Select(r => JsonNode.Parse(r.ToJson()))]).ToJsonString(PlanCommands.JsonOptions)
                    : reports[0].ToJson());
                break;
            case OutputFormat.Markdown:
                context.Console.Result(string.Join(System.Environment.NewLine + System.Environment.NewLine, reports.Select(r => r.ToMarkdown())));
                break;
            default:
                foreach (var report in reports)
                {
                    context.Console.Diff(report.ToText());
                }

                break;
        }
    }

    private static async Task<DriftIssueResult> FileIssueAsync(CommandContext context, RepositoryDefinition definition, ConnectionSettings settings, ServiceProvider readers, DriftReport report)
    {
        if (string.IsNullOrEmpty(context.Environment.Get(IssuesTokenVariable)))
        {
            return await FileWithAsync(context, readers, report).ConfigureAwait(false);
        }

        // The issue is filed with its own token: the reading token may be read-only.
        var configuration = new ConfigurationBuilder()
            .AddConfiguration(context.Runtime.Configuration)
            .AddInMemoryCollection(new Dictionary<string, string?> { ["MlEnvironments:GitHub:TokenEnvironmentVariable"] = IssuesTokenVariable })
            .Build();
        await using var writers = ServiceFactory.BuildForGitHub(definition.Repository, settings, context.Environment, configuration, context.Console);
        return await FileWithAsync(context, writers, report).ConfigureAwait(false);
    }

    private static Task<DriftIssueResult> FileWithAsync(CommandContext context, ServiceProvider provider, DriftReport report)
    {
        var issues = provider.GetService<IGitHubIssues>() ?? throw new CliException(
            "The registered GitHub provider cannot file issues.", "run mlenv drift without --open-issues.");
        return context.Console.ProgressAsync(
            report.HasDrift ? $"Filing the drift issue of {report.Repository}…" : $"Closing any drift issue of {report.Repository}…",
            () => new DriftIssueFiler(issues).FileAsync(report, context.CancellationToken));
    }
}
