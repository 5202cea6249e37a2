using System;
using System.Text.RegularExpressions;
using MlEnvironments.GitHub;

namespace MlEnvironments.Promotion;

/// <summary>
/// The run title that carries a promotion's model and version: generated workflows set
/// <c>run-name: "mlenv promote ${{ inputs.model }}@${{ inputs.version }}"</c>, because GitHub's REST API does not return a
/// run's <c>workflow_dispatch</c> inputs.
/// </summary>
public static partial class PromotionRunTitle
{
    /// <summary>The title's prefix.</summary>
    public const string Prefix = "mlenv promote ";

    /// <summary>Formats a title.</summary>
    /// <param name="modelName">The model.</param>
    /// <param name="version">The version.</param>
    /// <returns><c>mlenv promote model@version</c>.</returns>
    public static string Format(string modelName, string version)
    {
        ArgumentNullException.ThrowIfNull(modelName);
        ArgumentNullException.ThrowIfNull(version);
        return Prefix + modelName + "@" + version;
    }

    /// <summary>Reads the model and version from a run title.</summary>
    /// <param name="title">The title (<see cref="GitHubWorkflowRun.DisplayTitle"/>).</param>
    /// <param name="modelName">The model.</param>
    /// <param name="version">The version.</param>
    /// <returns>Whether the title follows the convention.</returns>
    public static bool TryParse(string? title, out string modelName, out string version)
    {
        modelName = version = string.Empty;
        var match = title is null ? Match.Empty : Pattern().Match(title);
        if (!match.Success)
        {
            return false;
        }

        modelName = match.Groups["model"].Value;
        version = match.Groups["version"].Value;
        return true;
    }

    [GeneratedRegex(@"mlenv promote (?<model>[A-Za-z0-9][A-Za-z0-9._-]*)@(?<version>[A-Za-z0-9][A-Za-z0-9._-]*)", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
