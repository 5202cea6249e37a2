using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using MlEnvironments.GitHub;
using MlEnvironments.Planning;

namespace MlEnvironments.Drift;

/// <summary>What kind of difference between a definition and reality a <see cref="DriftFinding"/> is.</summary>
public enum DriftKind
{
    /// <summary>A declared setting (reviewers, wait timer, self-review, admins bypass, branch policy or pattern, variable, custom protection rule) was changed outside the definition.</summary>
    SettingChanged,

    /// <summary>A declared environment does not exist.</summary>
    EnvironmentMissing,

    /// <summary>A declared secret does not exist (its value cannot be compared: GitHub never returns values).</summary>
    SecretMissing,

    /// <summary>
    /// An environment exists that the definition does not declare, and it has no protection rules at all (no
    /// reviewers, no wait timer, every branch allowed, no custom rule): what GitHub creates when a workflow's job names
    /// an environment that does not exist.
    /// </summary>
    UnprotectedEnvironment,

    /// <summary>An environment exists that the definition does not declare; it has some protection.</summary>
    UndeclaredEnvironment,

    /// <summary>The Azure side of a workspace binding changed: a federated credential or a role assignment is missing or different.</summary>
    AzureBindingChanged,

    /// <summary>
    /// A bound workspace's "current" pointer (the model versions whose <c>stage</c> and tags name the environment)
    /// disagrees with the promotion ledger: the workspace marks another version, several, or one when nothing was promoted.
    /// </summary>
    StagePointer,
}

/// <summary>One difference between a definition and what GitHub (or Azure) has. Never holds a secret value.</summary>
public sealed class DriftFinding
{
    internal DriftFinding(DriftKind kind, string environmentName, string subject, string? declared, string? actual)
    {
        Kind = kind;
        EnvironmentName = environmentName;
        Subject = subject;
        Declared = declared;
        Actual = actual;
    }

    /// <summary>What kind of drift.</summary>
    public DriftKind Kind { get; }

    /// <summary>The environment concerned.</summary>
    public string EnvironmentName { get; }

    /// <summary>What differs, e.g. <c>reviewers</c>, <c>secret MODEL_TOKEN</c>, <c>Azure federated credential github-prod</c>.</summary>
    public string Subject { get; }

    /// <summary>What the definition declares, for display; <see langword="null"/> when it declares nothing there.</summary>
    public string? Declared { get; }

    /// <summary>What GitHub or Azure has, for display; <see langword="null"/> when nothing is there.</summary>
    public string? Actual { get; }

    /// <summary>One line, e.g. <c>environment "prod": reviewers: declared user:ana, team:ml-leads; actual user:ana</c>.</summary>
    /// <returns>The line.</returns>
    public string Describe()
    {
        var where = $"environment \"{EnvironmentName}\"";
        return Kind switch
        {
            DriftKind.EnvironmentMissing => $"{where}: declared but missing",
            DriftKind.SecretMissing => $"{where}: {Subject} is declared but missing",
            DriftKind.UnprotectedEnvironment => $"{where}: not declared, and has no protection rules at all ({Actual}); GitHub creates such an environment when a workflow names one that does not exist",
            DriftKind.UndeclaredEnvironment => $"{where}: not declared ({Actual})",
            DriftKind.StagePointer => $"{where}: {Subject}: the ledger says {Declared}; the workspace marks {Actual}",
            _ => $"{where}: {Subject}: declared {Declared ?? "(nothing)"}; actual {Actual ?? "(missing)"}",
        };
    }

    /// <inheritdoc cref="Describe"/>
    public override string ToString() => Describe();
}

/// <summary>
/// The drift of one repository: every way GitHub (and, for bound workspaces, Azure) differs from the definition
/// because of changes made outside it. Built from a plan made with <see cref="PlanOptions.DetectDrift"/> by
/// <see cref="FromPlan"/>; rendered as text, JSON and Markdown. Holds no secret value: secrets appear by name only.
/// </summary>
public sealed class DriftReport
{
    internal DriftReport(RepositoryId repository, ImmutableArray<DriftFinding> findings, ImmutableArray<string> notes)
    {
        Repository = repository;
        Findings = findings;
        Notes = notes;
    }

