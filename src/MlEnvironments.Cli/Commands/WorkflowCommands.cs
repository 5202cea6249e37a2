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
using MlEnvironments.Workflows;

namespace MlEnvironments.Cli.Commands;

/// <summary><c>mlenv workflow generate</c> and <c>mlenv workflow lint</c>.</summary>
internal static class WorkflowCommands
{
    public static Command Create(CliRuntime runtime)
    {
        var workflow = new Command("workflow", "Generate the GitHub Actions workflow that promotes models through the environments, or lint existing workflows against the definition.");
        workflow.Subcommands.Add(CreateGenerate(runtime));
        workflow.Subcommands.Add(CreateLint(runtime));
        return workflow;
    }

    private static Command CreateGenerate(CliRuntime runtime)
    {
        var file = CommonOptions.File();
        var repository = CommonOptions.Repository();
        var output = new Option<string>("--out")
        {
            Description = $"Where to write the workflow [default: {WorkflowGenerationOptions.WorkflowsDirectory}/{WorkflowGenerationOptions.DefaultFileName}].",
            HelpName = "path",
        };
        var toStdout = new Option<bool>("--stdout") { Description = "Print the workflow instead of writing it." };
        var name = new Option<string>("--name") { Description = $"The workflow's name [default: {WorkflowGenerationOptions.DefaultWorkflowName}].", HelpName = "text" };
        var toolVersion = new Option<string>("--tool-version") { Description = $"The MlEnvironments.Cli version the workflow installs (always pinned) [default: this mlenv's, {WorkflowGenerationOptions.DefaultToolVersion}].", HelpName = "version" };
        var toolSource = new Option<string>("--tool-source") { Description = "A NuGet source URL the workflow installs the tool from, besides the configured ones (dotnet tool install --add-source), e.g. a private feed.", HelpName = "url" };
        var trainingJob = new Option<string>("--training-job") { Description = $"The Azure ML job file the first environment's job submits [default: {WorkflowGenerationOptions.DefaultTrainingJobFile}].", HelpName = "path" };
        var noTraining = new Option<bool>("--no-training") { Description = "Do not submit a training job in the first environment (only check the model version)." };
        var runsOn = new Option<string>("--runs-on") { Description = "The runner label [default: ubuntu-latest].", HelpName = "label" };
        var force = new Option<bool>("--force") { Description = "Overwrite a workflow that mlenv did not generate." };
        var drift = new Option<bool>("--drift") { Description = $"Write the scheduled drift check instead ({DriftWorkflowOptions.DefaultFileName}): mlenv drift into the job summary, and one issue per repository while there is drift." };
        var schedule = new Option<string>("--schedule") { Description = $"With --drift: when it runs, a cron expression in UTC [default: {DriftWorkflowOptions.DefaultSchedule}].", HelpName = "cron" };
        var command = new Command("generate", "Write the promotion workflow: one job per environment in promotion order (needs: chained, environment: set, Azure login by OIDC or service principal, mlenv promote into the job summary), started by hand with the model, the version and where to stop.")
        {
            file, repository, output, toStdout, name, toolVersion, toolSource, trainingJob, noTraining, runsOn, force, drift, schedule,
        };
        runtime.SetAction(command, async context =>
        {
            var definitionPath = context.DefinitionPath(file);
            var definition = await context.LoadDefinitionAsync(file, repository).ConfigureAwait(false);
            if (context.Flag(drift))
            {
                return await GenerateDriftAsync(context, definition, definitionPath, output, toStdout, name, toolVersion, toolSource, runsOn, schedule, force).ConfigureAwait(false);
            }

            if (context.Value(schedule) is not null)
            {
                throw new CliException("--schedule is for the drift check.", "add --drift, or drop --schedule.");
            }

            var target = context.Value(output) ?? Path.Combine(WorkflowGenerationOptions.WorkflowsDirectory, WorkflowGenerationOptions.DefaultFileName);
            var options = new WorkflowGenerationOptions
            {
                FileName = Path.GetFileName(target),
                DefinitionFile = RelativeToRepository(definitionPath, target),
                IncludeTrainingJob = !context.Flag(noTraining),
            };
            options.WorkflowName = context.Value(name) ?? options.WorkflowName;
            options.ToolVersion = context.Value(toolVersion) ?? options.ToolVersion;
            options.ToolSource = context.Value(toolSource);
            options.TrainingJobFile = context.Value(trainingJob) ?? options.TrainingJobFile;
            options.RunsOn = context.Value(runsOn) ?? options.RunsOn;
            var problems = options.Validate();
            if (problems.Count > 0)
            {
                throw new CliException(string.Join(" ", problems), "fix the flags named above (see mlenv workflow generate --help).");
            }

            if (definition.Environments.IsEmpty)
            {
                throw new CliException($"{definitionPath} declares no environment for {definition.Repository}: there is nothing to promote through.", "declare the environments in promotion order (mlenv init writes dev, staging and prod).");
            }

            var validation = definition.Validate();
            if (!validation.IsValid)
            {
                throw new DefinitionInvalidException(validation);
            }

            var missingLogins = WorkflowGenerator.FindMissingLogins(definition);
            if (missingLogins.Count > 0)
            {
                var unbound = definition.Environments.Where(e => e.Binding is null).Select(e => e.Name).ToList();
                var hint = unbound.Count == definition.Environments.Length
                    ? $"nothing was written. No environment is bound yet: `mlenv init --repository {definition.Repository} --azure-subscription <guid> --force` rewrites {definitionPath} with each bound to workspace mlw-<name> in rg-ml and an OIDC login through managed identity id-github-<name>; " +
                      "or add to each environment \"workspace\": {\"subscriptionId\": \"<guid>\", \"resourceGroup\": \"<group>\", \"name\": \"<workspace>\", \"login\": {\"oidc\": {\"identity\": \"<managed identity resource id>\"}}}. Then apply, and generate again."
                    : $"nothing was written. Give each environment named above a \"workspace\" with a \"login\" in {definitionPath} (\"login\": {{\"oidc\": {{\"identity\": \"<managed identity resource id>\"}}}} or {{\"servicePrincipal\": {{…}}}}), apply it, then generate again.";
                if (missingLogins.Count == 1)
                {
                    throw new CliException(missingLogins[0], hint);
                }

                context.Console.ErrorLines($"The workflow cannot promote through {missingLogins.Count} environments of {definition.Repository}:", missingLogins, hint);
                return ExitCodes.Error;
            }

            if (!await WriteGeneratedAsync(context, definitionPath, target, context.Flag(toStdout), context.Flag(force), () => new WorkflowGenerator(options).Generate(definition)).ConfigureAwait(false))
            {
                return ExitCodes.Success;
            }

            context.Console.Success($"Wrote {target}: {string.Join(" → ", definition.Environments.Select(e => e.Name))} for {definition.Repository}.");
            context.Console.Info($"Check it in, then start it from the Actions tab or with: gh workflow run {options.FileName} -f model=<name> -f version=<version>");
            return ExitCodes.Success;
        },
        "mlenv workflow generate",
        "mlenv workflow generate --out .github/workflows/promote.yml --tool-version 0.1.0",
        "mlenv workflow generate --tool-source https://pkgs.example.com/nuget/v3/index.json",
        "mlenv workflow generate --stdout --no-training",
        "mlenv workflow generate --drift --schedule \"17 5 * * 1-5\"");
        return command;
    }

