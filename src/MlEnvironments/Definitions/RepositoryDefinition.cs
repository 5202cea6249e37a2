using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace MlEnvironments;

/// <summary>
/// A repository and its environments in promotion order (for example dev → staging → prod). An immutable value.
/// </summary>
/// <remarks>Create with <see cref="MlEnvironment.Repository(string, EnvironmentDefinition[])"/>.</remarks>
[System.Text.Json.Serialization.JsonConverter(typeof(Serialization.RepositoryDefinitionJsonConverter))]
public sealed class RepositoryDefinition : IEquatable<RepositoryDefinition>
{
    internal RepositoryDefinition(RepositoryId repository, ImmutableArray<EnvironmentDefinition> environments)
    {
        Repository = repository;
        Environments = environments;
    }

    /// <summary>The repository.</summary>
    public RepositoryId Repository { get; }

    /// <summary>The environments, in promotion order.</summary>
    public ImmutableArray<EnvironmentDefinition> Environments { get; }

    /// <summary>
    /// Adds an environment at the end of the promotion order, or replaces the one of the same name
    /// (names compare without regard to case) in its place.
    /// </summary>
    /// <param name="environment">The environment.</param>
    /// <returns>The new definition.</returns>
    public RepositoryDefinition WithEnvironment(EnvironmentDefinition environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        for (var i = 0; i < Environments.Length; i++)
        {
            if (string.Equals(Environments[i].Name, environment.Name, StringComparison.OrdinalIgnoreCase))
            {
                return Environments[i].Equals(environment)
                    ? this
                    : new RepositoryDefinition(Repository, Environments.SetItem(i, environment));
            }
        }

        return new RepositoryDefinition(Repository, Environments.Add(environment));
    }

    /// <summary>Adds or replaces several environments (see <see cref="WithEnvironment(EnvironmentDefinition)"/>).</summary>
    /// <param name="environments">The environments, in promotion order.</param>
    /// <returns>The new definition.</returns>
    public RepositoryDefinition WithEnvironments(params EnvironmentDefinition[] environments)
    {
        ArgumentNullException.ThrowIfNull(environments);
        var result = this;
        foreach (var environment in environments)
        {
            result = result.WithEnvironment(environment);
        }

        return result;
    }

    /// <summary>Removes an environment (names compare without regard to case).</summary>
    /// <param name="name">The environment's name.</param>
    /// <returns>The new definition.</returns>
    public RepositoryDefinition WithoutEnvironment(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var remaining = Environments.RemoveAll(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));
        return remaining.Length == Environments.Length ? this : new RepositoryDefinition(Repository, remaining);
    }

    /// <summary>Applies a change to one environment and keeps its place in the promotion order.</summary>
    /// <param name="name">The environment's name.</param>
    /// <param name="change">The change, e.g. <c>e =&gt; e.WithWaitTimer(TimeSpan.FromMinutes(60))</c>.</param>
    /// <returns>The new definition.</returns>
    /// <exception cref="KeyNotFoundException">No environment has that name.</exception>
    public RepositoryDefinition UpdateEnvironment(string name, Func<EnvironmentDefinition, EnvironmentDefinition> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var current = FindEnvironment(name)
            ?? throw new KeyNotFoundException($"Repository '{Repository}' declares no environment named '{name}'.");
        var updated = change(current) ?? throw new InvalidOperationException("The change returned null.");
        var index = Environments.IndexOf(current);
        return updated.Equals(current) ? this : new RepositoryDefinition(Repository, Environments.SetItem(index, updated));
    }

    /// <summary>Finds an environment by name (without regard to case).</summary>
    /// <param name="name">The name.</param>
    /// <returns>The environment, or <see langword="null"/>.</returns>
    public EnvironmentDefinition? FindEnvironment(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Environments.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Checks this definition against GitHub's and Azure's rules and reports every violation at once.</summary>
    /// <returns>The result; <see cref="ValidationResult.ThrowIfInvalid"/> turns errors into a <see cref="ValidationFailedException"/>.</returns>
    public ValidationResult Validate() => DefinitionValidator.Validate(this);

    /// <inheritdoc />
    public bool Equals(RepositoryDefinition? other) =>
        ReferenceEquals(this, other) ||
        (other is not null && Repository.Equals(other.Repository) &&
         string.Equals(Repository.ToString(), other.Repository.ToString(), StringComparison.Ordinal) &&
         Environments.SequenceEqual(other.Environments));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as RepositoryDefinition);

    /// <inheritdoc />
    public override int GetHashCode() => Hashing.Combine(Repository.GetHashCode(), Environments);

    /// <summary>Returns <c>owner/name: dev → staging → prod</c>.</summary>
    public override string ToString() =>
        Repository + ": " + (Environments.IsEmpty ? "(no environments)" : string.Join(" → ", Environments.Select(e => e.Name)));
}

/// <summary>A set of repository definitions, for organisation-wide use. An immutable value.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(Serialization.RepositorySetDefinitionJsonConverter))]
public sealed class RepositorySetDefinition : IEquatable<RepositorySetDefinition>
{
    internal RepositorySetDefinition(ImmutableArray<RepositoryDefinition> repositories) => Repositories = repositories;

    /// <summary>An empty set.</summary>
    public static RepositorySetDefinition Empty { get; } = new([]);

    /// <summary>The repositories, in the order they were added.</summary>
    public ImmutableArray<RepositoryDefinition> Repositories { get; }

    /// <summary>Adds a repository, or replaces the definition of the same repository in its place.</summary>
    /// <param name="repository">The repository definition.</param>
    /// <returns>The new set.</returns>
    public RepositorySetDefinition WithRepository(RepositoryDefinition repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        for (var i = 0; i < Repositories.Length; i++)
        {
            if (Repositories[i].Repository.Equals(repository.Repository))
            {
                return Repositories[i].Equals(repository) ? this : new RepositorySetDefinition(Repositories.SetItem(i, repository));
            }
        }

        return new RepositorySetDefinition(Repositories.Add(repository));
    }

    /// <summary>Removes a repository.</summary>
    /// <param name="repository">The repository.</param>
    /// <returns>The new set.</returns>
    public RepositorySetDefinition WithoutRepository(RepositoryId repository)
    {
        var remaining = Repositories.RemoveAll(r => r.Repository.Equals(repository));
        return remaining.Length == Repositories.Length ? this : new RepositorySetDefinition(remaining);
    }

    /// <summary>Finds a repository's definition.</summary>
    /// <param name="repository">The repository.</param>
    /// <returns>The definition, or <see langword="null"/>.</returns>
    public RepositoryDefinition? FindRepository(RepositoryId repository) =>
        Repositories.FirstOrDefault(r => r.Repository.Equals(repository));

    /// <summary>Checks this definition against GitHub's and Azure's rules and reports every violation at once.</summary>
    /// <returns>The result; <see cref="ValidationResult.ThrowIfInvalid"/> turns errors into a <see cref="ValidationFailedException"/>.</returns>
    public ValidationResult Validate() => DefinitionValidator.Validate(this);

    /// <inheritdoc />
    public bool Equals(RepositorySetDefinition? other) =>
        ReferenceEquals(this, other) || (other is not null && Repositories.SequenceEqual(other.Repositories));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as RepositorySetDefinition);

    /// <inheritdoc />
    public override int GetHashCode() => Hashing.Combine(0, Repositories);

    /// <summary>Returns one line per repository.</summary>
    public override string ToString() =>
        Repositories.IsEmpty ? "(no repositories)" : string.Join(Environment.NewLine, Repositories);
}
