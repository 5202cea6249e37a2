using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using MlEnvironments.Cli.Infrastructure;
using MlEnvironments.GitHub;
using MlEnvironments.Promotion;

namespace MlEnvironments.Cli.Commands;

/// <summary>
/// <c>mlenv promote</c>, <c>pending</c>, <c>approve</c>, <c>reject</c>, <c>history</c>, <c>rollback</c> and
/// <c>dispatch</c>: the promotion API of <c>MlEnvironments.Promotion</c> behind the command line.
/// </summary>
internal static class PromotionCommands
{
    public static IEnumerable<Command> Create(CliRuntime runtime) =>
    [
        CreatePromote(runtime),
        CreatePending(runtime),
        CreateReview(runtime, approve: true),
        CreateReview(runtime, approve: false),
        CreateHistory(runtime),
        CreateRollback(runtime),
        CreateDispatch(runtime),
    ];

    private static Command CreatePromote(CliRuntime runtime)
    {
        var common = new PromotionOptions();
        var from = Required("--from", "The environment the model comes from; its workspace holds the version.", "env");
        var to = Required("--to", "The environment to promote into: the one right after --from in the definition.", "env");
        var model = Required("--model", "The model's name in the source workspace.", "name");
        var version = Required("--version", "The version to promote.", "version");
        var runId = OptionalRunId("The workflow run that performs the promotion: recorded in the ledger and on the registered version; its approvals name the approver (the generated workflow passes $GITHUB_RUN_ID).");
        var approver = new Option<string>("--approver") { Description = "Who approved, when GitHub does not know it [default: read from the run's approvals].", HelpName = "login" };
        var gitRef = new Option<string>("--ref") { Description = "The ref the ledger's deployment is made for [default: the run's commit, else the default branch].", HelpName = "ref" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Evaluate the gates and print the report; write nothing (exit code 3 when a gate fails)." };
        var command = new Command("promote", "Promote a model version from an environment's workspace to the next one's: check the target's gates (metrics, champion/challenger, tags, training job), register the version there with lineage tags, and record the attempt in the ledger (GitHub deployments). Exit code 0: promoted or already promoted; 3: a gate failed, nothing was promoted; 1: error.")
        {
            from, to, model, version, runId, approver, gitRef, dryRun,
        };
        common.AddTo(command);
        runtime.SetAction(command, async context =>
        {
            var format = context.Format(common.Output);
            var definition = await LoadValidDefinitionAsync(context, common).ConfigureAwait(false);
            await using var provider = Services(context, common, definition);
            var promoter = provider.GetRequiredService<IModelPromoter>();
            var request = new PromotionRequest(definition, context.Value(model)!, context.Value(version)!, context.Value(from)!, context.Value(to)!)
            {
                WorkflowRunId = context.Value(runId),
                Approver = context.Value(approver),
                Ref = context.Value(gitRef) is { } r ? InputChecks.GitRef(r, "--ref") : null,
            };
            if (context.Flag(dryRun))
            {
                var evaluation = await context.Console.ProgressAsync(
                    $"Evaluating {request}…",
                    () => promoter.EvaluateAsync(request, context.CancellationToken)).ConfigureAwait(false);
                switch (format)
                {
                    case OutputFormat.Json:
                        context.Console.Result(PromotionJson.Promotion(definition.Repository, evaluation, null));
                        break;
                    case OutputFormat.Markdown:
                        context.Console.Result(PromotionReport.ToMarkdown(evaluation));
                        break;
                    default:
                        context.Console.Report(PromotionReport.ToText(evaluation));
                        context.Console.Info("(Dry run: nothing was written.)");
                        break;
                }

                return evaluation.Passed || evaluation.AlreadyPromoted ? ExitCodes.Success : ExitCodes.GateFailed;
            }

            var result = await context.Console.ProgressAsync(
                $"Promoting {request}…",
                () => promoter.PromoteAsync(request, context.CancellationToken)).ConfigureAwait(false);
            return WriteResult(context.Console, definition.Repository, result, format, GateFailedHint(result.Evaluation.TargetEnvironment));
        },
        "mlenv promote --from dev --to staging --model fraud --version 3",
        "mlenv promote --from staging --to prod --model fraud --version 3 --run-id \"$GITHUB_RUN_ID\" --output markdown >> \"$GITHUB_STEP_SUMMARY\"",
        "mlenv promote --from staging --to prod --model fraud --version 3 --dry-run");
        return command;
    }

    private static Command CreatePending(CliRuntime runtime)
    {
        var common = new PromotionOptions();
        var runId = OptionalRunId("Show only this run [default: every run that waits for review].");
        var command = new Command("pending", "List the workflow runs that wait for a reviewer, each with what approving it would promote: the candidate's metrics next to the champion's and every gate's verdict.")
        {
            runId,
        };
        common.AddTo(command);
        runtime.SetAction(command, async context =>
        {
            var format = context.Format(common.Output);
            var definition = await LoadValidDefinitionAsync(context, common).ConfigureAwait(false);
            await using var provider = Services(context, common, definition);
            var reviews = provider.GetRequiredService<IPromotionReviewService>();
            var id = context.Value(runId);
            var pending = await context.Console.ProgressAsync<IReadOnlyList<PendingPromotion>>($"Reading the runs of {definition.Repository} that wait for review…", async () =>
                id is { } one
                    ? (await reviews.GetPendingAsync(definition, one, context.CancellationToken).ConfigureAwait(false)) is { } found ? [found] : []
                    : await reviews.ListPendingAsync(definition, context.CancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
            var none = id is { } run ? $"Run {run} of {definition.Repository} waits on no environment: nothing to review." : $"No workflow run of {definition.Repository} waits for review.";
            switch (format)
            {
                case OutputFormat.Json:
                    context.Console.Result(PromotionJson.Pending(definition.Repository, pending));
                    break;
                case OutputFormat.Markdown:
                    context.Console.Result(pending.Count == 0 ? none : string.Join(Environment.NewLine, pending.Select(p => p.ToMarkdown())));
                    break;
                default:
                    if (pending.Count == 0)
                    {
                        context.Console.Info(none);
                        break;
                    }

                    for (var i = 0; i < pending.Count; i++)
                    {
                        if (i > 0)
                        {
                            context.Console.Result(string.Empty);
                        }

                        context.Console.Report(pending[i].ToText());
                    }

                    context.Console.Info($"A required reviewer approves with: mlenv approve --run-id {pending[0].Run.Id} --comment \"<why>\" (or rejects with mlenv reject).");
                    break;
            }

            return ExitCodes.Success;
        },
        "mlenv pending",
        "mlenv pending --run-id 123456789 --output markdown");
        return command;
    }

    private static Command CreateReview(CliRuntime runtime, bool approve)
    {
        var verb = approve ? "approve" : "reject";
        var common = new PromotionOptions();
        var runId = RequiredRunId($"The run to {verb} (mlenv pending lists them).");
        var environments = new Option<string[]>("--environment", "-e")
        {
            Description = "An environment the run waits on; repeat for several [default: every one it waits on].",
            HelpName = "env",
        };
        var comment = Required("--comment", "The comment GitHub records with the review.", "text");
        var command = new Command(verb, (approve
            ? "Approve a run's wait on its environments, as the token's user, so that GitHub runs the promotion jobs that waited. "
            : "Reject a run's wait on its environments, as the token's user: GitHub fails the run, and nothing is promoted. ") + ErrorReporter.ReviewerRule)
        {
            runId, environments, comment,
        };
        common.AddTo(command);
        runtime.SetAction(command, async context =>
        {
            var format = context.Format(common.Output);
            var text = context.Value(comment)!;
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new CliException("--comment is empty.", $"say why, e.g. mlenv {verb} --run-id <id> --comment \"{(approve ? "auc beats the champion" : "latency regression")}\".");
            }

            var (repository, definition) = await RepositoryOrDefinitionAsync(context, common).ConfigureAwait(false);
            await using var provider = Services(context, common, definition ?? MlEnvironment.Repository(repository));
            var reviews = provider.GetRequiredService<IPromotionReviewService>();
            var id = context.Value(runId);
            var names = context.Value(environments) is { Length: > 0 } chosen ? chosen : null;
            IReadOnlyList<string> reviewed;
            try
            {
                reviewed = await context.Console.ProgressAsync($"{(approve ? "Approving" : "Rejecting")} run {id} of {repository}…", () => approve
                    ? reviews.ApproveAsync(repository, id, text, names, context.CancellationToken)
                    : reviews.RejectAsync(repository, id, text, names, context.CancellationToken)).ConfigureAwait(false);
            }
            catch (RemoteServiceException e) when (e.Service == "GitHub" && e.StatusCode is 403 or 422)
            {
                throw new CliException(ErrorReporter.FirstLine(e.Message), $"nothing was reviewed. {ErrorReporter.ReviewerRule}", e);
            }
            catch (RemoteServiceException e) when (e.Service == "GitHub" && e.StatusCode == 404)
            {
                throw new CliException(
                    $"{repository} has no workflow run {id} that the token can see ({ErrorReporter.FirstLine(e.Message)}).",
                    "check --run-id (the number in the run's URL, …/actions/runs/<id>) and --repository; `mlenv pending` lists the runs that wait for review.",
                    e);
            }

            var decision = approve ? "approved" : "rejected";
            switch (format)
            {
                case OutputFormat.Json:
                    context.Console.Result(PromotionJson.Review(repository, id, decision, reviewed, text));
                    break;
                case OutputFormat.Markdown:
                    context.Console.Result($"**{(approve ? "Approved" : "Rejected")}** run {id} of `{repository}` for {string.Join(", ", reviewed.Select(e => "**" + e + "**"))}: {ValidateCommand.Cell(text)}");
                    break;
                default:
                    context.Console.Success(approve
                        ? $"Approved run {id} for {string.Join(", ", reviewed)}: GitHub now runs the jobs that waited."
                        : $"Rejected run {id} for {string.Join(", ", reviewed)}: GitHub fails the run; nothing is promoted.");
                    break;
            }

            return ExitCodes.Success;
        },
        $"mlenv {verb} --run-id 123456789 --comment \"{(approve ? "auc beats the champion" : "latency regression")}\"",
        $"mlenv {verb} --run-id 123456789 --environment prod --comment \"{(approve ? "checked the report" : "wait for the load test")}\"");
        return command;
    }

    private static Command CreateHistory(CliRuntime runtime)
    {
        var common = new PromotionOptions();
        var environment = Required("--environment", "The environment whose ledger to show.", "env");
        environment.Aliases.Add("-e");
        var model = new Option<string>("--model") { Description = "Only this model [default: every model].", HelpName = "name" };
        var at = new Option<string>("--at")
        {
            Description = "Show only which version was current at this moment (ISO 8601, e.g. 2026-05-01T12:00:00Z; without an offset, UTC), from the ledger's success times.",
            HelpName = "time",
        };
        var command = new Command("history", "Show the promotion ledger of an environment, newest first: every promotion and rollback attempt (GitHub deployments), with its version, source, run, approver and outcome, the current version, and whether the workspace's stage agrees with it.")
        {
            environment, model, at,
        };
        common.AddTo(command);
        runtime.SetAction(command, async context =>
        {
            var format = context.Format(common.Output);
            var moment = context.Value(at) is { } text ? Moment(text, "--at") : (DateTimeOffset?)null;
            var (repository, definition) = await RepositoryOrDefinitionAsync(context, common).ConfigureAwait(false);
            var name = Declared(definition, context.Value(environment)!, "--environment");
            var modelName = context.Value(model);
            await using var provider = Services(context, common, definition ?? MlEnvironment.Repository(repository));
            var ledger = provider.GetRequiredService<IPromotionLedger>();
            var records = await context.Console.ProgressAsync(
                $"Reading the ledger of {name} in {repository}…",
                () => ledger.GetHistoryAsync(repository, name, modelName, context.CancellationToken)).ConfigureAwait(false);
            if (moment is { } when)
            {
                WriteHistoryAt(context, format, repository, name, modelName, records, when);
                return ExitCodes.Success;
            }

            var pointers = await PointersAsync(context, provider, definition, name, modelName, records).ConfigureAwait(false);
            var title = $"Promotion ledger of {name} in {repository}{(modelName is null ? string.Empty : ", model " + modelName)}";
            switch (format)
            {
                case OutputFormat.Json:
                    context.Console.Result(PromotionJson.History(repository, name, modelName, records, pointers));
                    break;
                case OutputFormat.Markdown:
                    context.Console.Result($"### {title}{Environment.NewLine}{Environment.NewLine}" +
                        (records.Count == 0 ? "No promotions yet." : PromotionReport.HistoryToMarkdown(records)) +
                        string.Concat(pointers.Where(p => p.IsDrift).Select(p => $"{Environment.NewLine}{Environment.NewLine}> ⚠️ {p}")));
                    break;
                default:
                    context.Console.Heading(title + " (newest first):");
                    context.Console.Result(PromotionReport.HistoryToText(records));
                    foreach (var current in Current(records))
                    {
                        context.Console.Info($"Current in {name}: {current.ModelName}@{current.Version} (#{current.DeploymentId}, {(current.Kind == PromotionKind.Rollback ? "rolled back" : "promoted")} {current.CreatedAt:yyyy-MM-dd HH:mm}).");
                    }

                    foreach (var pointer in pointers.Where(p => p.IsDrift))
                    {
                        context.Console.Warning(pointer.ToString());
                    }

                    break;
            }

            return ExitCodes.Success;
        },
        "mlenv history --environment prod",
        "mlenv history --environment prod --model fraud --output markdown",
        "mlenv history --environment prod --at 2026-05-01T12:00:00Z");
        return command;
    }

    /// <summary>Parses an ISO 8601 moment (date, or date and time with an optional offset; UTC without one).</summary>
    internal static DateTimeOffset Moment(string text, string option)
    {
        string[] formats =
        [
            "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd",
        ];
        return DateTimeOffset.TryParseExact(text.Trim(), formats, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal, out var moment)
            ? moment
            : throw new CliException($"{option} '{CliConsole.Escape(text)}' is not an ISO 8601 time.",
                $"give a date and time such as {option} 2026-05-01T12:00:00Z (or +02:00 for an offset; a date alone is midnight UTC).");
    }

    private static void WriteHistoryAt(CommandContext context, OutputFormat format, RepositoryId repository, string environment, string? modelName, IReadOnlyList<PromotionRecord> records, DateTimeOffset at)
    {
        var models = modelName is null
            ? records.Select(r => r.ModelName).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList()
            : [modelName];
        var current = models.Select(m => (Model: m, Current: PromotionLedger.CurrentAt(records.Where(r => string.Equals(r.ModelName, m, StringComparison.Ordinal)), at))).ToList();
        var stamp = at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        string Line((string Model, PromotionRecord? Current) item) => item.Current is { } r
            ? $"{item.Model}@{r.Version} (#{r.DeploymentId}, {(r.Kind == PromotionKind.Rollback ? "rolled back" : "promoted")} at {r.CompletedAt:yyyy-MM-dd'T'HH:mm:ss'Z'})"
            : $"{item.Model}: none (not promoted to {environment} yet)";
        switch (format)
        {
            case OutputFormat.Json:
                context.Console.Result(PromotionJson.HistoryAt(repository, environment, at, current));
                break;
            case OutputFormat.Markdown:
                context.Console.Result($"### Current in {environment} at {stamp}{Environment.NewLine}{Environment.NewLine}" +
                    (current.Count == 0 ? "No promotions yet." : string.Join(Environment.NewLine, current.Select(c => "- " + Line(c)))));
                break;
            default:
                context.Console.Heading($"Current in {environment} of {repository} at {stamp}:");
                context.Console.Result(current.Count == 0 ? "No promotions yet." : string.Join(Environment.NewLine, current.Select(Line)));
                break;
        }
    }

    /// <summary>The Azure-side pointer of each model in the ledger, when the definition binds the environment to a workspace.</summary>
    private static async Task<IReadOnlyList<PromotionPointerStatus>> PointersAsync(CommandContext context, IServiceProvider provider, RepositoryDefinition? definition, string environment, string? modelName, IReadOnlyList<PromotionRecord> records)
    {
        if (definition?.FindEnvironment(environment)?.Binding?.Workspace is null)
        {
            return [];
        }

        var reader = provider.GetRequiredService<IPromotionPointerReader>();
        var models = modelName is null ? records.Select(r => r.ModelName).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList() : [modelName];
        var pointers = new List<PromotionPointerStatus>();
        foreach (var name in models)
        {
            try
            {
                pointers.Add(await reader.GetPointerAsync(definition, environment, name, context.CancellationToken).ConfigureAwait(false));
            }
            catch (Exception e) when (e is MlEnvironmentsException or global::Azure.Identity.AuthenticationFailedException or global::Azure.Identity.CredentialUnavailableException)
            {
                // The ledger is GitHub's; without Azure access the history still answers, and says what it could not check.
                context.Console.Warning($"Could not read the stage of {name} in {environment}'s workspace: {ErrorReporter.FirstLine(e.Message)}");
            }
        }

        return pointers;
    }

    private static Command CreateRollback(CliRuntime runtime)
    {
        var common = new PromotionOptions();
        var environment = Required("--environment", "The environment to roll back.", "env");
        environment.Aliases.Add("-e");
        var model = Required("--model", "The model.", "name");
        var toVersion = new Option<string>("--to-version") { Description = "The version to put back [default: the latest successful one before the current].", HelpName = "version" };
        var skipGates = new Option<bool>("--skip-gates") { Description = "Do not check the environment's gates (an older version rarely beats the champion); the ledger records that they were skipped." };
        var reason = new Option<string>("--reason") { Description = "Why; recorded in the ledger.", HelpName = "text" };
        var runId = OptionalRunId("The workflow run that performs the rollback (recorded in the ledger).");
        var approver = new Option<string>("--approver") { Description = "Who approved the rollback (recorded in the ledger).", HelpName = "login" };
        var command = new Command("rollback", "Put an earlier successfully promoted version of a model back as an environment's current version, recorded in the ledger as a rollback. The environment's gates are checked unless --skip-gates. Exit code 0: rolled back; 3: a gate failed, nothing changed; 1: error.")
        {
            environment, model, toVersion, skipGates, reason, runId, approver,
        };
        common.AddTo(command);
        runtime.SetAction(command, async context =>
        {
            var format = context.Format(common.Output);
            var definition = await LoadValidDefinitionAsync(context, common).ConfigureAwait(false);
            await using var provider = Services(context, common, definition);
            var promoter = provider.GetRequiredService<IModelPromoter>();
            var request = new RollbackRequest(definition, context.Value(model)!, context.Value(environment)!)
            {
                ToVersion = context.Value(toVersion),
                SkipGates = context.Flag(skipGates),
                Reason = context.Value(reason),
                WorkflowRunId = context.Value(runId),
                Approver = context.Value(approver),
            };
            var result = await context.Console.ProgressAsync(
                $"Rolling back {request.ModelName} in {request.Environment}…",
                () => promoter.RollbackAsync(request, context.CancellationToken)).ConfigureAwait(false);
            return WriteResult(context.Console, definition.Repository, result, format,
                "nothing was changed; to roll back anyway, run again with --skip-gates (the ledger records that the gates were skipped).");
        },
        "mlenv rollback --environment prod --model fraud --skip-gates --reason \"latency regression\"",
        "mlenv rollback --environment prod --model fraud --to-version 1 --output json");
        return command;
    }

    private static Command CreateDispatch(CliRuntime runtime)
    {
        var common = new PromotionOptions();
        var workflow = new Option<string>("--workflow") { Description = "The workflow file in .github/workflows [default: promote.yml].", HelpName = "file" };
        var gitRef = new Option<string>("--ref") { Description = "The branch to run it on [default: the repository's default branch].", HelpName = "branch" };
        var model = Required("--model", "The model (the workflow's model input).", "name");
        var version = Required("--version", "The version (the workflow's version input).", "version");
        var stopAt = new Option<string>("--stop-at") { Description = "The last environment to promote into [default: the workflow's, the last one].", HelpName = "env" };
        var command = new Command("dispatch", "Start a promotion run: the generated promotion workflow's workflow_dispatch trigger, with the model, the version and where to stop. Its protected environments then wait for their reviewers (mlenv pending). The token needs Actions: write.")
        {
            workflow, gitRef, model, version, stopAt,
        };
        common.AddTo(command);
        runtime.SetAction(command, async context =>
        {
            var format = context.Format(common.Output);
            var (repository, definition) = await RepositoryOrDefinitionAsync(context, common).ConfigureAwait(false);
            // Checked before anything is sent: the values reach GitHub as they are, then the workflow's inputs.
            var modelName = InputChecks.AssetName(context.Value(model), "--model");
            var versionName = InputChecks.AssetName(context.Value(version), "--version");
            var stop = context.Value(stopAt) is { } named ? InputChecks.EnvironmentName(Declared(definition, named, "--stop-at"), "--stop-at") : null;
            var file = InputChecks.WorkflowFile(context.Value(workflow) ?? "promote.yml", "--workflow");
            var givenRef = context.Value(gitRef) is { } r ? InputChecks.GitRef(r, "--ref") : null;
            await using var provider = Services(context, common, definition ?? MlEnvironment.Repository(repository));
            var reviews = provider.GetRequiredService<IPromotionReviewService>();
            string branch;
            try
            {
                branch = givenRef ?? (await provider.GetRequiredService<IGitHubRepositoryReader>().GetRepositoryAsync(repository, context.CancellationToken).ConfigureAwait(false)).DefaultBranch;
                await context.Console.ProgressAsync($"Starting {file} on {branch}…", async () =>
                {
                    await reviews.DispatchAsync(repository, file, branch, modelName, versionName, stop, context.CancellationToken).ConfigureAwait(false);
                    return true;
                }).ConfigureAwait(false);
            }
            catch (RemoteServiceException e) when (e.Service == "GitHub" && e.StatusCode is 404 or 422)
            {
                throw new CliException(
                    ErrorReporter.FirstLine(e.Message),
                    $"check that .github/workflows/{file} exists on the branch and has a workflow_dispatch trigger with inputs model, version and stop_at (mlenv workflow generate writes one), and that the token has Actions: write.",
                    e);
            }

            switch (format)
            {
                case OutputFormat.Json:
                    context.Console.Result(PromotionJson.Dispatch(repository, file, branch, modelName, versionName, stop));
                    break;
                case OutputFormat.Markdown:
                    context.Console.Result($"Started `{file}` on `{branch}` for `{modelName}@{versionName}`{(stop is null ? string.Empty : $", stopping at {stop}")}.");
                    break;
                default:
                    context.Console.Success($"Started {file} on {branch} of {repository} for {modelName}@{versionName}{(stop is null ? string.Empty : $", stopping at {stop}")}.");
                    context.Console.Info($"The run is titled \"{PromotionRunTitle.Format(modelName, versionName)}\"; protected environments wait for their reviewers: mlenv pending lists them.");
                    break;
            }

            return ExitCodes.Success;
        },
        "mlenv dispatch --workflow promote.yml --ref main --model fraud --version 3",
        "mlenv dispatch --model fraud --version 3 --stop-at staging");
        return command;
    }

    /// <summary>Prints a promotion's or rollback's result and returns its exit code: 0 when it succeeded, 3 when a gate failed.</summary>
    internal static int WriteResult(CliConsole console, RepositoryId repository, PromotionResult result, OutputFormat format, string gateFailedHint)
    {
        var gatesSkipped = result.Record?.GatesSkipped == true;
        switch (format)
        {
            case OutputFormat.Json:
                console.Result(PromotionJson.Promotion(repository, result.Evaluation, result));
                break;
            case OutputFormat.Markdown:
                // A rollback that skipped the gates has no verdicts: the report would read "all 0 gates pass".
                console.Result(gatesSkipped
                    ? $"### ↩️ `{result.Evaluation.Candidate}` back in {result.Evaluation.TargetEnvironment}{Environment.NewLine}{Environment.NewLine}**{ValidateCommand.Cell(result.Message)}**"
                    : PromotionReport.ToMarkdown(result));
                break;
            default:
                if (result.Outcome != PromotionOutcome.AlreadyPromoted && !gatesSkipped)
                {
                    console.Report(PromotionReport.ToText(result.Evaluation));
                }

                if (result.Succeeded)
                {
                    console.Success(result.Message);
                }

                break;
        }

        if (result.Succeeded)
        {
            return ExitCodes.Success;
        }

        // On standard error too, so that a workflow's log says why the step failed when the report went to the job summary.
        console.Error(result.Message, gateFailedHint);
        return ExitCodes.GateFailed;
    }

    internal static string GateFailedHint(string target) =>
        $"nothing was registered in {target}'s workspace, and the ledger records the refused attempt (mlenv history --environment {target}); promote a version that passes, or change the gates in the definition.";

    /// <summary>The current version of each model in records of one environment (newest first): its newest successful entry.</summary>
    internal static IEnumerable<PromotionRecord> Current(IEnumerable<PromotionRecord> records) =>
        records.Where(r => r.State == PromotionState.Succeeded)
            .GroupBy(r => r.ModelName, StringComparer.Ordinal)
            .Select(g => g.First())
            .OrderBy(r => r.ModelName, StringComparer.Ordinal);

    private static async Task<RepositoryDefinition> LoadValidDefinitionAsync(CommandContext context, PromotionOptions options)
    {
        var definition = await context.LoadDefinitionAsync(options.File, options.Repository).ConfigureAwait(false);
        var validation = definition.Validate();
        return validation.IsValid ? definition : throw new DefinitionInvalidException(validation);
    }

    /// <summary>
    /// The repository, for the commands that need only it: from the definition file when there is one (or one was
    /// named), else from --repository / MLENV_REPOSITORY alone.
    /// </summary>
    private static async Task<(RepositoryId Repository, RepositoryDefinition? Definition)> RepositoryOrDefinitionAsync(CommandContext context, PromotionOptions options)
    {
        var named = context.Value(options.File) is not null || context.Environment.Get(EnvironmentNames.File) is not null;
        if (!named && !File.Exists(context.DefinitionPath(options.File)) && context.Repository(options.Repository) is { } repository)
        {
            return (repository, null);
        }

        var definition = await LoadValidDefinitionAsync(context, options).ConfigureAwait(false);
        return (definition.Repository, definition);
    }

    /// <summary>The environment's spelling in the definition; any name when there is no definition (GitHub decides).</summary>
    private static string Declared(RepositoryDefinition? definition, string name, string option)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new CliException($"{option} is empty.", $"name one of the environments, e.g. {option} prod.");
        }

        if (definition is null)
        {
            return name;
        }

        return definition.FindEnvironment(name)?.Name ?? throw new CliException(
            $"{option} '{name}' is not declared for {definition.Repository}; declared: {(definition.Environments.IsEmpty ? "none" : string.Join(", ", definition.Environments.Select(e => e.Name)))}.",
            "name an environment of the definition file (mlenv validate checks the file).");
    }

