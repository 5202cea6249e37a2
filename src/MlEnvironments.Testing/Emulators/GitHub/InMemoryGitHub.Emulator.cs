using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using MlEnvironments.GitHub;

namespace MlEnvironments.Testing;

/// <content>
/// What the GitHub emulator needs beyond the service interfaces: single-item reads, users and teams by name, access
/// checks and variable renames, each logged as a <see cref="FakeCall"/> under GitHub's operation id and subject to
/// <see cref="Faults"/> like every other call; and unlogged peeks the emulator uses to shape its answers.
/// </content>
public sealed partial class InMemoryGitHub
{
    /// <summary>The clock of this fake.</summary>
    internal TimeProvider Clock => _time;

    /// <summary>The facts about a repository, without logging a call; <see langword="null"/> when unknown.</summary>
    internal RepositorySnapshot? PeekRepository(RepositoryId repository)
    {
        lock (_gate)
        {
            return _repositories.TryGetValue(repository, out var record)
                ? new RepositorySnapshot(record.Name, record.Id, record.OwnerId, record.Visibility)
                : null;
        }
    }

    /// <summary>The first known repository owned by <paramref name="owner"/>, without logging a call.</summary>
    internal RepositorySnapshot? PeekOwner(string owner)
    {
        lock (_gate)
        {
            var record = _repositories.Values.FirstOrDefault(r => string.Equals(r.Name.Owner, owner, StringComparison.OrdinalIgnoreCase));
            return record is null ? null : new RepositorySnapshot(record.Name, record.Id, record.OwnerId, record.Visibility);
        }
    }

    /// <summary>A user's login as stored and id, without logging a call; <see langword="null"/> when unknown.</summary>
    internal (string Login, long Id)? PeekUser(string login)
    {
        lock (_gate)
        {
            var user = _users.FirstOrDefault(u => string.Equals(u.Key, login, StringComparison.OrdinalIgnoreCase));
            return user.Key is null ? null : (user.Key, user.Value);
        }
    }

    /// <summary>An environment, without logging a call; <see langword="null"/> when it or its repository is unknown.</summary>
    internal GitHubEnvironment? PeekEnvironment(RepositoryId repository, string environmentName)
    {
        lock (_gate)
        {
            return _repositories.TryGetValue(repository, out var repo) ? repo.Find(environmentName)?.ToModel() : null;
        }
    }

    /// <summary>An environment's branch and tag policies, without logging a call (empty when unknown).</summary>
    internal IReadOnlyList<GitHubDeploymentBranchPolicy> PeekDeploymentBranchPolicies(RepositoryId repository, string environmentName)
    {
        lock (_gate)
        {
            return _repositories.TryGetValue(repository, out var repo) && repo.Find(environmentName) is { } environment
                ? [.. environment.Policies]
                : [];
        }
    }

    /// <summary>Whether an environment has a secret, without logging a call.</summary>
    internal bool PeekSecretExists(RepositoryId repository, string environmentName, string secretName)
    {
        lock (_gate)
        {
            return _repositories.TryGetValue(repository, out var repo) &&
                   repo.Find(environmentName) is { } environment &&
                   environment.Secrets.ContainsKey(secretName);
        }
    }

    /// <summary>Checks that an environment exists, logged under <paramref name="operation"/>; 404 when it does not.</summary>
    internal Task<GitHubEnvironment> RequireEnvironmentAsync(string operation, RepositoryId repository, string environmentName, CancellationToken cancellationToken = default) =>
        Run(operation, false, repository, environmentName, null, cancellationToken, () =>
            Environment(repository, environmentName, operation).ToModel());

    /// <summary>One branch or tag policy (<c>repos/get-deployment-branch-policy</c>).</summary>
    internal Task<GitHubDeploymentBranchPolicy> GetDeploymentBranchPolicyAsync(RepositoryId repository, string environmentName, long policyId, CancellationToken cancellationToken = default)
    {
        const string operation = "repos/get-deployment-branch-policy";
        return Run(operation, false, repository, environmentName, Invariant(policyId), cancellationToken, () =>
            Environment(repository, environmentName, operation).Policies.FirstOrDefault(p => p.Id == policyId) ?? throw Error(operation, 404, "Not Found"));
    }

    /// <summary>One custom deployment protection rule (<c>repos/get-custom-deployment-protection-rule</c>).</summary>
    internal Task<GitHubProtectionRule> GetProtectionRuleAsync(RepositoryId repository, string environmentName, long ruleId, CancellationToken cancellationToken = default)
    {
        const string operation = "repos/get-custom-deployment-protection-rule";
        return Run(operation, false, repository, environmentName, Invariant(ruleId), cancellationToken, () =>
            Environment(repository, environmentName, operation).Rules.FirstOrDefault(r => r.Id == ruleId) ?? throw Error(operation, 404, "Not Found"));
    }

    /// <summary>One secret's name and timestamps (<c>actions/get-environment-secret</c>).</summary>
    internal Task<GitHubSecret> GetEnvironmentSecretAsync(RepositoryId repository, string environmentName, string secretName, CancellationToken cancellationToken = default)
    {
        const string operation = "actions/get-environment-secret";
        return Run(operation, false, repository, environmentName, secretName, cancellationToken, () =>
        {
            var environment = Environment(repository, environmentName, operation);
            var key = environment.Secrets.Keys.FirstOrDefault(k => string.Equals(k, secretName, StringComparison.OrdinalIgnoreCase))
                ?? throw Error(operation, 404, "Not Found");
            var secret = environment.Secrets[key];
            return MlEnvironmentsModelFactory.GitHubSecret(key, secret.CreatedAt, secret.UpdatedAt);
        });
    }