    /// <summary>The repository.</summary>
    public RepositoryId Repository { get; }

    /// <summary>The findings, in the definition's environment order (undeclared environments last).</summary>
    public ImmutableArray<DriftFinding> Findings { get; }

    /// <summary>Warnings about what could not be checked (e.g. protection rules GitHub refused to list).</summary>
    public ImmutableArray<string> Notes { get; }

    /// <summary>Whether anything drifted.</summary>
    public bool HasDrift => !Findings.IsEmpty;

    /// <summary>The summary line, e.g. <c>Drift: 3 findings in 2 environments.</c> or <c>No drift: …</c>.</summary>
    public string Summary
    {
        get
        {
            if (!HasDrift)
            {
                return "No drift: GitHub matches the definition.";
            }

            var environments = Findings.Select(f => f.EnvironmentName).Distinct(StringComparer.OrdinalIgnoreCase).Count();
            return string.Create(CultureInfo.InvariantCulture,
                $"Drift: {Findings.Length} {(Findings.Length == 1 ? "finding" : "findings")} in {environments} {(environments == 1 ? "environment" : "environments")}.");
        }
    }

    /// <summary>
    /// This report with the stage pointers that disagree with the ledger added as <see cref="DriftKind.StagePointer"/>
    /// findings (pointers that agree add nothing), and notes about pointers that could not be read.
    /// </summary>
    /// <param name="pointers">The pointers read (see <see cref="Promotion.IPromotionPointerReader"/>).</param>
    /// <param name="notes">What could not be checked, e.g. a workspace that refused the read.</param>
    /// <returns>The new report; this one is unchanged.</returns>
    public DriftReport WithStagePointers(IEnumerable<Promotion.PromotionPointerStatus> pointers, IEnumerable<string>? notes = null)
    {
        ArgumentNullException.ThrowIfNull(pointers);
        var added = pointers.Where(p => p.IsDrift).Select(p => new DriftFinding(
            DriftKind.StagePointer,
            p.Environment,
            $"stage of model {p.ModelName} in workspace {p.Workspace.WorkspaceName}",
            p.LedgerVersion is null ? "nothing promoted" : string.Create(CultureInfo.InvariantCulture, $"version {p.LedgerVersion} (#{p.LedgerDeploymentId})"),
            p.MarkedVersions.IsEmpty ? "no version" : (p.MarkedVersions.Length == 1 ? "version " : "versions ") + string.Join(", ", p.MarkedVersions)));
        return new DriftReport(Repository, Findings.AddRange(added), Notes.AddRange(notes ?? []));
    }

    /// <summary>
    /// The drift a plan shows: each change the plan would make is something changed outside the definition, and each
    /// environment that exists but is not declared is reported (as unprotected when it has no protection rule at all).
    /// </summary>
    /// <param name="plan">
    /// A plan made without pruning and without <see cref="PlanOptions.UpdateSecrets"/>, best with
    /// <see cref="PlanOptions.DetectDrift"/> (so that undeclared environments' custom protection rules were read).
    /// </param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentException">The plan was made with <see cref="PlanOptions.UpdateSecrets"/> or <see cref="PlanOptions.Prune"/>: its changes are not all drift.</exception>
    public static DriftReport FromPlan(RepositoryPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Options.UpdateSecrets || plan.Options.Prune)
        {
            throw new ArgumentException("A drift report needs a plan made without UpdateSecrets and without Prune: with them, a plan has changes that are not drift.", nameof(plan));
        }

        var findings = ImmutableArray.CreateBuilder<DriftFinding>();
        foreach (var change in plan.Changes)
        {
            findings.Add(FromChange(change));
        }

