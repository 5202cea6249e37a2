using System;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace MlEnvironments.Workflows;

/// <summary>How serious a lint finding is.</summary>
public enum WorkflowFindingSeverity
{
    /// <summary>Something that could not be checked, said so that silence is not taken for approval.</summary>
    Info,

    /// <summary>Probably wrong, or weaker than it looks; the workflow may still work.</summary>
    Warning,

    /// <summary>Wrong: the workflow will not do what the definition says (an unprotected environment, a login that fails).</summary>
    Error,
}

/// <summary>The stable codes of <see cref="WorkflowFinding.Rule"/>.</summary>
public static class WorkflowLintRules
{
    /// <summary>The file is not valid YAML.</summary>
    public const string YamlSyntax = "yaml-syntax";

    /// <summary>The file is YAML but not a workflow (no <c>jobs:</c> mapping).</summary>
    public const string NotAWorkflow = "not-a-workflow";

    /// <summary>A job's <c>environment:</c> is not declared: GitHub would create it, unprotected, on first use.</summary>
    public const string UndeclaredEnvironment = "undeclared-environment";

    /// <summary>A job's <c>environment:</c> differs from the declared name only by case.</summary>
    public const string EnvironmentSpelling = "environment-spelling";

    /// <summary>A job's <c>environment:</c> is an expression and could not be checked.</summary>
    public const string EnvironmentExpression = "environment-expression";

    /// <summary>A declared protected environment that no job runs in: its protection guards nothing.</summary>
    public const string UnusedProtectedEnvironment = "unused-protected-environment";

    /// <summary>An OIDC login in a job without <c>environment:</c>: its token's subject is not the environment form the federated credentials trust.</summary>
    public const string OidcWithoutEnvironment = "oidc-without-environment";

    /// <summary>An OIDC login in an environment whose binding creates no federated credential for it.</summary>
    public const string OidcSubjectMismatch = "oidc-subject-mismatch";

    /// <summary>A service-principal login (<c>creds:</c>) where the definition does not set <c>AZURE_CREDENTIALS</c>.</summary>
    public const string CredentialsMismatch = "credentials-mismatch";

    /// <summary>
    /// An OIDC login in a job whose token lacks <c>id-token: write</c> (an error); in a reusable workflow
    /// (<c>workflow_call</c> only) that declares no permissions, a note that the caller's decide (info).
    /// </summary>
    public const string MissingIdTokenPermission = "missing-id-token-permission";

    /// <summary>A step that needs Azure credentials (<c>mlenv promote</c>, <c>mlenv rollback</c>, <c>az ml</c>) with no <c>azure/login</c> (or <c>az login</c>) before it in its job.</summary>
    public const string MissingAzureLogin = "missing-azure-login";

    /// <summary>A login input read from secrets where the definition publishes a variable (or the other way round).</summary>
    public const string LoginInputSource = "login-input-source";
}

/// <summary>One thing <see cref="WorkflowLinter"/> found.</summary>
public sealed class WorkflowFinding
{
    internal WorkflowFinding(WorkflowFindingSeverity severity, string rule, string? file, int? line, string? jobId, string message, string? hint)
    {
        Severity = severity;
        Rule = rule;
        File = file;
        Line = line;
        JobId = jobId;

        // Messages quote names read from workflow files: any line break or control character in them is shown as
        // \uXXXX, so that a finding is one line in every rendering (text, Markdown, a terminal).
        Message = WorkflowGenerator.Printable(message);
        Hint = hint is null ? null : WorkflowGenerator.Printable(hint);
    }

    /// <summary>Error, warning or info.</summary>
    public WorkflowFindingSeverity Severity { get; }

    /// <summary>The rule's stable code (see <see cref="WorkflowLintRules"/>).</summary>
    public string Rule { get; }

    /// <summary>The workflow file, e.g. <c>.github/workflows/deploy.yml</c>; <see langword="null"/> for findings about the definition as a whole.</summary>
    public string? File { get; }

    /// <summary>The line (1-based) in <see cref="File"/>, when known.</summary>
    public int? Line { get; }

    /// <summary>The job's id, when the finding is about one job.</summary>
    public string? JobId { get; }

    /// <summary>What is wrong and why it matters.</summary>
    public string Message { get; }

    /// <summary>What to do about it, e.g. the environment that was probably meant.</summary>
    public string? Hint { get; }

    /// <summary>The location: <c>file:line</c>, <c>file</c>, or <c>(definition)</c>.</summary>
    public string Location => File is null ? "(definition)" : Line is { } line ? $"{File}:{line.ToString(CultureInfo.InvariantCulture)}" : File;

    /// <summary>Returns <c>file:line: severity: message [rule]</c>, and the hint on a second line.</summary>
    public override string ToString() =>
        $"{Location}: {WorkflowLintResult.Name(Severity)}: {Message} [{Rule}]" + (Hint is null ? string.Empty : System.Environment.NewLine + "  hint: " + Hint);
}

