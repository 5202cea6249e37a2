using System;

namespace MlEnvironments;

/// <summary>The kind of a required reviewer of a GitHub environment.</summary>
public enum ReviewerKind
{
    /// <summary>A GitHub user, identified by login.</summary>
    User,

    /// <summary>A team of the repository's organisation, identified by slug.</summary>
    Team,
}

/// <summary>
/// A required reviewer of a GitHub environment: a user by login or a team by slug.
/// Logins and slugs are compared without regard to case, as GitHub does.
/// </summary>
/// <remarks>Create reviewers with <see cref="MlEnvironment.User(string)"/> and <see cref="MlEnvironment.Team(string)"/>.</remarks>
public sealed class Reviewer : IEquatable<Reviewer>
{
    internal Reviewer(ReviewerKind kind, string name)
    {
        Kind = kind;
        Name = name;
    }

    /// <summary>Whether this reviewer is a user or a team.</summary>
    public ReviewerKind Kind { get; }

    /// <summary>The user's login or the team's slug.</summary>
    public string Name { get; }

    /// <inheritdoc />
    public bool Equals(Reviewer? other) =>
        other is not null && Kind == other.Kind && string.Equals(Name, other.Name, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Reviewer);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, StringComparer.OrdinalIgnoreCase.GetHashCode(Name));

    /// <summary>Returns <c>user:login</c> or <c>team:slug</c>.</summary>
    public override string ToString() => (Kind == ReviewerKind.User ? "user:" : "team:") + Name;

    /// <summary>Parses <c>user:login</c>, <c>team:slug</c>, <c>@login</c> or <c>@org/slug</c>.</summary>
    /// <param name="text">The text to parse.</param>
    /// <returns>The reviewer.</returns>
    /// <exception cref="FormatException">The text is not in one of the accepted forms.</exception>
    public static Reviewer Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (TryParse(text, out var reviewer))
        {
            return reviewer;
        }

        throw new FormatException($"'{text}' is not a reviewer: use 'user:<login>' or 'team:<slug>'.");
    }

    /// <summary>Tries to parse <c>user:login</c>, <c>team:slug</c>, <c>@login</c> or <c>@org/slug</c>.</summary>
    /// <param name="text">The text to parse.</param>
    /// <param name="reviewer">The reviewer, when the text is valid.</param>
    /// <returns><see langword="true"/> when the text was parsed.</returns>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Reviewer? reviewer)
    {
        reviewer = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        if (text.StartsWith("user:", StringComparison.OrdinalIgnoreCase) && text.Length > 5)
        {
            reviewer = new Reviewer(ReviewerKind.User, text[5..]);
        }
        else if (text.StartsWith("team:", StringComparison.OrdinalIgnoreCase) && text.Length > 5)
        {
            reviewer = new Reviewer(ReviewerKind.Team, text[5..]);
        }
        else if (text[0] == '@' && text.Length > 1)
        {
            var slash = text.IndexOf('/', StringComparison.Ordinal);
            reviewer = slash < 0
                ? new Reviewer(ReviewerKind.User, text[1..])
                : slash < text.Length - 1 ? new Reviewer(ReviewerKind.Team, text[(slash + 1)..]) : null;
        }

        return reviewer is not null;
    }
}