        foreach (var state in plan.Observed.Environments.Where(e => plan.Desired.FindEnvironment(e.Environment.Name) is null))
        {
            var environment = state.Environment;
            var protections = new System.Collections.Generic.List<string>();
            if (environment.Reviewers.Count > 0)
            {
                protections.Add(environment.Reviewers.Count == 1 ? "1 reviewer" : $"{environment.Reviewers.Count} reviewers");
            }

            if (environment.WaitTimer > TimeSpan.Zero)
            {
                protections.Add($"wait timer {(int)environment.WaitTimer.TotalMinutes} min");
            }

            if (environment.BranchPolicy != DeploymentBranchPolicyKind.AllBranches)
            {
                protections.Add(environment.BranchPolicy == DeploymentBranchPolicyKind.ProtectedBranches ? "protected branches only" : "custom branch patterns");
            }

            if (!state.ProtectionRules.IsEmpty)
            {
                protections.Add(state.ProtectionRules.Length == 1 ? "1 custom protection rule" : $"{state.ProtectionRules.Length} custom protection rules");
            }

            findings.Add(protections.Count == 0
                ? new DriftFinding(DriftKind.UnprotectedEnvironment, environment.Name, "environment", null,
                    state.ProtectionRulesRead ? "no reviewers, no wait timer, every branch, no custom rule" : "no reviewers, no wait timer, every branch; custom rules not read")
                : new DriftFinding(DriftKind.UndeclaredEnvironment, environment.Name, "environment", null, string.Join(", ", protections)));
        }

