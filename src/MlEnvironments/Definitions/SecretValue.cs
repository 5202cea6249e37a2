using System;
using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace MlEnvironments;

/// <summary>Where the value of a <see cref="SecretValue"/> comes from.</summary>
public enum SecretSource
{
    /// <summary>The value is held in memory (never written to a definition file).</summary>
    Literal,

    /// <summary>The value is read from a process environment variable when a plan is applied.</summary>
    EnvironmentVariable,

    /// <summary>The value is read from a configuration key (<c>IConfiguration</c>) when a plan is applied.</summary>
    Configuration,

    /// <summary>
    /// The secret exists on GitHub and its value is not known: what GitHub reports for every secret it lists, and,
    /// in a definition, a secret whose name is declared but whose value is managed elsewhere.
    /// </summary>
    Existing,
}

/// <summary>
/// The value of an environment secret, or a reference to where the value is found. It never prints its value:
/// <see cref="ToString"/>, string interpolation and <c>System.Text.Json</c> all show <c>(sensitive)</c> for a
/// literal; references print only the name of the variable or key, which is not secret.
/// </summary>
[JsonConverter(typeof(Serialization.SecretValueJsonConverter))]
public sealed class SecretValue : IEquatable<SecretValue>
{
    /// <summary>What every secret value prints as.</summary>
    public const string Redacted = "(sensitive)";

    private readonly string? _literal;

    private SecretValue(SecretSource source, string? reference, string? literal)
    {
        Source = source;
        Reference = reference;
        _literal = literal;
    }

    /// <summary>A secret that exists (or must exist) on GitHub with a value managed elsewhere.</summary>
    public static SecretValue Existing { get; } = new(SecretSource.Existing, null, null);

    /// <summary>Where the value comes from.</summary>
    public SecretSource Source { get; }

    /// <summary>
    /// The environment variable's name or the configuration key, for references; <see langword="null"/> for literals
    /// and <see cref="Existing"/>.
    /// </summary>
    public string? Reference { get; }

    /// <summary>Holds a plaintext value in memory. It is never printed or serialized.</summary>
    /// <param name="value">The plaintext.</param>
    /// <returns>The secret value.</returns>
    public static SecretValue FromValue([SecretPlaintext] string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new SecretValue(SecretSource.Literal, null, value);
    }

    /// <summary>Refers to a process environment variable, read when a plan is applied.</summary>
    /// <param name="variableName">The environment variable's name.</param>
    /// <returns>The secret value.</returns>
    public static SecretValue FromEnvironmentVariable(string variableName)
    {
        ArgumentNullException.ThrowIfNull(variableName);
        return new SecretValue(SecretSource.EnvironmentVariable, variableName, null);
    }

    /// <summary>Refers to a configuration key (for example <c>Secrets:AzureCredentials</c>), read when a plan is applied.</summary>
    /// <param name="key">The configuration key.</param>
    /// <returns>The secret value.</returns>
    public static SecretValue FromConfiguration(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new SecretValue(SecretSource.Configuration, key, null);
    }

    /// <summary>
    /// Gives the plaintext of a <see cref="SecretSource.Literal"/> value. Only the code that sends the secret to
    /// GitHub should call this.
    /// </summary>
    /// <param name="value">The plaintext, when this is a literal.</param>
    /// <returns><see langword="true"/> for a literal.</returns>
    public bool TryRevealLiteral([NotNullWhen(true)] out string? value)
    {
        value = _literal;
        return value is not null;
    }

    /// <summary>
    /// Compares sources and references. Two literals are equal when their values are equal (compared in constant time),
    /// so that definitions holding the same literal compare equal.
    /// </summary>
    /// <param name="other">The other value.</param>
    /// <returns>Whether both are the same.</returns>
    public bool Equals(SecretValue? other)
    {
        if (other is null || Source != other.Source || !string.Equals(Reference, other.Reference, StringComparison.Ordinal))
        {
            return false;
        }

        if (_literal is null || other._literal is null)
        {
            return _literal is null && other._literal is null;
        }

        return System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(_literal.AsSpan()),
            System.Runtime.InteropServices.MemoryMarshal.AsBytes(other._literal.AsSpan()));
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SecretValue);

    /// <summary>Hashes the source and reference only, never the value.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(Source, Reference);

    /// <summary>
    /// Shows that the value is sensitive and where it comes from, never the value: <c>(sensitive)</c>,
    /// <c>(sensitive: env:NAME)</c>, <c>(sensitive: config:Key)</c> or <c>(sensitive: existing)</c>.
    /// </summary>
    /// <returns>The display text.</returns>
    public override string ToString() => Source switch
    {
        SecretSource.EnvironmentVariable => "(sensitive: env:" + Reference + ")",
        SecretSource.Configuration => "(sensitive: config:" + Reference + ")",
        SecretSource.Existing => "(sensitive: existing)",
        _ => Redacted,
    };
}