    /// <summary>
    /// The services of a promotion command: GitHub and Azure (the promoter and the review service need the model
    /// readers even to list or approve; registering them does no I/O).
    /// </summary>
    private static ServiceProvider Services(CommandContext context, PromotionOptions options, RepositoryDefinition definition) =>
        ServiceFactory.Build(definition, context.Connection(options.Connection), context.Environment, context.Runtime.Configuration, withAzure: true, console: context.Console);

    private static Option<string> Required(string name, string description, string helpName) => new(name)
    {
        Description = description,
        HelpName = helpName,
        Required = true,
    };

    private static Option<long?> OptionalRunId(string description) => new("--run-id")
    {
        Description = description,
        HelpName = "id",
    };

    private static Option<long> RequiredRunId(string description) => new("--run-id")
    {
        Description = description,
        HelpName = "id",
        Required = true,
    };

    /// <summary>The options every promotion command has.</summary>
    private sealed class PromotionOptions
    {
        public Option<string> File { get; } = CommonOptions.File();

        public Option<string> Repository { get; } = CommonOptions.Repository();

        public Option<string> Output { get; } = CommonOptions.Output();

        public ConnectionOptions Connection { get; } = new();

        public void AddTo(Command command)
        {
            command.Options.Add(File);
            command.Options.Add(Repository);
            command.Options.Add(Output);
            Connection.AddTo(command);
        }
    }
}