        var notes = plan.Notes.Where(n => n.Severity == PlanNoteSeverity.Warning).Select(n => n.ToString());
        return new DriftReport(plan.Repository, findings.ToImmutable(), [.. notes]);
    }

    private static DriftFinding FromChange(PlannedChange change)
    {
        var name = change.EnvironmentName;
        if (change.Kind == ChangeKind.Environment && change.Action == ChangeAction.Create)
        {
            return new DriftFinding(DriftKind.EnvironmentMissing, name, "environment", "declared", null);
        }

        if (change.Kind == ChangeKind.Secret)
        {
            // Secrets only ever show their names: no value is in a plan, and none reaches a report.
            return change.Action == ChangeAction.Create
                ? new DriftFinding(DriftKind.SecretMissing, name, "secret " + change.Target, "(sensitive)", null)
                : new DriftFinding(DriftKind.SettingChanged, name, "secret " + change.Target, change.Action == ChangeAction.Delete ? null : "(sensitive)", "(sensitive)");
        }

        var kind = change.Kind is ChangeKind.FederatedCredential or ChangeKind.RoleAssignment ? DriftKind.AzureBindingChanged : DriftKind.SettingChanged;
        var subject = change.Kind switch
        {
            ChangeKind.Environment => "environment",
            ChangeKind.Reviewers => "reviewers",
            ChangeKind.WaitTimer => "wait timer",
            ChangeKind.PreventSelfReview => "prevent self-review",
            ChangeKind.AdminsBypass => "admins bypass",
            ChangeKind.BranchPolicy => "deployment branch policy",
            ChangeKind.BranchPattern => "pattern " + change.Target,
            ChangeKind.FederatedCredential => "Azure federated credential " + change.Target,
            ChangeKind.RoleAssignment => "Azure role assignment " + change.Target,
            ChangeKind.ProtectionRule => "custom protection rule " + (change.After ?? change.Before ?? change.Target),
            _ => "variable " + change.Target,
        };
        return change.Action switch
        {
            ChangeAction.Create => new DriftFinding(kind, name, subject, change.After ?? "present", null),
            ChangeAction.Delete => new DriftFinding(kind, name, subject, null, change.Before ?? "present"),
            _ => new DriftFinding(kind, name, subject, change.After, change.Before),
        };
    }

    /// <summary>Renders the report as text: one line per finding, then the notes and the summary.</summary>
    /// <returns>The text.</returns>
    public string ToText()
    {
        var builder = new StringBuilder();
        builder.Append("Drift check of ").Append(Repository).AppendLine(":");
        foreach (var finding in Findings)
        {
            builder.Append("  ").Append(Symbol(finding.Kind)).Append(' ').AppendLine(finding.Describe());
        }

        foreach (var note in Notes)
        {
            builder.Append("  ").AppendLine(note);
        }

        return builder.Append(Summary).ToString();
    }

    /// <summary>Renders the report as JSON (for tools).</summary>
    /// <returns>The JSON.</returns>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("repository", Repository.ToString());
            writer.WriteBoolean("hasDrift", HasDrift);
            writer.WriteString("summary", Summary);
            writer.WriteStartArray("findings");
            foreach (var finding in Findings)
            {
                writer.WriteStartObject();
                writer.WriteString("kind", char.ToLowerInvariant(finding.Kind.ToString()[0]) + finding.Kind.ToString()[1..]);
                writer.WriteString("environment", finding.EnvironmentName);
                writer.WriteString("subject", finding.Subject);
                WriteNullable(writer, "declared", finding.Declared);
                WriteNullable(writer, "actual", finding.Actual);
                writer.WriteString("description", finding.Describe());
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("notes");
            foreach (var note in Notes)
            {
                writer.WriteStringValue(note);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Renders the report as Markdown (for job summaries and issues).</summary>
    /// <returns>The Markdown.</returns>
    public string ToMarkdown() => ToMarkdown(int.MaxValue);

    /// <summary>
    /// Renders the report as Markdown of at most <paramref name="maxLength"/> characters: findings that do not fit are
    /// counted in a last line instead (GitHub takes at most <see cref="GitHubIssue.MaxBodyLength"/> in an issue).
    /// </summary>
    /// <param name="maxLength">The most characters; at least 1,024.</param>
    /// <returns>The Markdown.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is less than 1,024.</exception>
    public string ToMarkdown(int maxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 1024);
        var head = new StringBuilder();
        head.Append("### Drift check of `").Append(Repository).AppendLine("`").AppendLine();
        head.Append("**").Append(Summary).AppendLine("**").AppendLine();
        var tail = new StringBuilder();
        if (!Notes.IsEmpty)
        {
            tail.AppendLine();
            foreach (var note in Notes)
            {
                tail.Append("- ").AppendLine(Cell(note));
            }
        }

        if (!HasDrift)
        {
            return Fit(head.Append(tail).ToString(), maxLength);
        }

        head.AppendLine("| | Environment | What | Declared | Actual |").AppendLine("|---|---|---|---|---|");
        var rows = new StringBuilder();
        var shown = 0;
        const int Reserve = 200;
        foreach (var finding in Findings)
        {
            var row = $"| {Label(finding.Kind)} | `{Code(finding.EnvironmentName)}` | {Cell(finding.Subject)} | {Value(finding.Declared)} | {Value(finding.Actual)} |{System.Environment.NewLine}";
            if (head.Length + rows.Length + row.Length + tail.Length + Reserve > maxLength)
            {
                break;
            }

            rows.Append(row);
            shown++;
        }

        var text = head.Append(rows);
        if (shown < Findings.Length)
        {
            text.AppendLine().Append("… and ").Append(Findings.Length - shown).AppendLine(" more findings: run `mlenv drift` for the full report.");
        }

        return Fit(text.Append(tail).ToString(), maxLength);
    }

    /// <inheritdoc cref="ToText"/>
    public override string ToString() => ToText();

    private static string Fit(string text, int maxLength) => text.Length <= maxLength ? text : text[..maxLength];

    private static string Symbol(DriftKind kind) => kind switch
    {
        DriftKind.SettingChanged or DriftKind.AzureBindingChanged or DriftKind.StagePointer => "~",
        DriftKind.EnvironmentMissing or DriftKind.SecretMissing => "-",
        DriftKind.UnprotectedEnvironment => "!",
        _ => "+",
    };

    private static string Label(DriftKind kind) => kind switch
    {
        DriftKind.SettingChanged => "changed",
        DriftKind.EnvironmentMissing => "missing",
        DriftKind.SecretMissing => "secret missing",
        DriftKind.UnprotectedEnvironment => "**unprotected, undeclared**",
        DriftKind.UndeclaredEnvironment => "undeclared",
        DriftKind.StagePointer => "stage pointer",
        _ => "Azure changed",
    };

    private static string Value(string? value) => value is null ? "—" : "`" + Code(value) + "`";

    // Inside a code span nothing is Markdown or a mention; a backtick would end it, a pipe would end the cell.
    private static string Code(string value) =>
        OneLine(value).Replace('`', '\'').Replace("|", "\\|", StringComparison.Ordinal);

    // Outside code spans: no HTML, no table break, no line break.
    private static string Cell(string value) =>
        OneLine(value).Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal).Replace("@", "@\u200B", StringComparison.Ordinal);

    private static string OneLine(string value) =>
        new([.. value.Select(c => char.IsControl(c) || c is '\u2028' or '\u2029' ? ' ' : c)]);

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
}