    private static async Task<int> GenerateDriftAsync(
        CommandContext context, RepositoryDefinition definition, string definitionPath, Option<string> output, Option<bool> toStdout, Option<string> name,
        Option<string> toolVersion, Option<string> toolSource, Option<string> runsOn, Option<string> schedule, Option<bool> force)
    {
        var target = context.Value(output) ?? Path.Combine(WorkflowGenerationOptions.WorkflowsDirectory, DriftWorkflowOptions.DefaultFileName);
        var options = new WorkflowGenerationOptions { DefinitionFile = RelativeToRepository(definitionPath, target) };
        options.ToolVersion = context.Value(toolVersion) ?? options.ToolVersion;
        options.ToolSource = context.Value(toolSource);
        options.RunsOn = context.Value(runsOn) ?? options.RunsOn;
        var driftOptions = new DriftWorkflowOptions { FileName = Path.GetFileName(target) };
        driftOptions.WorkflowName = context.Value(name) ?? driftOptions.WorkflowName;
        driftOptions.Schedule = context.Value(schedule) ?? driftOptions.Schedule;
        var problems = options.Validate().Concat(driftOptions.Validate()).ToList();
        if (problems.Count > 0)
        {
            throw new CliException(string.Join(" ", problems), "fix the flags named above (see mlenv workflow generate --help).");
        }

        var validation = definition.Validate();
        if (!validation.IsValid)
        {
            throw new DefinitionInvalidException(validation);
        }

        if (!await WriteGeneratedAsync(context, definitionPath, target, context.Flag(toStdout), context.Flag(force), () => new WorkflowGenerator(options).GenerateDrift(definition, driftOptions)).ConfigureAwait(false))
        {
            return ExitCodes.Success;
        }

        context.Console.Success($"Wrote {target}: the drift check of {definition.Repository} ({driftOptions.Schedule}, UTC).");
        context.Console.Info($"Add the repository secret {driftOptions.ReadTokenSecret} (a read-only token: Environments, Secrets, Variables), check the file in, then run it: gh workflow run {driftOptions.FileName}");
        return ExitCodes.Success;
    }

