using System;
using System.Diagnostics.CodeAnalysis;

namespace MlEnvironments;

/// <summary>
/// A GitHub repository, <c>owner/name</c>, parsed once. Compared without regard to case, as GitHub does;
/// the spelling given is kept, because OIDC subjects are matched with their exact case.
/// </summary>
public readonly struct RepositoryId : IEquatable<RepositoryId>
{
    private RepositoryId(string owner, string name)
    {
        Owner = owner;
        Name = name;
    }

    /// <summary>The account that owns the repository (user or organisation login).</summary>
    public string Owner => field ?? string.Empty;

    /// <summary>The repository's name, without <c>.git</c>.</summary>
    public string Name => field ?? string.Empty;

    /// <summary>Whether this value was default-initialised rather than created.</summary>
    public bool IsEmpty => Owner.Length == 0;

    /// <summary>Creates a repository id from its two parts.</summary>
    /// <param name="owner">The owner login.</param>
    /// <param name="name">The repository name.</param>
    /// <returns>The repository id.</returns>
    /// <exception cref="ArgumentException">A part is empty or not a valid GitHub name.</exception>
    public static RepositoryId Create(string owner, string name)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(name);
        if (!IsValidOwner(owner))
        {
            throw new ArgumentException($"Repository owner '{owner}' is not a valid GitHub login: use letters, digits and single hyphens, at most 39 characters.", nameof(owner));
        }

        if (!IsValidName(name))
        {
            throw new ArgumentException($"Repository name '{name}' is not valid: use letters, digits, '.', '-' and '_', at most 100 characters.", nameof(name));
        }

        return new RepositoryId(owner, name);
    }

    /// <summary>Parses <c>owner/name</c>.</summary>
    /// <param name="text">The text to parse.</param>
    /// <returns>The repository id.</returns>
    /// <exception cref="FormatException">The text is not <c>owner/name</c>.</exception>
    public static RepositoryId Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var id)
            ? id
            : throw new FormatException($"'{text}' is not a repository: use 'owner/name' (letters, digits, '.', '-', '_').");
    }

    /// <summary>Tries to parse <c>owner/name</c>.</summary>
    /// <param name="text">The text to parse.</param>
    /// <param name="id">The repository id when the text is valid.</param>
    /// <returns><see langword="true"/> when the text was parsed.</returns>
    public static bool TryParse([NotNullWhen(true)] string? text, out RepositoryId id)
    {
        id = default;
        if (text is null)
        {
            return false;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash != text.LastIndexOf('/'))
        {
            return false;
        }

        var owner = text[..slash];
        var name = text[(slash + 1)..];
        if (name.EndsWith(".git", StringComparison.OrdinalIgnoreCase))
        {
            name = name[..^4];
        }

        if (!IsValidOwner(owner) || !IsValidName(name))
        {
            return false;
        }

        id = new RepositoryId(owner, name);
        return true;
    }

    internal static bool IsValidOwner(string owner) => Rules.DefinitionRules.IsValidLogin(owner);

    internal static bool IsValidName(string name)
    {
        if (name.Length is 0 or > 100 || name is "." or "..")
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public bool Equals(RepositoryId other) =>
        string.Equals(Owner, other.Owner, StringComparison.OrdinalIgnoreCase) &&
        string.Equals(Name, other.Name, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is RepositoryId other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(
        StringComparer.OrdinalIgnoreCase.GetHashCode(Owner),
        StringComparer.OrdinalIgnoreCase.GetHashCode(Name));

    /// <summary>Returns <c>owner/name</c>.</summary>
    public override string ToString() => IsEmpty ? string.Empty : Owner + "/" + Name;

    /// <summary>Compares two repository ids without regard to case.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    /// <returns>Whether they name the same repository.</returns>
    public static bool operator ==(RepositoryId left, RepositoryId right) => left.Equals(right);

    /// <summary>Compares two repository ids without regard to case.</summary>
    /// <param name="left">The first id.</param>
    /// <param name="right">The second id.</param>
    /// <returns>Whether they name different repositories.</returns>
    public static bool operator !=(RepositoryId left, RepositoryId right) => !left.Equals(right);
}
