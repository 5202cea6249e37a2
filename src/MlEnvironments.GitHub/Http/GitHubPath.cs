using System;
using System.Globalization;

namespace MlEnvironments.GitHub.Http;

/// <summary>
/// The one place where a GitHub request path is built from names. A name is always one segment: it is
/// percent-encoded (<c>/</c>, <c>?</c>, <c>#</c>, <c>%</c>, spaces and every non-ASCII character included), and a
/// name that a URL would resolve away or merge with its neighbours (empty, <c>.</c>, <c>..</c>) or that is not valid
/// UTF-16 is refused with an <see cref="ArgumentException"/> naming the parameter, before anything is sent. So a
/// name can never turn a request into another operation (<c>..</c> as an environment would otherwise
/// <c>PUT /repos/o/r/</c>).
/// </summary>
internal readonly struct GitHubPath
{
    private readonly string _text;

    private GitHubPath(string text) => _text = text;

    /// <summary><c>repos/{owner}/{repo}</c>.</summary>
    public static GitHubPath Repository(RepositoryId repository) =>
        Root("repos").Name(repository.Owner, "repository").Name(repository.Name, "repository");

    /// <summary><c>repos/{owner}/{repo}/environments/{environment_name}</c>.</summary>
    public static GitHubPath Environment(RepositoryId repository, string environmentName, string parameterName = "environmentName") =>
        Repository(repository).Literal("environments").Name(environmentName, parameterName);

    /// <summary>A path that starts with a fixed segment of the API (e.g. <c>users</c>, <c>orgs</c>).</summary>
    public static GitHubPath Root(string literal) => new GitHubPath(string.Empty).Literal(literal);

    /// <summary>Appends fixed segments of the operation's template (never user input), e.g. <c>deployment_protection_rules/apps</c>.</summary>
    public GitHubPath Literal(string literal)
    {
        foreach (var segment in literal.Split('/'))
        {
            foreach (var c in segment)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                {
                    throw new ArgumentException($"'{literal}' is not a fixed path segment.", nameof(literal));
                }
            }

            if (segment.Length == 0)
            {
                throw new ArgumentException($"'{literal}' is not a fixed path segment.", nameof(literal));
            }
        }

        return Append(literal);
    }

    /// <summary>Appends a name as exactly one encoded segment; refuses what cannot be one (see the type's remarks).</summary>
    /// <param name="value">The name.</param>
    /// <param name="parameterName">The caller's parameter, named in the exception.</param>
    public GitHubPath Name(string value, string parameterName) => Append(Encode(value, parameterName));

    /// <summary>Appends a number.</summary>
    public GitHubPath Id(long id) => Append(id.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// Appends a parameter that spans segments (<c>x-multi-segment</c>, e.g. a file path in <c>repos/get-content</c>):
    /// each segment is checked and encoded like a name, the slashes between them stay.
    /// </summary>
    public GitHubPath Names(string value, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(value, parameterName);
        var path = this;
        foreach (var segment in value.Split('/'))
        {
            path = path.Name(segment, parameterName);
        }

        return path;
    }

    /// <summary>Percent-encodes one segment after checking it.</summary>
    public static string Encode(string value, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(value, parameterName);
        if (value.Length == 0)
        {
            throw new ArgumentException($"{parameterName} is empty; a name in a GitHub URL must have at least one character.", parameterName);
        }

        if (value is "." or "..")
        {
            throw new ArgumentException(
                $"{parameterName} is '{value}', which a URL resolves as a relative path (the request would reach another operation); GitHub names cannot be '.' or '..'.",
                parameterName);
        }

        if (!IsWellFormedUtf16(value))
        {
            throw new ArgumentException($"{parameterName} contains an unpaired surrogate (not valid text), so it cannot be encoded in a URL.", parameterName);
        }

        return Uri.EscapeDataString(value);
    }

    public override string ToString() => _text;

    public static implicit operator string(GitHubPath path) => path._text;

    private GitHubPath Append(string encoded) =>
        new(_text is null or { Length: 0 } ? encoded : string.Concat(_text, "/", encoded));

    private static bool IsWellFormedUtf16(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }
}
