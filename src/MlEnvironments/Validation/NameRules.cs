using System;
using System.Collections.Generic;
using MlEnvironments.Rules;

namespace MlEnvironments;

/// <summary>
/// The rules for names that travel further than a definition — into URL path segments, workflow files, OIDC subjects
/// and file names. Validation uses them for every definition however it was built (API, JSON file, command-line flags);
/// tools can check a single value with them before they build anything (e.g. a command-line flag).
/// </summary>
public static class NameRules
{
    /// <summary>The longest environment name GitHub accepts.</summary>
    public const int MaxEnvironmentNameLength = DefinitionRules.MaxEnvironmentNameLength;

    /// <summary>The longest Azure Machine Learning model name or version.</summary>
    public const int MaxModelNameLength = 255;

    /// <summary>The characters an environment name must not hold (quotes, backtick, backslash, comma, semicolon).</summary>
    public const string ForbiddenEnvironmentNameCharacters = DefinitionRules.ForbiddenEnvironmentNameCharacters;

    // The same rules for JSON Schema (ECMA-262 and .NET regular expressions agree on this one). Validation is
    // stricter (it decodes surrogate pairs); the schema is for editors.
    internal const string EnvironmentNameSchemaPattern =
        "^(?![.]{1,2}$)(?!\\s)(?![\\s\\S]*\\s$)(?![\\s\\S]*\\$\\{\\{)(?![\\s\\S]*\\}\\})[^'\"`\\\\,;\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}\\p{Co}\\p{Cn}\\u00A0\\u1680\\u2000-\\u200A\\u202F\\u205F\\u3000]+$";

    /// <summary>
    /// Checks an environment name: 1 to 255 characters; no character of Unicode categories Cc (control), Cf (format:
    /// zero-width, bidi controls), Zl, Zp (line and paragraph separators), Co (private use), Cn (unassigned) or Cs
    /// (an unpaired surrogate); no space separator other than U+0020; none of <c>' " ` \ , ;</c>; no expression text
    /// <c>${{</c> or <c>}}</c>; not <c>.</c> or <c>..</c>; no white space at either end.
    /// </summary>
    /// <param name="name">The name.</param>
    /// <param name="path">The path to report, e.g. <c>environments[prod].name</c> or <c>--environment</c>.</param>
    /// <returns>Every problem; empty when the name is valid.</returns>
    public static IReadOnlyList<ValidationError> CheckEnvironmentName(string name, string path = "name")
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(path);
        var findings = DefinitionRules.CheckEnvironmentName(name);
        if (findings.Count == 0)
        {
            return [];
        }

        var errors = new List<ValidationError>(findings.Count);
        foreach (var finding in findings)
        {
            var shown = finding.Rule == ValidationRules.EnvironmentNameRequired ? Escape(name) : Truncate(Escape(name));
            errors.Add(new ValidationError(path, finding.Rule, finding.Message, shown));
        }

        return errors;
    }

    /// <summary>
    /// Checks an Azure Machine Learning model name: 1 to 255 ASCII letters, digits, <c>.</c>, <c>_</c> or <c>-</c>,
    /// starting with a letter or digit (it becomes a segment of ARM and MLflow URLs).
    /// </summary>
    /// <param name="name">The model name.</param>
    /// <param name="path">The path to report, e.g. <c>--model</c>.</param>
    /// <returns>The problem, or <see langword="null"/> when the name is valid.</returns>
    public static ValidationError? CheckModelName(string name, string path = "model")
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(path);
        return IsAssetName(name)
            ? null
            : new ValidationError(path, ValidationRules.ModelName,
                "A model name has 1 to 255 letters, digits, '.', '_' or '-', and starts with a letter or digit.", Truncate(Escape(name)));
    }

    /// <summary>Checks a model version: the same characters as a model name (see <see cref="CheckModelName"/>).</summary>
    /// <param name="version">The version.</param>
    /// <param name="path">The path to report, e.g. <c>--version</c>.</param>
    /// <returns>The problem, or <see langword="null"/> when the version is valid.</returns>
    public static ValidationError? CheckModelVersion(string version, string path = "version")
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(path);
        return IsAssetName(version)
            ? null
            : new ValidationError(path, ValidationRules.ModelVersion,
                "A model version has 1 to 255 letters, digits, '.', '_' or '-', and starts with a letter or digit (e.g. 3).", Truncate(Escape(version)));
    }

    /// <summary>
    /// Checks a workflow file name (a file of <c>.github/workflows</c>): 1 to 255 ASCII letters, digits, <c>.</c>,
    /// <c>_</c> or <c>-</c>, starting with a letter, digit or <c>_</c>, ending in <c>.yml</c> or <c>.yaml</c>; no folders.
    /// </summary>
    /// <param name="fileName">The file name.</param>
    /// <param name="path">The path to report, e.g. <c>--workflow-file</c>.</param>
    /// <returns>The problem, or <see langword="null"/> when the name is valid.</returns>
    public static ValidationError? CheckWorkflowFileName(string fileName, string path = "fileName")
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(path);
        var valid = fileName.Length is > 4 and <= 255 &&
            (char.IsAsciiLetterOrDigit(fileName[0]) || fileName[0] == '_') &&
            (fileName.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase)) &&
            IsAscii(fileName, allowDot: true);
        return valid
            ? null
            : new ValidationError(path, ValidationRules.WorkflowFileName,
                "A workflow file name has letters, digits, '.', '_' or '-', starts with a letter, digit or '_', ends in .yml or .yaml, and names no folder.",
                Truncate(Escape(fileName)));
    }

    /// <summary>
    /// Finds the first character no name may hold: an unpaired UTF-16 surrogate, or a character of Unicode category
    /// Cc, Cf, Zl, Zp, Co or Cn, or a space separator other than U+0020.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <returns>A description such as <c>U+200B (a format character)</c>, or <see langword="null"/> when there is none.</returns>
    public static string? FindRefusedCharacter(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return DefinitionRules.FindRefusedCharacter(text);
    }

    /// <summary>Writes control, format and other invisible characters of a text as <c>\uXXXX</c>, so that it can be shown.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The text with every refused character escaped.</returns>
    internal static string Escape(string text) => DefinitionRules.Escape(text);

    private static bool IsAssetName(string name) =>
        name.Length is > 0 and <= MaxModelNameLength && char.IsAsciiLetterOrDigit(name[0]) && IsAscii(name, allowDot: true);

    private static bool IsAscii(string text, bool allowDot)
    {
        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' || (allowDot && c == '.')))
            {
                return false;
            }
        }

        return true;
    }

    private static string Truncate(string value) => value.Length <= 80 ? value : value[..77] + "...";
}