    /// <summary>
    /// Runs <paramref name="generate"/>, then prints the workflow (<c>--stdout</c>) or writes it to
    /// <paramref name="target"/>, creating its folder. A value the generator refuses becomes a
    /// <see cref="CliException"/>, and a file at <paramref name="target"/> that mlenv did not generate is only
    /// replaced with <c>--force</c>.
    /// </summary>
    /// <returns><see langword="true"/> when the workflow was written to <paramref name="target"/>; <see langword="false"/> when it was printed.</returns>
    private static async Task<bool> WriteGeneratedAsync(CommandContext context, string definitionPath, string target, bool toStdout, bool force, Func<GitHubWorkflowFile> generate)
    {
        GitHubWorkflowFile generated;
        try
        {
            generated = generate();
        }
        catch (ArgumentException e)
        {
            // A value the generator refuses to write (one GitHub would evaluate as an expression).
            throw new CliException(
                e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", string.Empty, StringComparison.Ordinal),
                $"rename what the message names in {definitionPath} (or fix the flag), then generate again.",
                e);
        }

        if (toStdout)
        {
            context.Console.Result(generated.Content);
            return false;
        }

        if (File.Exists(target) && !force && !WorkflowGenerator.IsGenerated(await File.ReadAllTextAsync(target, context.CancellationToken).ConfigureAwait(false)))
        {
            throw new CliException($"{target} exists and was not generated by mlenv.", "pass --force to replace it, or --out to write another file.");
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(target));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        await File.WriteAllTextAsync(target, generated.Content, new UTF8Encoding(false), context.CancellationToken).ConfigureAwait(false);
        return true;
    }