    /// <summary>One variable (<c>actions/get-environment-variable</c>).</summary>
    internal Task<GitHubVariable> GetEnvironmentVariableAsync(RepositoryId repository, string environmentName, string name, CancellationToken cancellationToken = default)
    {
        const string operation = "actions/get-environment-variable";
        return Run(operation, false, repository, environmentName, name, cancellationToken, () =>
        {
            var environment = Environment(repository, environmentName, operation);
            var key = environment.Variables.Keys.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase))
                ?? throw Error(operation, 404, "Not Found");
            var variable = environment.Variables[key];
            return MlEnvironmentsModelFactory.GitHubVariable(key, variable.Value, variable.CreatedAt, variable.UpdatedAt);
        });
    }

    /// <summary>
    /// Updates a variable's value, its name, or both (<c>actions/update-environment-variable</c>): 404 when it does not
    /// exist, 409 when the new name is taken, 422 for an invalid name or value.
    /// </summary>
    internal Task PatchEnvironmentVariableAsync(RepositoryId repository, string environmentName, string name, string? newName, string? value, CancellationToken cancellationToken = default)
    {
        const string operation = "actions/update-environment-variable";
        return Run(operation, true, repository, environmentName, name, cancellationToken, () =>
        {
            var environment = Environment(repository, environmentName, operation);
            var key = name.ToUpperInvariant();
            if (!environment.Variables.TryGetValue(key, out var existing))
            {
                throw Error(operation, 404, "Not Found");
            }

            if (value is not null)
            {
                CheckValue(operation, value);
            }

            var targetKey = key;
            if (newName is not null && !string.Equals(newName, key, StringComparison.OrdinalIgnoreCase))
            {
                CheckName(operation, newName);
                targetKey = newName.ToUpperInvariant();
                if (environment.Variables.ContainsKey(targetKey))
                {
                    throw Error(operation, 409, $"Conflict: variable {targetKey} already exists.");
                }

                environment.Variables.Remove(key);
            }

            environment.Variables[targetKey] = existing with { Value = value ?? existing.Value, UpdatedAt = _time.GetUtcNow() };
            return true;
        });
    }

    /// <summary>A user by login (<c>users/get-by-username</c>): the login as stored and the id; 404 when unknown.</summary>
    internal Task<(string Login, long Id)> GetUserAsync(string login, CancellationToken cancellationToken = default)
    {
        const string operation = "users/get-by-username";
        return Run(operation, false, "users", null, login, cancellationToken, () =>
        {
            var user = _users.FirstOrDefault(u => string.Equals(u.Key, login, StringComparison.OrdinalIgnoreCase));
            return user.Key is null ? throw Error(operation, 404, "Not Found") : (user.Key, user.Value);
        });
    }

    /// <summary>
    /// A team of an organisation by slug (<c>teams/get-by-name</c>). Teams of the fake are not scoped to an
    /// organisation, so the organisation must be the owner of a known repository; 404 otherwise.
    /// </summary>
    internal Task<(string Slug, long Id, RepositorySnapshot Organization)> GetTeamAsync(string organization, string slug, CancellationToken cancellationToken = default)
    {
        const string operation = "teams/get-by-name";
        return Run(operation, false, "orgs/" + organization, null, slug, cancellationToken, () =>
        {
            var owner = _repositories.Values.FirstOrDefault(r => string.Equals(r.Name.Owner, organization, StringComparison.OrdinalIgnoreCase))
                ?? throw Error(operation, 404, "Not Found");
            var team = _teams.FirstOrDefault(t => string.Equals(t.Key, slug, StringComparison.OrdinalIgnoreCase));
            return team.Key is null
                ? throw Error(operation, 404, "Not Found")
                : (team.Key, team.Value, new RepositorySnapshot(owner.Name, owner.Id, owner.OwnerId, owner.Visibility));
        });
    }

    /// <summary>
    /// Whether a user or team has access to a repository, logged under <paramref name="operation"/>: 404 when the
    /// repository, user or team is unknown.
    /// </summary>
    internal Task<bool> HasAccessAsync(string operation, RepositoryId repository, Reviewer reviewer, CancellationToken cancellationToken = default) =>
        Run(operation, false, repository, null, reviewer.ToString(), cancellationToken, () =>
        {
            var repo = Repository(repository, operation);
            return IdOf(reviewer) is null ? throw Error(operation, 404, "Not Found") : repo.Access.Contains(reviewer);
        });

    private static string Invariant(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The facts the fake holds about a repository.</summary>
/// <param name="Name">The repository, spelt as it was added.</param>
/// <param name="Id">Its numeric id.</param>
/// <param name="OwnerId">Its owner's numeric id.</param>
/// <param name="Visibility">Its visibility.</param>
internal sealed record RepositorySnapshot(RepositoryId Name, long Id, long OwnerId, GitHubRepositoryVisibility Visibility);
