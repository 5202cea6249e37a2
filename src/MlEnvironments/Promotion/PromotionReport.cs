using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace MlEnvironments.Promotion;

/// <summary>Renders evaluations, results and ledger history for people: plain text for terminals, Markdown for job summaries and comments.</summary>
public static class PromotionReport
{
    /// <summary>Renders an evaluation as text: the candidate, the champion, each gate's verdict, the metrics side by side.</summary>
    /// <param name="evaluation">The evaluation.</param>
    /// <returns>The text.</returns>
    public static string ToText(PromotionEvaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var text = new StringBuilder();
        text.Append("Candidate ").Append(evaluation.Candidate).Append(" from ").Append(evaluation.SourceEnvironment)
            .Append(" → ").Append(evaluation.TargetEnvironment);
        text.Append(evaluation.Champion is { } champion
            ? $" (champion: {champion.ModelName}@{champion.Version}, promoted {champion.CreatedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)})"
            : " (no champion yet)").AppendLine();
        foreach (var verdict in evaluation.Verdicts)
        {
            text.Append("  ").Append(verdict.Passed ? "PASS " : "FAIL ").Append(verdict.Gate).Append(" — ").AppendLine(verdict.Reason);
        }

        if (evaluation.GatesSkipped)
        {
            text.AppendLine("  (gates skipped on request)");
        }
        else if (evaluation.Verdicts.IsEmpty)
        {
            text.Append("  (").Append(evaluation.TargetEnvironment).AppendLine(" declares no gates)");
        }

        var rows = MetricRows(evaluation).ToList();
        if (rows.Count > 0)
        {
            var recent = evaluation.History.Length > 1;
            var width = Math.Max(6, rows.Max(r => r.Name.Length));
            text.Append("  ").Append("metric".PadRight(width)).Append("  candidate  champion")
                .Append(recent ? $"  last {evaluation.History.Length} promoted" : string.Empty).AppendLine();
            foreach (var row in rows)
            {
                text.Append("  ").Append(row.Name.PadRight(width)).Append("  ").Append(row.Candidate.PadLeft(9))
                    .Append("  ").Append(row.Champion.PadLeft(8));
                if (recent)
                {
                    var values = evaluation.History.Select(r => Value(r.Metrics, row.Name)).OfType<double>().ToList();
                    text.Append("  ").Append(values.Count == 0 ? "—" : $"{GateEvaluator.F(values.Min())} – {GateEvaluator.F(values.Max())}");
                }

                text.AppendLine();
            }
        }

        text.Append(Verdict(evaluation));
        return text.ToString();
    }

    /// <summary>The most a job summary may hold: GitHub refuses a step's summary above 1 MiB (1,048,576 bytes of UTF-8).</summary>
    public const int JobSummaryLimit = 1024 * 1024;

    /// <summary>The most metric rows a Markdown review lists (metrics that gates name first); the rest are counted.</summary>
    public const int MaxMetricRows = 50;

    /// <summary>The most charts a Markdown review draws: one per metric a gate names, in the order of the gates.</summary>
    public const int MaxCharts = 4;

    /// <summary>
    /// Renders an evaluation as Markdown (GitHub-flavoured): the verdict, the gates, a table of the candidate's metrics
    /// against the champion and the target's latest promoted versions (with the deltas and the gates each metric
    /// decides), a Mermaid chart per gated metric, and links to the model and its training run in Azure ML studio.
    /// At most <see cref="JobSummaryLimit"/> bytes.
    /// </summary>
    /// <param name="evaluation">The evaluation.</param>
    /// <returns>The Markdown.</returns>
    public static string ToMarkdown(PromotionEvaluation evaluation) => ToMarkdown(evaluation, JobSummaryLimit);

