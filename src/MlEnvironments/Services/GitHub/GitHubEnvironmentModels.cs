using System;
using System.Collections.Generic;

namespace MlEnvironments.GitHub;

/// <summary>A GitHub environment as GitHub reports it. Create instances in tests with <see cref="MlEnvironmentsModelFactory"/>.</summary>
public sealed class GitHubEnvironment
{
    internal GitHubEnvironment(
        long id,
        string name,
        TimeSpan waitTimer,
        bool preventSelfReview,
        bool canAdminsBypass,
        IReadOnlyList<GitHubReviewer> reviewers,
        DeploymentBranchPolicyKind branchPolicy,
        DateTimeOffset createdAt,
        DateTimeOffset updatedAt)
    {
        Id = id;
        Name = name;
        WaitTimer = waitTimer;
        PreventSelfReview = preventSelfReview;
        CanAdminsBypass = canAdminsBypass;
        Reviewers = reviewers;
        BranchPolicy = branchPolicy;
        CreatedAt = createdAt;
        UpdatedAt = updatedAt;
    }

    /// <summary>GitHub's numeric id of the environment (what pending-deployment reviews refer to).</summary>
    public long Id { get; }

    /// <summary>The name, with the case GitHub stores.</summary>
    public string Name { get; }

    /// <summary>The wait timer; zero when there is none.</summary>
    public TimeSpan WaitTimer { get; }

    /// <summary>Whether self-review is prevented.</summary>
    public bool PreventSelfReview { get; }

    /// <summary>Whether administrators may bypass the protection rules.</summary>
    public bool CanAdminsBypass { get; }

    /// <summary>The required reviewers.</summary>
    public IReadOnlyList<GitHubReviewer> Reviewers { get; }

    /// <summary>The deployment branch policy's mode (patterns are listed separately).</summary>
    public DeploymentBranchPolicyKind BranchPolicy { get; }

    /// <summary>When the environment was created.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>When the environment was last updated.</summary>
    public DateTimeOffset UpdatedAt { get; }

    /// <summary>Returns <c>name (#id)</c>.</summary>
    public override string ToString() => $"{Name} (#{Id})";
}

/// <summary>A required reviewer as GitHub reports it: kind, numeric id and login or slug.</summary>
public sealed class GitHubReviewer : IEquatable<GitHubReviewer>
{
    internal GitHubReviewer(ReviewerKind kind, long id, string name)
    {
        Kind = kind;
        Id = id;
        Name = name;
    }

    /// <summary>User or team.</summary>
    public ReviewerKind Kind { get; }

    /// <summary>The numeric id GitHub wants when reviewers are set.</summary>
    public long Id { get; }

    /// <summary>The user's login or the team's slug.</summary>
    public string Name { get; }

    /// <summary>The reviewer in the definition model.</summary>
    /// <returns>The reviewer.</returns>
    public Reviewer ToReviewer() => new(Kind, Name);

    /// <inheritdoc />
    public bool Equals(GitHubReviewer? other) => other is not null && Kind == other.Kind && Id == other.Id;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as GitHubReviewer);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, Id);

    /// <summary>Returns <c>user:login (#id)</c>.</summary>
    public override string ToString() => $"{ToReviewer()} (#{Id})";
}

/// <summary>A deployment branch or tag policy (one name pattern) of an environment.</summary>
public sealed class GitHubDeploymentBranchPolicy
{
    internal GitHubDeploymentBranchPolicy(long id, string name, DeploymentRefType type)
    {
        Id = id;
        Name = name;
        Type = type;
    }

    /// <summary>GitHub's id of the policy.</summary>
    public long Id { get; }

    /// <summary>The name pattern.</summary>
    public string Name { get; }

    /// <summary>Branch or tag.</summary>
    public DeploymentRefType Type { get; }

    /// <summary>The pattern in the definition model.</summary>
    /// <returns>The pattern.</returns>
    public DeploymentRefPattern ToPattern() => new(Name, Type);

    /// <summary>Returns <c>branch:pattern (#id)</c>.</summary>
    public override string ToString() => $"{ToPattern()} (#{Id})";
}

/// <summary>An environment secret as GitHub lists it: a name and timestamps; GitHub never returns values.</summary>
public sealed class GitHubSecret
{
    internal GitHubSecret(string name, DateTimeOffset createdAt, DateTimeOffset updatedAt)
    {
        Name = name;
        CreatedAt = createdAt;
        UpdatedAt = updatedAt;
    }

    /// <summary>The name (GitHub stores secret names in upper case).</summary>
    public string Name { get; }

    /// <summary>When the secret was created.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>When the secret's value was last set.</summary>
    public DateTimeOffset UpdatedAt { get; }

    /// <summary>Returns the name; there is no value to show.</summary>
    public override string ToString() => Name;
}

