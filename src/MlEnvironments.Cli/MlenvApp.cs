using System;
using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MlEnvironments.Cli.Commands;
using MlEnvironments.Cli.Infrastructure;

namespace MlEnvironments.Cli;

/// <summary>The <c>mlenv</c> command line: commands, help with examples, and one-line errors with a hint.</summary>
internal static class MlenvApp
{
    /// <summary>The exit codes, each with the commands it concerns (<see langword="null"/>: every command).</summary>
    private static readonly (string Line, string[]? Commands)[] ExitCodeLines =
    [
        ("0    success; plan: no changes; workflow lint: no errors; promote: promoted or already promoted; rollback: rolled back", null),
        ("1    error: bad flags, a missing, malformed or invalid definition, a failed call, an apply that failed or was declined, lint errors, a promotion refused before any write", null),
        ("2    plan: there are changes to apply (not with --in-memory: its repository starts empty, so there always are)", ["plan"]),
        ("3    promote (also --dry-run), rollback: a gate failed; nothing was promoted", ["promote", "rollback"]),
        ("4    drift: drift was found (declared settings changed, undeclared environments, missing secrets, or a binding's Azure side changed)", ["drift"]),
        ("130  interrupted", null),
    ];

    /// <summary>The commands whose help lists the exit codes.</summary>
    private static readonly string[] CommandsWithExitCodes =
        ["plan", "apply", "validate", "lint", "promote", "pending", "approve", "reject", "history", "rollback", "dispatch", "drift"];

    /// <summary>How arguments are parsed: as given, with no <c>@file</c> response-file expansion.</summary>
    internal static ParserConfiguration ParserConfiguration => new() { ResponseFileTokenReplacer = null };

