using System;
using System.Collections.Generic;
using System.Linq;
using MlEnvironments.Drift;
using MlEnvironments.GitHub;

namespace MlEnvironments;

/// <summary>Issues and drift reports, for substitutes of <see cref="IGitHubIssues"/> and tests of drift handling.</summary>
public static partial class MlEnvironmentsModelFactory
{
    /// <summary>Builds a <see cref="GitHub.GitHubIssue"/>.</summary>
    /// <param name="number">The issue's number.</param>
    /// <param name="title">The title.</param>
    /// <param name="body">The body (default empty).</param>
    /// <param name="isOpen">Whether it is open (default true).</param>
    /// <param name="htmlUrl">Its page (default none).</param>
    /// <param name="createdAt">When it was opened (default the Unix epoch).</param>
    /// <param name="updatedAt">When it was last updated (default <paramref name="createdAt"/>).</param>
    /// <returns>The model.</returns>
    public static GitHubIssue GitHubIssue(long number, string title, string? body = null, bool isOpen = true, Uri? htmlUrl = null, DateTimeOffset createdAt = default, DateTimeOffset? updatedAt = null)
    {
        ArgumentNullException.ThrowIfNull(title);
        return new GitHub.GitHubIssue(number, title, body ?? string.Empty, isOpen, htmlUrl, createdAt, updatedAt ?? createdAt);
    }

    /// <summary>Builds a <see cref="Drift.DriftFinding"/>.</summary>
    /// <param name="kind">What kind of drift.</param>
    /// <param name="environmentName">The environment concerned.</param>
    /// <param name="subject">What differs (a setting, a secret's name, an Azure object), for display.</param>
    /// <param name="declared">What the definition declares, for display (never a secret value).</param>
    /// <param name="actual">What GitHub or Azure has, for display (never a secret value).</param>
    /// <returns>The model.</returns>
    public static DriftFinding DriftFinding(DriftKind kind, string environmentName, string subject, string? declared = null, string? actual = null)
    {
        ArgumentNullException.ThrowIfNull(environmentName);
        ArgumentNullException.ThrowIfNull(subject);
        return new Drift.DriftFinding(kind, environmentName, subject, declared, actual);
    }

    /// <summary>Builds a <see cref="Drift.DriftReport"/>.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="findings">The findings (default none: no drift).</param>
    /// <param name="notes">Warnings about what could not be checked (default none).</param>
    /// <returns>The model.</returns>
    public static DriftReport DriftReport(RepositoryId repository, IEnumerable<DriftFinding>? findings = null, IEnumerable<string>? notes = null) =>
        new(repository, [.. findings ?? []], [.. notes ?? []]);
}
