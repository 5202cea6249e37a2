using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;

namespace MlEnvironments;

/// <summary>Which branches and tags may deploy to an environment.</summary>
public enum DeploymentBranchPolicyKind
{
    /// <summary>Any branch or tag may deploy (GitHub's <c>deployment_branch_policy: null</c>).</summary>
    AllBranches,

    /// <summary>Only branches with branch protection rules may deploy.</summary>
    ProtectedBranches,

    /// <summary>Only branches and tags that match the environment's name patterns may deploy.</summary>
    CustomPatterns,
}

/// <summary>Whether a deployment pattern matches branch names or tag names.</summary>
public enum DeploymentRefType
{
    /// <summary>The pattern matches branch names.</summary>
    Branch,

    /// <summary>The pattern matches tag names.</summary>
    Tag,
}

/// <summary>
/// A branch or tag name pattern that may deploy to an environment (a Ruby <c>File.fnmatch</c> pattern in which
/// <c>*</c> does not match <c>/</c>). Patterns compare with case, as GitHub matches them.
/// </summary>
/// <param name="Pattern">The name pattern, e.g. <c>release/*</c>.</param>
/// <param name="Type">Whether it applies to branches or tags.</param>
public sealed record DeploymentRefPattern(string Pattern, DeploymentRefType Type)
{
    /// <summary>Returns <c>branch:pattern</c> or <c>tag:pattern</c>.</summary>
    public override string ToString() => (Type == DeploymentRefType.Branch ? "branch:" : "tag:") + Pattern;
}

/// <summary>An environment's deployment branch policy: the mode and, for custom policies, the patterns.</summary>
public sealed class DeploymentBranchPolicy : IEquatable<DeploymentBranchPolicy>
{
    internal DeploymentBranchPolicy(DeploymentBranchPolicyKind kind, ImmutableArray<DeploymentRefPattern> patterns)
    {
        Kind = kind;
        Patterns = patterns.IsDefault ? [] : patterns;
    }

    /// <summary>Any branch may deploy.</summary>
    public static DeploymentBranchPolicy AllBranches { get; } = new(DeploymentBranchPolicyKind.AllBranches, []);

    /// <summary>Only protected branches may deploy.</summary>
    public static DeploymentBranchPolicy ProtectedBranches { get; } = new(DeploymentBranchPolicyKind.ProtectedBranches, []);

    /// <summary>The mode.</summary>
    public DeploymentBranchPolicyKind Kind { get; }

    /// <summary>The patterns, in the order they were declared (meaningful only for <see cref="DeploymentBranchPolicyKind.CustomPatterns"/>).</summary>
    public ImmutableArray<DeploymentRefPattern> Patterns { get; }

    /// <summary>A custom policy with the given patterns.</summary>
    /// <param name="patterns">The patterns.</param>
    /// <returns>The policy.</returns>
    public static DeploymentBranchPolicy Custom(IEnumerable<DeploymentRefPattern> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        return new DeploymentBranchPolicy(DeploymentBranchPolicyKind.CustomPatterns, [.. patterns]);
    }

    internal DeploymentBranchPolicy AddPatterns(DeploymentRefType type, IEnumerable<string> patterns)
    {
        var existing = Kind == DeploymentBranchPolicyKind.CustomPatterns ? Patterns : [];
        return new DeploymentBranchPolicy(
            DeploymentBranchPolicyKind.CustomPatterns,
            existing.AddRange(patterns.Select(p => new DeploymentRefPattern(p, type))));
    }

    /// <inheritdoc />
    public bool Equals(DeploymentBranchPolicy? other) =>
        other is not null && Kind == other.Kind && Patterns.SequenceEqual(other.Patterns);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as DeploymentBranchPolicy);

    /// <inheritdoc />
    public override int GetHashCode() => Hashing.Combine(Kind.GetHashCode(), Patterns);

    /// <summary>Returns <c>all branches</c>, <c>protected branches</c> or <c>custom [branch:main, tag:v*]</c>.</summary>
    public override string ToString() => Kind switch
    {
        DeploymentBranchPolicyKind.AllBranches => "all branches",
        DeploymentBranchPolicyKind.ProtectedBranches => "protected branches",
        _ => "custom [" + string.Join(", ", Patterns) + "]",
    };
}
