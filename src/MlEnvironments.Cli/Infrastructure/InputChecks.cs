using System;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace MlEnvironments.Cli.Infrastructure;

/// <summary>
/// Checks of the values a command sends to GitHub or Azure as they are (a model name, a version, a ref, a workflow
/// file): made before anything is sent, each error naming the option and the rule (the console escapes the value).
/// </summary>
internal static partial class InputChecks
{
    /// <summary>Azure Machine Learning's rule for model names and versions; also what the generated workflow accepts.</summary>
    public const string AssetNameRule = "1 to 255 letters, digits, '.', '_' or '-', starting with a letter or digit";

    /// <summary>A model name or version (<c>--model</c>, <c>--version</c>): Azure Machine Learning's asset name rule.</summary>
    public static string AssetName(string? value, string option)
    {
        if (value is null || !AssetNamePattern().IsMatch(value))
        {
            throw new CliException(
                $"{option} '{value}' is not a model {(option == "--version" ? "version" : "name")}: {AssetNameRule}.",
                $"nothing was sent; e.g. {option} {(option == "--version" ? "3" : "fraud")}.");
        }

        return value;
    }

    /// <summary>
    /// A branch, tag or commit (<c>--ref</c>): git's ref-name rules (no <c>..</c>, no <c>//</c>, not starting with
    /// <c>-</c> or <c>/</c>, not ending with <c>/</c>, <c>.</c> or <c>.lock</c>) over letters, digits and
    /// <c>. _ - / + = @ ,</c> only: no space, quote, shell or expression character.
    /// </summary>
    public static string GitRef(string value, string option)
    {
        var valid = value.Length is > 0 and <= 255 &&
            value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '/' or '+' or '=' or '@' or ',') &&
            value[0] is not ('-' or '/' or '.') &&
            !value.EndsWith('/') && !value.EndsWith('.') && !value.EndsWith(".lock", StringComparison.Ordinal) &&
            !value.Contains("..", StringComparison.Ordinal) && !value.Contains("//", StringComparison.Ordinal) &&
            !value.Contains("/.", StringComparison.Ordinal);
        if (!valid)
        {
            throw new CliException(
                $"{option} '{value}' is not a branch, tag or commit: up to 255 letters, digits, '.', '_', '-', '/', '+', '=', '@' or ',', with no '..' or '//', not starting with '-', '/' or '.', not ending with '/', '.' or '.lock'.",
                $"nothing was sent; e.g. {option} main, {option} release/2.1 or {option} v1.4.0.");
        }

        return value;
    }

    /// <summary>A workflow (<c>--workflow</c>): a file name in <c>.github/workflows</c> ending in .yml or .yaml, or the workflow's numeric id; never a path.</summary>
    public static string WorkflowFile(string value, string option)
    {
        var isId = value.Length is > 0 and <= 19 && value.All(char.IsAsciiDigit) && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0;
        var isFile = value.Length <= 255 && value is not ("." or "..") &&
            (value.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || value.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase)) &&
            value.Length > 4 && value[0] != '.' && value[0] != '-' &&
            value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
        if (!isId && !isFile)
        {
            throw new CliException(
                $"{option} '{value}' is not a workflow: give the file name in .github/workflows (letters, digits, '.', '_' or '-', ending in .yml or .yaml; no folder, not '.' or '..') or the workflow's numeric id.",
                $"nothing was sent; e.g. {option} promote.yml.");
        }

        return value;
    }

    /// <summary>An environment name given without a definition to check it against (<c>--stop-at</c>): one line of text GitHub could hold.</summary>
    public static string EnvironmentName(string value, string option)
    {
        if (value.Length is 0 or > 255 || value.Contains("${{", StringComparison.Ordinal) ||
            value.Any(c => c is '\'' or '"' or '\\' or ',' || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Control or
                UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate))
        {
            throw new CliException(
                $"{option} '{value}' is not an environment name: up to 255 characters, without quotes, backslashes, commas, control characters or '${{{{'.",
                $"nothing was sent; name an environment of the repository, e.g. {option} staging.");
        }

        return value;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$", RegexOptions.CultureInvariant)]
    private static partial Regex AssetNamePattern();
}