    private static Command CreateLint(CliRuntime runtime)
    {
        var directory = new Argument<string>("directory")
        {
            Description = $"The workflows folder to lint [default: {WorkflowGenerationOptions.WorkflowsDirectory}].",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var file = CommonOptions.File();
        var repository = CommonOptions.Repository();
        var output = CommonOptions.Output();
        var remote = new Option<bool>("--remote") { Description = "Read the workflows of the repository on GitHub instead of a local folder." };
        var gitRef = new Option<string>("--ref") { Description = "With --remote: the branch, tag or SHA to read [default: the default branch].", HelpName = "ref" };
        var connection = new ConnectionOptions();
        var command = new Command("lint", "Check workflows against the definition: every job's environment: must be declared (GitHub creates an unprotected one for a typo), every protected environment should be used, and every Azure login must match its environment's binding (OIDC subject, secret, id-token permission). Exit code 1 when there is an error.")
        {
            directory, file, repository, output, remote, gitRef,
        };
        connection.AddTo(command);
        runtime.SetAction(command, async context =>
        {
            var format = context.Format(output);
            var definition = await context.LoadDefinitionAsync(file, repository).ConfigureAwait(false);
            IReadOnlyList<GitHubWorkflowFile> files;
            if (context.Flag(remote))
            {
                if (context.ParseResult.GetValue(directory) is not null)
                {
                    throw new CliException("--remote reads the repository's workflows on GitHub; it takes no folder.", "drop the folder, or drop --remote to lint a local one.");
                }

                files = await ReadRemoteAsync(context, definition.Repository, context.Value(gitRef), context.Connection(connection)).ConfigureAwait(false);
            }
            else
            {
                files = await ReadLocalAsync(context, context.ParseResult.GetValue(directory) ?? WorkflowGenerationOptions.WorkflowsDirectory).ConfigureAwait(false);
            }

            var result = new WorkflowLinter(definition).Lint(files);
            switch (format)
            {
                case OutputFormat.Json:
                    context.Console.Result(result.ToJson());
                    break;
                case OutputFormat.Markdown:
                    context.Console.Result(result.ToMarkdown());
                    break;
                default:
                    context.Console.Findings(result.ToText());
                    break;
            }

            return result.HasErrors ? ExitCodes.Error : ExitCodes.Success;
        },
        "mlenv workflow lint",
        "mlenv workflow lint path/to/repo/.github/workflows --output markdown",
        "mlenv workflow lint --remote --ref main");
        return command;
    }

    private static async Task<IReadOnlyList<GitHubWorkflowFile>> ReadLocalAsync(CommandContext context, string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new CliException(
                $"No workflows folder at {directory} (in {Directory.GetCurrentDirectory()}).",
                "run from the repository's root, pass the folder (mlenv workflow lint path/.github/workflows), or read them from GitHub with --remote.");
        }

        var files = new List<GitHubWorkflowFile>();
        foreach (var path in Directory.EnumerateFiles(directory)
            .Where(p => p.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal))
        {
            var display = Path.GetRelativePath(Directory.GetCurrentDirectory(), path).Replace('\\', '/');
            files.Add(new GitHubWorkflowFile(display, await File.ReadAllTextAsync(path, context.CancellationToken).ConfigureAwait(false)));
        }

        if (files.Count == 0)
        {
            context.Console.Warning($"{directory} holds no .yml or .yaml file.");
        }

        return files;
    }

    private static async Task<IReadOnlyList<GitHubWorkflowFile>> ReadRemoteAsync(CommandContext context, RepositoryId repository, string? gitRef, ConnectionSettings settings)
    {
        await using var provider = ServiceFactory.BuildForGitHub(repository, settings, context.Environment, context.Runtime.Configuration, context.Console);
        var reader = provider.GetService<IGitHubWorkflowFileReader>() ?? throw new CliException(
            "The registered GitHub provider cannot read workflow files.",
            "lint a local checkout instead: mlenv workflow lint .github/workflows");
        return await context.Console.ProgressAsync(
            $"Reading the workflows of {repository}…",
            () => reader.ListWorkflowFilesAsync(repository, gitRef, context.CancellationToken)).ConfigureAwait(false);
    }

    /// <summary>
    /// The definition file's path as the workflow sees it: relative to the repository root the output sits in (the
    /// folder above <c>.github</c>), else to the current folder. A file outside that root is an error: the workflow
    /// runs in a checkout of the repository and could not read it.
    /// </summary>
    internal static string RelativeToRepository(string definitionPath, string workflowPath)
    {
        var workflowDirectory = Path.GetDirectoryName(Path.GetFullPath(workflowPath));
        var root = Directory.GetCurrentDirectory();
        if (workflowDirectory is not null &&
            string.Equals(Path.GetFileName(workflowDirectory), "workflows", StringComparison.Ordinal) &&
            Path.GetDirectoryName(workflowDirectory) is { } github &&
            string.Equals(Path.GetFileName(github), ".github", StringComparison.Ordinal) &&
            Path.GetDirectoryName(github) is { } repositoryRoot)
        {
            root = repositoryRoot;
        }

        var relative = Path.GetRelativePath(root, Path.GetFullPath(definitionPath)).Replace('\\', '/');
        if (relative.StartsWith("../", StringComparison.Ordinal) || relative == ".." || Path.IsPathRooted(relative))
        {
            throw new CliException(
                $"{definitionPath} is outside the repository the workflow is for ({root}): the workflow runs in a checkout of that repository and could not read it.",
                "move the definition into the repository (or run from the repository's root, or point --out at its .github/workflows/), then generate again; nothing was written.");
        }

        return relative;
    }
}
