// The rules a definition's single values must follow, compiled into two assemblies: the MlEnvironments library
// (runtime validation, DefinitionValidator and NameRules) and MlEnvironments.Analyzers (the same checks on constant
// arguments in source). One copy of each rule, so the editor and Validate() cannot disagree. This file targets
// netstandard2.0 as well as net8.0+: no Rune, no spans, no ranges.
// string.Contains(string, StringComparison) and SearchValues do not exist on netstandard2.0.
#pragma warning disable CA2249, CA1870
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace MlEnvironments.Rules;

/// <summary>A broken rule: its stable code (one of <c>ValidationRules</c>) and a message naming what is accepted.</summary>
internal readonly struct RuleFinding
{
    public RuleFinding(string rule, string message)
    {
        Rule = rule;
        Message = message;
    }

    public string Rule { get; }

    public string Message { get; }
}

/// <summary>The limits and single-value rules of definitions (GitHub's and Azure's documented limits).</summary>
internal static class DefinitionRules
{
    // Rule codes (ValidationRules exposes the same constants publicly).
    public const string EnvironmentNameRequired = "environment-name-required";
    public const string EnvironmentNameLength = "environment-name-length";
    public const string EnvironmentNameCharacters = "environment-name-characters";
    public const string EnvironmentNameDuplicate = "environment-name-duplicate";
    public const string ReviewersLimit = "reviewers-limit";
    public const string ReviewerName = "reviewer-name";
    public const string WaitTimerRange = "wait-timer-range";
    public const string WaitTimerWholeMinutes = "wait-timer-whole-minutes";
    public const string PreventSelfReviewRequiresReviewer = "prevent-self-review-requires-reviewer";
    public const string SecretNameFormat = "secret-name-format";
    public const string SecretNameReserved = "secret-name-reserved";
    public const string VariableNameFormat = "variable-name-format";
    public const string VariableNameReserved = "variable-name-reserved";
    public const string WorkspaceSubscriptionId = "workspace-subscription-id";
    public const string WorkspaceResourceGroup = "workspace-resource-group";
    public const string WorkspaceName = "workspace-name";

    /// <summary>The longest environment name GitHub accepts.</summary>
    public const int MaxEnvironmentNameLength = 255;

    /// <summary>GitHub's limit of required reviewers per environment, users and teams together.</summary>
    public const int MaxReviewers = 6;

    /// <summary>GitHub's longest wait timer: 43,200 minutes (30 days).</summary>
    public const int MaxWaitTimerMinutes = 43_200;

    /// <summary>The characters an environment name must not hold.</summary>
    public const string ForbiddenEnvironmentNameCharacters = "'\"`\\,;";

    /// <summary>The prefix GitHub reserves for its own secrets and variables.</summary>
    public const string ReservedNamePrefix = "GITHUB_";

    private static readonly char[] ForbiddenCharacters = ForbiddenEnvironmentNameCharacters.ToCharArray();

    private static readonly RuleFinding[] None = [];

    /// <summary>The environment name's problems: none, or the required/length rule and at most one character rule.</summary>
    public static IReadOnlyList<RuleFinding> CheckEnvironmentName(string name)
    {
        if (name.Length == 0 || IsWhiteSpace(name))
        {
            return [new RuleFinding(EnvironmentNameRequired, "An environment needs a name (1 to 255 characters).")];
        }

        var refused = FindRefusedCharacter(name);
        var forbidden = name.IndexOfAny(ForbiddenCharacters);
        if (name.Length <= MaxEnvironmentNameLength && refused is null && forbidden < 0 && name.IndexOf("${{", StringComparison.Ordinal) < 0 &&
            name.IndexOf("}}", StringComparison.Ordinal) < 0 && name is not ("." or "..") && !char.IsWhiteSpace(name[0]) && !char.IsWhiteSpace(name[name.Length - 1]))
        {
            return None;
        }

        var findings = new List<RuleFinding>(2);

        if (name.Length > MaxEnvironmentNameLength)
        {
            findings.Add(new RuleFinding(EnvironmentNameLength,
                "An environment name has at most " + MaxEnvironmentNameLength.ToString(CultureInfo.InvariantCulture) + " characters; this one has " +
                name.Length.ToString(CultureInfo.InvariantCulture) + "."));
        }

        if (refused is { } invisible)
        {
            findings.Add(new RuleFinding(EnvironmentNameCharacters,
                "An environment name must hold only visible characters; found " + invisible + ", which would hide what the name says in a workflow, a URL or a terminal."));
        }
        else if (forbidden >= 0)
        {
            findings.Add(new RuleFinding(EnvironmentNameCharacters,
                "An environment name must not contain any of " + ForbiddenEnvironmentNameCharacters + "; found '" + name[forbidden] + "'."));
        }
        else if (name.IndexOf("${{", StringComparison.Ordinal) >= 0 || name.IndexOf("}}", StringComparison.Ordinal) >= 0)
        {
            findings.Add(new RuleFinding(EnvironmentNameCharacters,
                "An environment name must not contain workflow expression text ('${{' or '}}'): GitHub Actions would evaluate it."));
        }
        else if (name is "." or "..")
        {
            findings.Add(new RuleFinding(EnvironmentNameCharacters,
                "An environment name cannot be '.' or '..': in a URL path they mean this folder and the parent folder."));
        }
        else if (char.IsWhiteSpace(name[0]) || char.IsWhiteSpace(name[name.Length - 1]))
        {
            findings.Add(new RuleFinding(EnvironmentNameCharacters, "An environment name must not start or end with white space."));
        }

        return findings;
    }