    public static async Task<int> RunAsync(string[] args, CliConsole console, IEnvironmentReader environment, CancellationToken cancellationToken = default)
    {
        var runtime = new CliRuntime(console, environment);
        var root = CreateRootCommand(runtime);
        // No response files: System.CommandLine would otherwise replace an argument "@path" with the file's content,
        // so that a workflow input such as model=@/proc/self/environ would print the file in an error.
        var parseResult = root.Parse(args, ParserConfiguration);
        if (parseResult.Action is ParseErrorAction && parseResult.Errors.Count > 0)
        {
            var errors = ParseErrors(parseResult);
            var hint = $"run `{CommandPath(parseResult)} --help` for its options and an example.";
            if (errors.Count == 1)
            {
                console.Error(errors[0], hint);
            }
            else
            {
                console.ErrorLines($"{errors.Count} problems with the command line:", errors, hint);
            }

            return ExitCodes.Error;
        }

        return await parseResult.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, cancellationToken).ConfigureAwait(false);
    }

    internal static RootCommand CreateRootCommand(CliRuntime runtime)
    {
        var root = new RootCommand(
            "mlenv: GitHub environments bound to Azure Machine Learning workspaces, as code. Reads mlenv.json (--file), " +
            "then environment variables, then flags (flags win). GITHUB_TOKEN authenticates to GitHub; Azure uses DefaultAzureCredential.");
        root.Subcommands.Add(InitCommand.Create(runtime));
        root.Subcommands.Add(ValidateCommand.Create(runtime));
        root.Subcommands.Add(SchemaCommand.Create(runtime));
        root.Subcommands.Add(PlanCommands.CreatePlan(runtime));
        root.Subcommands.Add(PlanCommands.CreateApply(runtime));
        root.Subcommands.Add(WorkflowCommands.Create(runtime));
        root.Subcommands.Add(DriftCommand.Create(runtime));
        foreach (var command in PromotionCommands.Create(runtime))
        {
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(DemoCommand.Create(runtime));
        runtime.Examples[root] =
        [
            "mlenv demo",
            "mlenv init --repository octo-org/credit-risk",
            "mlenv plan",
            "mlenv apply --auto-approve",
            "mlenv workflow generate",
            "mlenv workflow lint",
            "mlenv drift --open-issues",
            "mlenv promote --from dev --to staging --model fraud --version 3",
            "mlenv pending",
            "mlenv approve --run-id 123456789 --comment \"auc beats the champion\"",
            "mlenv history --environment prod",
            "mlenv rollback --environment prod --model fraud --skip-gates --reason \"latency regression\"",
            "mlenv dispatch --model fraud --version 3",
        ];
        foreach (var workflow in root.Subcommands.Where(c => c.Name == "workflow"))
        {
            runtime.Examples[workflow] = ["mlenv workflow generate", "mlenv workflow lint"];
        }

        foreach (var help in root.Options.OfType<HelpOption>())
        {
            if (help.Action is HelpAction inner)
            {
                help.Action = new HelpWithExamples(inner, runtime.Examples, root);
            }
        }

        return root;
    }

    /// <summary>Every parse error, one line each, unrecognized words first and each with the nearest command or option ("did you mean").</summary>
    internal static IReadOnlyList<string> ParseErrors(ParseResult parseResult)
    {
        var command = parseResult.CommandResult.Command;
        var candidates = new List<string>();
        candidates.AddRange(command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name));
        for (var result = parseResult.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            foreach (var option in result.Command.Options.Where(o => !o.Hidden && (ReferenceEquals(result.Command, command) || o.Recursive)))
            {
                candidates.Add(option.Name);
                candidates.AddRange(option.Aliases);
            }
        }

        var unrecognized = new List<string>();
        var others = new List<string>();
        foreach (var error in parseResult.Errors)
        {
            var message = string.Join(" ", error.Message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).TrimEnd('.') + ".";
            var token = parseResult.UnmatchedTokens.FirstOrDefault(t => message.Contains($"'{t}'", StringComparison.Ordinal));
            if (token is null)
            {
                others.Add(message);
                continue;
            }

            var suggestion = Suggest(token.Split('=', 2)[0], candidates);
            unrecognized.Add(suggestion is null ? message : $"{message.TrimEnd('.')}: did you mean '{suggestion}'?");
        }

        return [.. unrecognized, .. others];
    }

    /// <summary>The candidate nearest to a mistyped word: at most two edits away (one for words of up to four letters), or the only one it begins.</summary>
    internal static string? Suggest(string word, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        var distinct = candidates.Distinct(StringComparer.Ordinal).ToList();
        foreach (var candidate in distinct)
        {
            var distance = Distance(word.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        var limit = word.TrimStart('-').Length <= 4 ? 1 : 2;
        if (best is not null && bestDistance <= limit)
        {
            return best;
        }

        var prefixed = word.Length >= 3 ? distinct.Where(c => c.StartsWith(word, StringComparison.OrdinalIgnoreCase)).ToList() : [];
        return prefixed.Count == 1 ? prefixed[0] : null;
    }

    private static int Distance(string a, string b)
    {
        // Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions.
        var beforePrevious = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    // Two letters swapped count as one edit.
                    current[j] = Math.Min(current[j], beforePrevious[j - 2] + 1);
                }
            }

            (beforePrevious, previous, current) = (previous, current, beforePrevious);
        }

        return previous[b.Length];
    }

    private static string CommandPath(ParseResult parseResult)
    {
        var names = new List<string>();
        for (var result = parseResult.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Add(result.Command is RootCommand ? "mlenv" : result.Command.Name);
        }

        names.Reverse();
        return string.Join(" ", names);
    }

    /// <summary>The standard help, then the command's examples (and, for <c>mlenv --help</c>, the exit codes).</summary>
    private sealed class HelpWithExamples(HelpAction inner, IReadOnlyDictionary<Command, string[]> examples, RootCommand root) : SynchronousCommandLineAction
    {
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            var code = inner.Invoke(parseResult);
            var output = parseResult.InvocationConfiguration.Output;
            var command = parseResult.CommandResult.Command;
            if (examples.TryGetValue(command, out var lines) && lines.Length > 0)
            {
                output.WriteLine(lines.Length == 1 ? "Example:" : "Examples:");
                foreach (var line in lines)
                {
                    output.WriteLine("  " + line);
                }

                output.WriteLine();
            }

            var isRoot = ReferenceEquals(command, root);
            if (isRoot || CommandsWithExitCodes.Contains(command.Name, StringComparer.Ordinal))
            {
                output.WriteLine("Exit codes:");
                foreach (var (line, _) in ExitCodeLines.Where(l => isRoot || l.Commands is null || l.Commands.Contains(command.Name, StringComparer.Ordinal)))
                {
                    output.WriteLine("  " + line);
                }

                output.WriteLine();
            }

            return code;
        }
    }
}
