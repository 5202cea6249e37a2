using System;
using System.Collections.Generic;
using System.Linq;

namespace MlEnvironments.Workflows;

/// <summary>How <see cref="WorkflowGenerator.GenerateDrift"/> writes the scheduled drift check. Every property has a working default.</summary>
public sealed class DriftWorkflowOptions
{
    /// <summary>The default <see cref="FileName"/>.</summary>
    public const string DefaultFileName = "mlenv-drift.yml";

    /// <summary>The default <see cref="WorkflowName"/>.</summary>
    public const string DefaultWorkflowName = "Drift check";

    /// <summary>The default <see cref="Schedule"/>: every day at 05:17 UTC (off the hour, when GitHub's scheduler is busiest).</summary>
    public const string DefaultSchedule = "17 5 * * *";

    /// <summary>The default <see cref="ReadTokenSecret"/>.</summary>
    public const string DefaultReadTokenSecret = "MLENV_DRIFT_TOKEN";

    /// <summary>
    /// The workflow's file name under <c>.github/workflows/</c>.
    /// <value>Default <c>mlenv-drift.yml</c>.</value>
    /// </summary>
    public string FileName { get; set; } = DefaultFileName;

    /// <summary>
    /// The workflow's <c>name:</c>.
    /// <value>Default <c>Drift check</c>.</value>
    /// </summary>
    public string WorkflowName { get; set; } = DefaultWorkflowName;

    /// <summary>
    /// When the check runs: a POSIX cron expression of five fields, in UTC (<c>on: schedule: - cron:</c>).
    /// <value>Default <c>17 5 * * *</c>.</value>
    /// </summary>
    public string Schedule { get; set; } = DefaultSchedule;

    /// <summary>
    /// The repository secret holding the read-only token <c>mlenv drift</c> reads GitHub with: a fine-grained token or
    /// App installation token with read access to Environments, Secrets and Variables (the run's own
    /// <c>GITHUB_TOKEN</c> cannot list environment secrets). The issue is filed with the run's token
    /// (<c>issues: write</c>).
    /// <value>Default <c>MLENV_DRIFT_TOKEN</c>.</value>
    /// </summary>
    public string ReadTokenSecret { get; set; } = DefaultReadTokenSecret;

    /// <summary>
    /// Whether the check opens, updates and closes the repository's drift issue (<c>mlenv drift --open-issues</c>).
    /// <value>Default <see langword="true"/>.</value>
    /// </summary>
    public bool OpenIssues { get; set; } = true;

    /// <summary>The path of the generated file in the repository: <c>.github/workflows/{FileName}</c>.</summary>
    public string FilePath => WorkflowGenerationOptions.WorkflowsDirectory + "/" + FileName;

    /// <summary>Checks the options and reports every problem at once.</summary>
    /// <returns>One message per problem; empty when the options are usable.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(FileName) || FileName.IndexOfAny(['/', '\\']) >= 0 ||
            !(FileName.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || FileName.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase)) ||
            !FileName.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
        {
            errors.Add($"FileName must be a file name ending in .yml or .yaml (letters, digits, '.', '-', '_'), without folders; it is '{FileName}'.");
        }

        if (string.IsNullOrWhiteSpace(WorkflowName) || WorkflowName.Contains("${{", StringComparison.Ordinal) || WorkflowName.Any(char.IsControl))
        {
            errors.Add("WorkflowName must be one non-empty line of text, without control characters or '${{'.");
        }

        var fields = Schedule?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (fields.Length != 5 || !fields.All(f => f.All(c => char.IsAsciiLetterOrDigit(c) || c is '*' or '/' or ',' or '-')))
        {
            errors.Add($"Schedule must be a cron expression of five fields such as '17 5 * * *' (digits, letters, '*', '/', ',', '-'); it is '{Schedule}'.");
        }

        if (string.IsNullOrEmpty(ReadTokenSecret) || char.IsAsciiDigit(ReadTokenSecret[0]) || ReadTokenSecret.StartsWith("GITHUB_", StringComparison.OrdinalIgnoreCase) ||
            !ReadTokenSecret.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            errors.Add($"ReadTokenSecret must be a secret name (letters, digits and '_', not starting with a digit or GITHUB_); it is '{ReadTokenSecret}'.");
        }

        return errors;
    }
}