    /// <summary>Two environment names are the same environment on GitHub when they are equal without regard to case.</summary>
    public static bool SameEnvironmentName(string first, string second) => string.Equals(first, second, StringComparison.OrdinalIgnoreCase);

    /// <summary>The message for an environment declared twice in one repository.</summary>
    public static string DuplicateEnvironmentNameMessage(string name, string existing) =>
        "Environment names are not case-sensitive on GitHub: '" + name + "' and '" + existing + "' are the same environment; declare it once.";

    /// <summary>A secret's (<paramref name="isSecret"/>) or a variable's name.</summary>
    public static RuleFinding? CheckSecretOrVariableName(string name, bool isSecret)
    {
        var what = isSecret ? "secret" : "variable";
        if (!IsValidSecretOrVariableName(name))
        {
            return new RuleFinding(isSecret ? SecretNameFormat : VariableNameFormat,
                "A " + what + " name has only letters, digits and '_', and does not start with a digit (^[A-Za-z_][A-Za-z0-9_]*$).");
        }

        if (name.StartsWith(ReservedNamePrefix, StringComparison.OrdinalIgnoreCase))
        {
            return new RuleFinding(isSecret ? SecretNameReserved : VariableNameReserved,
                "A " + what + " name must not start with GITHUB_ (reserved by GitHub).");
        }

        return null;
    }