/// <summary>What <see cref="WorkflowLinter"/> found in a set of workflow files, renderable as text, JSON and Markdown.</summary>
public sealed class WorkflowLintResult
{
    internal WorkflowLintResult(RepositoryId repository, int fileCount, ImmutableArray<WorkflowFinding> findings)
    {
        Repository = repository;
        FileCount = fileCount;
        Findings = findings;
    }

    /// <summary>The repository whose definition the workflows were checked against.</summary>
    public RepositoryId Repository { get; }

    /// <summary>How many workflow files were read.</summary>
    public int FileCount { get; }

    /// <summary>Every finding, by file and line; findings about the definition as a whole come last.</summary>
    public ImmutableArray<WorkflowFinding> Findings { get; }

    /// <summary>How many errors.</summary>
    public int ErrorCount => Findings.Count(f => f.Severity == WorkflowFindingSeverity.Error);

    /// <summary>How many warnings.</summary>
    public int WarningCount => Findings.Count(f => f.Severity == WorkflowFindingSeverity.Warning);

    /// <summary>Whether any finding is an error.</summary>
    public bool HasErrors => ErrorCount > 0;

    /// <summary>The summary line, e.g. <c>1 error, 1 warning in 2 workflow files.</c></summary>
    public string Summary =>
        $"{Count(ErrorCount, "error")}, {Count(WarningCount, "warning")} in {Count(FileCount, "workflow file")}.";

    /// <summary>Renders the findings as text, one finding (and its hint) per line, then the summary.</summary>
    /// <returns>The text.</returns>
    public string ToText()
    {
        var builder = new StringBuilder();
        builder.Append("Workflow lint for ").Append(Repository).AppendLine(":");
        foreach (var finding in Findings)
        {
            builder.Append("  ").Append(finding.Location).Append(": ").Append(Name(finding.Severity)).Append(": ")
                .Append(finding.Message).Append(" [").Append(finding.Rule).AppendLine("]");
            if (finding.Hint is not null)
            {
                builder.Append("    hint: ").AppendLine(finding.Hint);
            }
        }

        return builder.Append(Summary).ToString();
    }

    /// <summary>Renders the findings as JSON (for tools).</summary>
    /// <returns>The JSON.</returns>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("repository", Repository.ToString());
            writer.WriteNumber("files", FileCount);
            writer.WriteNumber("errors", ErrorCount);
            writer.WriteNumber("warnings", WarningCount);
            writer.WriteStartArray("findings");
            foreach (var finding in Findings)
            {
                writer.WriteStartObject();
                writer.WriteString("severity", Name(finding.Severity));
                writer.WriteString("rule", finding.Rule);
                WriteNullable(writer, "file", finding.File);
                if (finding.Line is { } line)
                {
                    writer.WriteNumber("line", line);
                }
                else
                {
                    writer.WriteNull("line");
                }

                WriteNullable(writer, "job", finding.JobId);
                writer.WriteString("message", finding.Message);
                WriteNullable(writer, "hint", finding.Hint);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Renders the findings as Markdown (for pull-request comments and job summaries).</summary>
    /// <returns>The Markdown.</returns>
    public string ToMarkdown()
    {
        var builder = new StringBuilder();
        builder.Append("### Workflow lint for `").Append(Repository).AppendLine("`").AppendLine();
        if (!Findings.IsEmpty)
        {
            builder.AppendLine("| Severity | Location | Job | Finding | Hint |");
            builder.AppendLine("|---|---|---|---|---|");
            foreach (var finding in Findings)
            {
                builder.Append("| ").Append(Name(finding.Severity))
                    .Append(" | `").Append(Cell(finding.Location)).Append('`')
                    .Append(" | ").Append(finding.JobId is null ? string.Empty : "`" + Cell(finding.JobId) + "`")
                    .Append(" | ").Append(Cell(finding.Message)).Append(" `").Append(finding.Rule).Append('`')
                    .Append(" | ").Append(Cell(finding.Hint ?? string.Empty)).AppendLine(" |");
            }

            builder.AppendLine();
        }

        return builder.Append("**").Append(Summary).AppendLine("**").ToString();
    }

    /// <inheritdoc cref="ToText"/>
    public override string ToString() => ToText();

    internal static string Name(WorkflowFindingSeverity severity) => severity switch
    {
        WorkflowFindingSeverity.Error => "error",
        WorkflowFindingSeverity.Warning => "warning",
        _ => "info",
    };

    private static string Count(int count, string noun) => count.ToString(CultureInfo.InvariantCulture) + " " + noun + (count == 1 ? string.Empty : "s");

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static string Cell(string value) =>
        value.Replace("|", "\\|", StringComparison.Ordinal).Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