    /// <summary>
    /// Renders an evaluation as Markdown within a size limit: sections are left out, least useful first (the links,
    /// then the charts, the metric table, the gate details), until it fits; what was left out is said in one line.
    /// </summary>
    /// <param name="evaluation">The evaluation.</param>
    /// <param name="maxLength">The most UTF-8 bytes the Markdown may take (at least 256), e.g. 1,024 for a deployment protection rule's comment.</param>
    /// <returns>The Markdown.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is below 256.</exception>
    public static string ToMarkdown(PromotionEvaluation evaluation, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 256);
        var header = Header(evaluation);
        var verdict = Escape(Verdict(evaluation)) + Environment.NewLine;
        var sections = new List<(string Name, string Text)>
        {
            ("gates", GateTable(evaluation)),
            ("metrics table", MetricTable(evaluation)),
            ("charts", Charts(evaluation)),
            ("links", Links(evaluation)),
        };
        sections.RemoveAll(section => section.Text.Length == 0);
        var omitted = new List<string>();
        while (true)
        {
            var md = new StringBuilder(header);
            foreach (var section in sections)
            {
                md.Append(section.Text);
            }

            if (omitted.Count > 0)
            {
                md.Append("_Left out to fit ").Append(maxLength.ToString(CultureInfo.InvariantCulture)).Append(" bytes: ")
                    .Append(string.Join(", ", omitted)).AppendLine("._").AppendLine();
            }

            md.Append(verdict);
            var text = md.ToString();
            if (Encoding.UTF8.GetByteCount(text) <= maxLength)
            {
                return text;
            }

            if (sections.Count == 0)
            {
                return Cut(text, maxLength);
            }

            omitted.Insert(0, sections[^1].Name);
            sections.RemoveAt(sections.Count - 1);
        }
    }

    private static string Header(PromotionEvaluation evaluation)
    {
        var md = new StringBuilder();
        md.Append("### ").Append(evaluation.GatesSkipped ? "⚠️" : evaluation.Passed ? "✅" : "❌").Append(" `").Append(evaluation.Candidate).Append("` ")
            .Append(Escape(evaluation.SourceEnvironment)).Append(" → ").AppendLine(Escape(evaluation.TargetEnvironment));
        md.AppendLine();
        md.AppendLine(evaluation.Champion is { } champion
            ? $"Champion in {Escape(evaluation.TargetEnvironment)}: `{champion.ModelName}@{champion.Version}` (promoted {champion.CreatedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}{(champion.Approver is null ? string.Empty : ", approved by @" + Escape(champion.Approver))})."
            : $"No champion in {Escape(evaluation.TargetEnvironment)} yet.");
        md.AppendLine();
        return md.ToString();
    }

    private static string GateTable(PromotionEvaluation evaluation)
    {
        if (evaluation.Verdicts.IsEmpty)
        {
            return string.Empty;
        }

        var md = new StringBuilder();
        md.AppendLine("| Gate | Verdict | Details |");
        md.AppendLine("|---|---|---|");
        foreach (var verdict in evaluation.Verdicts)
        {
            md.Append("| ").Append(Escape(verdict.Gate.ToString())).Append(" | ").Append(verdict.Passed ? "✅ pass" : "❌ fail")
                .Append(" | ").Append(Escape(verdict.Reason)).AppendLine(" |");
        }

        return md.AppendLine().ToString();
    }

    private static string MetricTable(PromotionEvaluation evaluation)
    {
        var names = MetricNames(evaluation).ToList();
        if (names.Count == 0)
        {
            return string.Empty;
        }

        var earlier = Earlier(evaluation);
        var md = new StringBuilder();
        md.Append("| Metric | Candidate | Champion | Δ champion |");
        md.Append(earlier.Count == 0 ? string.Empty : $" Last {earlier.Count + (evaluation.Champion is null ? 0 : 1)} promoted (min – max) |");
        md.AppendLine(" Decides |");
        md.Append("|---|---:|---:|---:|").Append(earlier.Count == 0 ? string.Empty : "---:|").AppendLine("---|");
        foreach (var name in names.Take(MaxMetricRows))
        {
            var candidate = Value(evaluation.Candidate.Metrics, name);
            var champion = evaluation.Champion is null ? null : Value(evaluation.Champion.Metrics, name);
            md.Append("| ").Append(Escape(Clip(name, 120))).Append(" | ").Append(Format(candidate)).Append(" | ").Append(Format(champion))
                .Append(" | ").Append(candidate is { } c && champion is { } b ? Delta(c - b) : "—").Append(" |");
            if (earlier.Count > 0)
            {
                var values = evaluation.History.Select(r => Value(r.Metrics, name)).OfType<double>().ToList();
                md.Append(' ').Append(values.Count == 0 ? "—" : $"{GateEvaluator.F(values.Min())} – {GateEvaluator.F(values.Max())}").Append(" |");
            }

            var decides = evaluation.Verdicts.Where(v => string.Equals(v.Gate.Metric, name, StringComparison.Ordinal)).ToList();
            md.Append(' ').Append(decides.Count == 0 ? "—" : string.Join("; ", decides.Select(v => (v.Passed ? "✅ " : "❌ ") + Escape(v.Gate.ToString())))).AppendLine(" |");
        }

        if (names.Count > MaxMetricRows)
        {
            md.Append("| … ").Append((names.Count - MaxMetricRows).ToString(CultureInfo.InvariantCulture)).Append(" more metrics not shown | | | |")
                .Append(earlier.Count == 0 ? string.Empty : " |").AppendLine(" |");
        }

        return md.AppendLine().ToString();
    }

    /// <summary>
    /// One Mermaid bar chart per metric a gate names: the target's promoted versions, oldest first, then the
    /// candidate. Labels are reduced to a safe alphabet, so that nothing from a name can end the chart or the block.
    /// </summary>
    private static string Charts(PromotionEvaluation evaluation)
    {
        var promoted = evaluation.History.Reverse().ToList();
        if (promoted.Count == 0)
        {
            return string.Empty;
        }

        var md = new StringBuilder();
        var gated = evaluation.Verdicts.Select(v => v.Gate.Metric).OfType<string>().Distinct(StringComparer.Ordinal);
        foreach (var metric in gated.Take(MaxCharts))
        {
            var points = promoted
                .Select(r => (Label: MermaidText(r.Version), Value: Value(r.Metrics, metric)))
                .Append((Label: MermaidText(evaluation.Candidate.Version + " (candidate)"), Value: Value(evaluation.Candidate.Metrics, metric)))
                .Where(p => p.Value is { } v && double.IsFinite(v))
                .ToList();
            if (points.Count < 2)
            {
                continue;
            }

            md.AppendLine("```mermaid");
            md.AppendLine("xychart-beta");
            md.Append("    title \"").Append(MermaidText(metric)).Append(" in ").Append(MermaidText(evaluation.TargetEnvironment)).AppendLine("\"");
            md.Append("    x-axis [").Append(string.Join(", ", points.Select(p => "\"" + p.Label + "\""))).AppendLine("]");
            md.Append("    y-axis \"").Append(MermaidText(metric)).AppendLine("\"");
            md.Append("    bar [").Append(string.Join(", ", points.Select(p => p.Value!.Value.ToString("0.######", CultureInfo.InvariantCulture)))).AppendLine("]");
            md.AppendLine("```");
            md.AppendLine();
        }

        return md.ToString();
    }

    private static string Links(PromotionEvaluation evaluation)
    {
        var candidate = evaluation.Candidate;
        var links = new List<string>
        {
            $"[`{candidate}` in Azure ML studio]({StudioModelUrl(candidate.Workspace, candidate.ModelName, candidate.Version).AbsoluteUri})",
        };
        if (candidate.JobName is { } job && (candidate.JobWorkspace ?? candidate.Workspace) is { } jobWorkspace)
        {
            links.Add($"[training run `{MermaidText(job)}`]({StudioRunUrl(jobWorkspace, job).AbsoluteUri})");
        }

        return "Open: " + string.Join(" · ", links) + Environment.NewLine + Environment.NewLine;
    }

    /// <summary>The model version's page in Azure ML studio.</summary>
    internal static Uri StudioModelUrl(WorkspaceId workspace, string modelName, string version) =>
        new($"https://ml.azure.com/model/{Uri.EscapeDataString(modelName)}:{Uri.EscapeDataString(version)}/details?wsid={Uri.EscapeDataString(workspace.ResourceId)}");

    /// <summary>The training run's page in Azure ML studio.</summary>
    internal static Uri StudioRunUrl(WorkspaceId workspace, string jobName) =>
        new($"https://ml.azure.com/runs/{Uri.EscapeDataString(jobName)}?wsid={Uri.EscapeDataString(workspace.ResourceId)}");

    private static List<PromotionRecord> Earlier(PromotionEvaluation evaluation) =>
        evaluation.History.Where(r => evaluation.Champion is null || r.DeploymentId != evaluation.Champion.DeploymentId).ToList();

    /// <summary>Metric names: those gates name first (in the order of the gates), then the others in ordinal order.</summary>
    private static IEnumerable<string> MetricNames(PromotionEvaluation evaluation)
    {
        var gated = evaluation.Verdicts.Select(v => v.Gate.Metric).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var rest = new SortedSet<string>(evaluation.Candidate.Metrics.Keys, StringComparer.Ordinal);
        if (evaluation.Champion is { } champion)
        {
            rest.UnionWith(champion.Metrics.Keys);
        }

        rest.ExceptWith(gated);
        return gated.Concat(rest);
    }

    private static double? Value(IReadOnlyDictionary<string, double> metrics, string name) => metrics.TryGetValue(name, out var value) ? value : null;

    private static string Format(double? value) => value is { } v ? GateEvaluator.F(v) : "—";

    private static string Delta(double delta) => (delta > 0 ? "+" : delta < 0 ? "−" : "±") + GateEvaluator.F(Math.Abs(delta));

    private static string Clip(string text, int length) => text.Length <= length ? text : string.Concat(text.AsSpan(0, length - 1), "…");

    /// <summary>
    /// Keeps letters, digits, <c>. _ - @ : / ( )</c> and spaces; anything else becomes <c>_</c> (at most 40 characters):
    /// safe inside a Mermaid string, a code span and a link's text.
    /// </summary>
    internal static string MermaidText(string text)
    {
        var clean = new StringBuilder(Math.Min(text.Length, 40));
        foreach (var c in text)
        {
            if (clean.Length == 40)
            {
                break;
            }

            clean.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@' or ':' or '/' or '(' or ')' or ' ' ? c : '_');
        }

        return clean.ToString();
    }

    private static string Cut(string text, int maxBytes)
    {
        var chars = Math.Min(text.Length, maxBytes);
        while (Encoding.UTF8.GetByteCount(text.AsSpan(0, chars)) > maxBytes - 3)
        {
            chars--;
        }

        if (chars > 0 && char.IsHighSurrogate(text[chars - 1]))
        {
            chars--;
        }

        return string.Concat(text.AsSpan(0, chars), "…");
    }

    /// <summary>Renders a result as text: the evaluation and what happened.</summary>
    /// <param name="result">The result.</param>
    /// <returns>The text.</returns>
    public static string ToText(PromotionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Outcome == PromotionOutcome.AlreadyPromoted
            ? result.Message + Environment.NewLine
            : ToText(result.Evaluation) + Environment.NewLine + result.Message + Environment.NewLine;
    }

    /// <summary>Renders a result as Markdown.</summary>
    /// <param name="result">The result.</param>
    /// <returns>The Markdown.</returns>
    public static string ToMarkdown(PromotionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Outcome == PromotionOutcome.AlreadyPromoted
            ? Escape(result.Message) + Environment.NewLine
            : ToMarkdown(result.Evaluation) + Environment.NewLine + "**" + Escape(result.Message) + "**" + Environment.NewLine;
    }

    /// <summary>Renders ledger entries as a text table, newest first.</summary>
    /// <param name="records">The entries.</param>
    /// <returns>The text.</returns>
    public static string HistoryToText(IEnumerable<PromotionRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var text = new StringBuilder();
        var any = false;
        foreach (var record in records)
        {
            any = true;
            text.Append(record.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)).Append("  #").Append(record.DeploymentId)
                .Append("  ").Append((record.Kind == PromotionKind.Rollback ? "rollback " : "promotion").PadRight(9))
                .Append("  ").Append($"{record.ModelName}@{record.Version}".PadRight(16))
                .Append("  ").Append(record.State.ToString().PadRight(10))
                .Append("  ").Append(record.SourceEnvironment is null ? string.Empty : "from " + record.SourceEnvironment)
                .Append(record.WorkflowRunId is { } run ? $", run {run}" : string.Empty)
                .Append(record.Approver is null ? string.Empty : ", approved by " + record.Approver)
                .Append(record.GatesSkipped ? ", gates skipped" : string.Empty)
                .Append(record.Reason is null ? string.Empty : " — " + record.Reason)
                .AppendLine(record.State == PromotionState.Failed && record.StatusDescription is not null ? " — " + record.StatusDescription : string.Empty);
        }

        return any ? text.ToString() : "(no promotions)" + Environment.NewLine;
    }

    /// <summary>Renders ledger entries as a Markdown table, newest first.</summary>
    /// <param name="records">The entries.</param>
    /// <returns>The Markdown.</returns>
    public static string HistoryToMarkdown(IEnumerable<PromotionRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var md = new StringBuilder("| When | # | Kind | Model | State | From | Run | Approver | Notes |").AppendLine().AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var record in records)
        {
            md.Append("| ").Append(record.CreatedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))
                .Append(" | ").Append(record.DeploymentId)
                .Append(" | ").Append(record.Kind == PromotionKind.Rollback ? "rollback" : "promotion")
                .Append(" | `").Append(record.ModelName).Append('@').Append(record.Version).Append('`')
                .Append(" | ").Append(record.State)
                .Append(" | ").Append(Escape(record.SourceEnvironment ?? string.Empty))
                .Append(" | ").Append(record.WorkflowRunId?.ToString(CultureInfo.InvariantCulture) ?? string.Empty)
                .Append(" | ").Append(record.Approver is null ? string.Empty : "@" + record.Approver)
                .Append(" | ").Append(Escape((record.GatesSkipped ? "gates skipped. " : string.Empty) + (record.State == PromotionState.Failed ? record.StatusDescription ?? string.Empty : string.Empty)))
                .AppendLine(" |");
        }

        return md.ToString();
    }

    private static string Verdict(PromotionEvaluation evaluation)
    {
        if (evaluation.AlreadyPromoted)
        {
            return $"{evaluation.Candidate} is already the current version in {evaluation.TargetEnvironment}.";
        }

        if (evaluation.GatesSkipped)
        {
            return $"Gates skipped on request: {evaluation.Candidate} was not checked against {evaluation.TargetEnvironment}'s gates.";
        }

        if (evaluation.Passed)
        {
            return $"All {evaluation.Verdicts.Length} gates pass: {evaluation.Candidate} may be promoted to {evaluation.TargetEnvironment}.";
        }

        var failures = evaluation.Failures.Count();
        return $"{failures} of {evaluation.Verdicts.Length} gate{(evaluation.Verdicts.Length == 1 ? string.Empty : "s")} fail: {evaluation.Candidate} must not be promoted to {evaluation.TargetEnvironment}.";
    }

    private static IEnumerable<(string Name, string Candidate, string Champion)> MetricRows(PromotionEvaluation evaluation)
    {
        var names = new SortedSet<string>(evaluation.Candidate.Metrics.Keys, StringComparer.Ordinal);
        if (evaluation.Champion is { } champion)
        {
            names.UnionWith(champion.Metrics.Keys);
        }

        foreach (var name in names)
        {
            yield return (
                name,
                evaluation.Candidate.Metrics.TryGetValue(name, out var c) ? GateEvaluator.F(c) : "—",
                evaluation.Champion is not null && evaluation.Champion.Metrics.TryGetValue(name, out var b) ? GateEvaluator.F(b) : "—");
        }
    }

    /// <summary>
    /// Makes text from names, messages and API answers inert in Markdown: one line (line breaks become spaces), and
    /// the characters that open code spans, links or table cells (<c>` [ ] | \</c>), and a <c>&lt;</c> that could open
    /// HTML or an autolink, backslash-escaped: GitHub renders them as the characters themselves.
    /// </summary>
    internal static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\r':
                    break;
                case '\n' or '\u2028' or '\u2029':
                    escaped.Append(' ');
                    break;
                case '`' or '[' or ']' or '|' or '\\':
                case '<' when i + 1 < text.Length && (char.IsAsciiLetter(text[i + 1]) || text[i + 1] is '/' or '!' or '?'):
                    escaped.Append('\\').Append(c);
                    break;
                default:
                    escaped.Append(c);
                    break;
            }
        }

        return escaped.ToString();
    }
}