    /// <summary><c>^[A-Za-z_][A-Za-z0-9_]*$</c>.</summary>
    public static bool IsValidSecretOrVariableName(string name)
    {
        if (name.Length == 0 || IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(IsAsciiLetterOrDigit(c) || c == '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A reviewer: a user login (<paramref name="isTeam"/> false) or a team slug.</summary>
    public static RuleFinding? CheckReviewerName(string name, bool isTeam) =>
        (isTeam ? IsValidTeamSlug(name) : IsValidLogin(name))
            ? null
            : new RuleFinding(ReviewerName, isTeam
                ? "A team slug has 1 to 255 lower-case letters, digits, '-' or '_' (the slug, not the display name)."
                : "A user login has 1 to 39 letters, digits or single hyphens, and does not start or end with a hyphen.");

    /// <summary>The number of required reviewers.</summary>
    public static RuleFinding? CheckReviewerCount(int count) =>
        count <= MaxReviewers
            ? null
            : new RuleFinding(ReviewersLimit,
                "GitHub allows at most " + MaxReviewers.ToString(CultureInfo.InvariantCulture) + " required reviewers in total (users and teams together); " +
                count.ToString(CultureInfo.InvariantCulture) + " are declared.");

    /// <summary>Preventing self-review needs at least one reviewer.</summary>
    public static RuleFinding? CheckPreventSelfReview(bool preventsSelfReview, int reviewerCount) =>
        preventsSelfReview && reviewerCount == 0
            ? new RuleFinding(PreventSelfReviewRequiresReviewer,
                "Preventing self-review needs at least one required reviewer; add a reviewer or allow self-review.")
            : null;

    /// <summary>A wait timer, in ticks: 0 to 43,200 minutes, whole minutes.</summary>
    public static IReadOnlyList<RuleFinding> CheckWaitTimer(long ticks)
    {
        var outOfRange = ticks < 0 || ticks > TimeSpan.FromMinutes(MaxWaitTimerMinutes).Ticks;
        if (!outOfRange && ticks % TimeSpan.TicksPerMinute == 0)
        {
            return None;
        }

        var findings = new List<RuleFinding>(2);
        if (outOfRange)
        {
            findings.Add(new RuleFinding(WaitTimerRange,
                "A wait timer is between 0 and " + MaxWaitTimerMinutes.ToString("N0", CultureInfo.InvariantCulture) + " minutes (30 days)."));
        }

        if (ticks % TimeSpan.TicksPerMinute != 0)
        {
            findings.Add(new RuleFinding(WaitTimerWholeMinutes, "A wait timer is a whole number of minutes."));
        }

        return findings;
    }

    /// <summary>An Azure subscription id: a GUID in the <c>D</c> format.</summary>
    public static RuleFinding? CheckSubscriptionId(string subscriptionId) =>
        Guid.TryParseExact(subscriptionId, "D", out _)
            ? null
            : new RuleFinding(WorkspaceSubscriptionId, "A subscription id is a GUID such as 00000000-0000-0000-0000-000000000000.");

    /// <summary>An Azure resource group's name.</summary>
    public static RuleFinding? CheckResourceGroup(string name) =>
        IsValidResourceGroup(name)
            ? null
            : new RuleFinding(WorkspaceResourceGroup,
                "A resource group name has 1 to 90 letters, digits, '_', '-', '.', '(' or ')', and does not end with '.'.");

    /// <summary>An Azure Machine Learning workspace's name.</summary>
    public static RuleFinding? CheckWorkspaceName(string name) =>
        IsValidWorkspaceName(name)
            ? null
            : new RuleFinding(WorkspaceName, "A workspace name has 3 to 33 letters, digits, '-' or '_', and starts with a letter or digit.");

    /// <summary>A GitHub login: 1 to 39 letters, digits or single hyphens, not at either end.</summary>
    public static bool IsValidLogin(string owner)
    {
        if (owner.Length is 0 or > 39 || owner[0] == '-' || owner[owner.Length - 1] == '-' || owner.IndexOf("--", StringComparison.Ordinal) >= 0)
        {
            return false;
        }

        foreach (var c in owner)
        {
            if (!(IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A team slug: 1 to 255 lower-case ASCII letters, digits, <c>-</c> or <c>_</c>.</summary>
    public static bool IsValidTeamSlug(string slug)
    {
        if (slug.Length is 0 or > 255)
        {
            return false;
        }

        foreach (var c in slug)
        {
            if (!(c is >= 'a' and <= 'z' || IsAsciiDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A resource group: 1 to 90 letters, digits, <c>_ - . ( )</c>, not ending with <c>.</c>.</summary>
    public static bool IsValidResourceGroup(string name)
    {
        if (name.Length is 0 or > 90 || name[name.Length - 1] == '.')
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsLetterOrDigit(c) || c is '_' or '-' or '.' or '(' or ')'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A workspace or registry name: 3 to 33 ASCII letters, digits, <c>-</c> or <c>_</c>, starting with a letter or digit.</summary>
    public static bool IsValidWorkspaceName(string name)
    {
        if (name.Length is < 3 or > 33 || !IsAsciiLetterOrDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The first character no name may hold, described (e.g. <c>U+200B (a format character …)</c>): an unpaired UTF-16
    /// surrogate, a character of Unicode category Cc, Cf, Zl, Zp, Co or Cn, or a space separator other than U+0020.
    /// </summary>
    public static string? FindRefusedCharacter(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var codePoint = char.ConvertToUtf32(c, text[i + 1]);
                if (Describe(CharUnicodeInfo.GetUnicodeCategory(text, i), codePoint) is { } pairReason)
                {
                    return "U+" + codePoint.ToString("X4", CultureInfo.InvariantCulture) + " (" + pairReason + ")";
                }

                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                return "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) + " (an unpaired UTF-16 surrogate)";
            }

            if (Describe(CharUnicodeInfo.GetUnicodeCategory(c), c) is { } reason)
            {
                return "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture) + " (" + reason + ")";
            }
        }

        return null;
    }

    /// <summary>Writes every refused character of a text as <c>\uXXXX</c>, so that it can be shown.</summary>
    public static string Escape(string text)
    {
        if (FindRefusedCharacter(text) is null)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var refused = Describe(CharUnicodeInfo.GetUnicodeCategory(text, i), char.ConvertToUtf32(c, text[i + 1])) is not null;
                AppendUnit(builder, c, refused);
                AppendUnit(builder, text[i + 1], refused);
                i++;
                continue;
            }

            AppendUnit(builder, c, char.IsSurrogate(c) || Describe(CharUnicodeInfo.GetUnicodeCategory(c), c) is not null);
        }

        return builder.ToString();
    }

    private static void AppendUnit(StringBuilder builder, char unit, bool escape)
    {
        if (escape)
        {
            builder.Append("\\u").Append(((int)unit).ToString("X4", CultureInfo.InvariantCulture));
        }
        else
        {
            builder.Append(unit);
        }
    }

    private static string? Describe(UnicodeCategory category, int codePoint) => category switch
    {
        UnicodeCategory.Control => "a control character",
        UnicodeCategory.Format => "a format character (zero-width or bidirectional control)",
        UnicodeCategory.LineSeparator => "a line separator",
        UnicodeCategory.ParagraphSeparator => "a paragraph separator",
        UnicodeCategory.PrivateUse => "a private-use character",
        UnicodeCategory.OtherNotAssigned => "an unassigned code point",
        UnicodeCategory.Surrogate => "an unpaired UTF-16 surrogate",
        UnicodeCategory.SpaceSeparator when codePoint != ' ' => "a space other than U+0020",
        _ => null,
    };

    private static bool IsWhiteSpace(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsWhiteSpace(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAsciiDigit(char c) => c is >= '0' and <= '9';

    private static bool IsAsciiLetterOrDigit(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9';
}
