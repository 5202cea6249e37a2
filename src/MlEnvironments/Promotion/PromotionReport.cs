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
            var width = Math.Max(6, rows.Max(r => r.Name.Length));
            text.Append("  ").Append("metric".PadRight(width)).Append("  candidate  champion").AppendLine();
            foreach (var row in rows)
            {
                text.Append("  ").Append(row.Name.PadRight(width)).Append("  ").Append(row.Candidate.PadLeft(9))
                    .Append("  ").AppendLine(row.Champion.PadLeft(8));
            }
        }

        text.Append(Verdict(evaluation));
        return text.ToString();
    }

    /// <summary>Renders an evaluation as Markdown (GitHub-flavoured; fits a job summary or a comment).</summary>
    /// <param name="evaluation">The evaluation.</param>
    /// <returns>The Markdown.</returns>
    public static string ToMarkdown(PromotionEvaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var md = new StringBuilder();
        md.Append("### ").Append(evaluation.GatesSkipped ? "⚠️" : evaluation.Passed ? "✅" : "❌").Append(" `").Append(evaluation.Candidate).Append("` ")
            .Append(Escape(evaluation.SourceEnvironment)).Append(" → ").AppendLine(Escape(evaluation.TargetEnvironment));
        md.AppendLine();
        md.AppendLine(evaluation.Champion is { } champion
            ? $"Champion in {Escape(evaluation.TargetEnvironment)}: `{champion.ModelName}@{champion.Version}` (promoted {champion.CreatedAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}{(champion.Approver is null ? string.Empty : ", approved by @" + champion.Approver)})."
            : $"No champion in {Escape(evaluation.TargetEnvironment)} yet.");
        md.AppendLine();
        if (!evaluation.Verdicts.IsEmpty)
        {
            md.AppendLine("| Gate | Verdict | Details |");
            md.AppendLine("|---|---|---|");
            foreach (var verdict in evaluation.Verdicts)
            {
                md.Append("| ").Append(Escape(verdict.Gate.ToString())).Append(" | ").Append(verdict.Passed ? "✅ pass" : "❌ fail")
                    .Append(" | ").Append(Escape(verdict.Reason)).AppendLine(" |");
            }

            md.AppendLine();
        }

        var rows = MetricRows(evaluation).ToList();
        if (rows.Count > 0)
        {
            md.AppendLine("| Metric | Candidate | Champion |");
            md.AppendLine("|---|---:|---:|");
            foreach (var row in rows)
            {
                md.Append("| ").Append(Escape(row.Name)).Append(" | ").Append(row.Candidate).Append(" | ").Append(row.Champion).AppendLine(" |");
            }

            md.AppendLine();
        }

        md.AppendLine(Verdict(evaluation));
        return md.ToString();
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

    internal static string Escape(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal).Replace("\r", string.Empty, StringComparison.Ordinal);
}