/// <summary>An environment variable as GitHub lists it.</summary>
public sealed class GitHubVariable
{
    internal GitHubVariable(string name, string value, DateTimeOffset createdAt, DateTimeOffset updatedAt)
    {
        Name = name;
        Value = value;
        CreatedAt = createdAt;
        UpdatedAt = updatedAt;
    }

    /// <summary>The name (GitHub stores variable names in upper case).</summary>
    public string Name { get; }

    /// <summary>The value.</summary>
    public string Value { get; }

    /// <summary>When the variable was created.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>When the variable was last updated.</summary>
    public DateTimeOffset UpdatedAt { get; }

    /// <summary>Returns <c>NAME=value</c>.</summary>
    public override string ToString() => Name + "=" + Value;
}

/// <summary>A reviewer reference for writing: kind and the numeric id GitHub wants.</summary>
/// <param name="Kind">User or team.</param>
/// <param name="Id">The user's or team's numeric id.</param>
public readonly record struct GitHubReviewerReference(ReviewerKind Kind, long Id);

/// <summary>
/// The protection settings sent when an environment is created or updated. GitHub's PUT replaces these settings,
/// so every field is sent with its value, including the resets (no reviewers, no timer, all branches).
/// </summary>
public sealed class GitHubEnvironmentSettings
{
    /// <summary>The wait timer; zero for none.</summary>
    public TimeSpan WaitTimer { get; init; }

    /// <summary>Whether self-review is prevented.</summary>
    public bool PreventSelfReview { get; init; }

    /// <summary>Whether administrators may bypass the protection rules (GitHub's default: true).</summary>
    public bool CanAdminsBypass { get; init; } = true;

    /// <summary>The required reviewers, by id.</summary>
    public IReadOnlyList<GitHubReviewerReference> Reviewers { get; init; } = [];

    /// <summary>The deployment branch policy's mode.</summary>
    public DeploymentBranchPolicyKind BranchPolicy { get; init; }

    /// <summary>
    /// Whether rules at their defaults (no reviewers, no wait timer, self-review allowed, administrators may bypass)
    /// are sent explicitly, which clears them on GitHub. When false they are left out of the request: GitHub keeps
    /// omitted fields, and refuses them outright on private repositories whose plan has no protection rules.
    /// </summary>
    public bool ClearUnsetRules { get; init; }
}

/// <summary>What GitHub says about a reviewer: whether it exists, its id, and whether it can review deployments of a repository.</summary>
public sealed class ReviewerResolution
{
    private ReviewerResolution(Reviewer reviewer, long? id, bool canReview, string? reason)
    {
        Reviewer = reviewer;
        Id = id;
        CanReview = canReview;
        Reason = reason;
    }

    /// <summary>The reviewer asked about.</summary>
    public Reviewer Reviewer { get; }

    /// <summary>The numeric id, when the user or team exists.</summary>
    public long? Id { get; }

    /// <summary>Whether the user or team exists.</summary>
    public bool Exists => Id is not null;

    /// <summary>Whether the reviewer has at least read access to the repository, so that GitHub will let it review.</summary>
    public bool CanReview { get; }

    /// <summary>Why the reviewer cannot review, when it cannot.</summary>
    public string? Reason { get; }

    /// <summary>A reviewer that exists and can review.</summary>
    /// <param name="reviewer">The reviewer.</param>
    /// <param name="id">Its numeric id.</param>
    /// <returns>The resolution.</returns>
    public static ReviewerResolution Resolved(Reviewer reviewer, long id)
    {
        ArgumentNullException.ThrowIfNull(reviewer);
        return new(reviewer, id, true, null);
    }

    /// <summary>A reviewer that exists but has no access to the repository.</summary>
    /// <param name="reviewer">The reviewer.</param>
    /// <param name="id">Its numeric id.</param>
    /// <param name="reason">Why it cannot review.</param>
    /// <returns>The resolution.</returns>
    public static ReviewerResolution NoAccess(Reviewer reviewer, long id, string reason)
    {
        ArgumentNullException.ThrowIfNull(reviewer);
        return new(reviewer, id, false, reason);
    }

    /// <summary>A reviewer that does not exist.</summary>
    /// <param name="reviewer">The reviewer.</param>
    /// <returns>The resolution.</returns>
    public static ReviewerResolution NotFound(Reviewer reviewer)
    {
        ArgumentNullException.ThrowIfNull(reviewer);
        return new(reviewer, null, false, reviewer.Kind == ReviewerKind.User
            ? $"GitHub has no user '{reviewer.Name}'."
            : $"The organisation has no team with slug '{reviewer.Name}'.");
    }

    /// <summary>Returns the reviewer and the outcome.</summary>
    public override string ToString() => CanReview ? $"{Reviewer} (#{Id})" : $"{Reviewer}: {Reason}";
}
