using System;

namespace MlEnvironments;

/// <summary>
/// An environment variable of a GitHub environment (read by workflows through <c>vars.NAME</c>). Names compare
/// without regard to case, as GitHub's do; values compare exactly.
/// </summary>
public sealed class VariableDefinition : IEquatable<VariableDefinition>
{
    /// <summary>Creates a variable.</summary>
    /// <param name="name">The name (<c>[A-Za-z_][A-Za-z0-9_]*</c>, not starting with <c>GITHUB_</c>).</param>
    /// <param name="value">The value (at most 48 KB).</param>
    public VariableDefinition(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        Name = name;
        Value = value;
    }

    /// <summary>The variable's name.</summary>
    public string Name { get; }

    /// <summary>The variable's value.</summary>
    public string Value { get; }

    /// <inheritdoc />
    public bool Equals(VariableDefinition? other) =>
        other is not null &&
        string.Equals(Name, other.Name, StringComparison.OrdinalIgnoreCase) &&
        string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as VariableDefinition);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(Name), Value);

    /// <summary>Returns <c>NAME=value</c>.</summary>
    public override string ToString() => Name + "=" + Value;
}

/// <summary>
/// An environment secret of a GitHub environment: a name and a <see cref="SecretValue"/> that never prints itself.
/// </summary>
public sealed class SecretDefinition : IEquatable<SecretDefinition>
{
    /// <summary>Creates a secret.</summary>
    /// <param name="name">The name (<c>[A-Za-z_][A-Za-z0-9_]*</c>, not starting with <c>GITHUB_</c>).</param>
    /// <param name="value">The value or a reference to it.</param>
    public SecretDefinition(string name, SecretValue value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        Name = name;
        Value = value;
    }

    /// <summary>The secret's name.</summary>
    public string Name { get; }

    /// <summary>The secret's value or a reference to it.</summary>
    public SecretValue Value { get; }

    /// <inheritdoc />
    public bool Equals(SecretDefinition? other) =>
        other is not null && string.Equals(Name, other.Name, StringComparison.OrdinalIgnoreCase) && Value.Equals(other.Value);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SecretDefinition);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(Name), Value);

    /// <summary>Returns <c>NAME=(sensitive)</c>; never the value.</summary>
    public override string ToString() => Name + "=" + Value;
}
