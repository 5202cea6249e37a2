using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MlEnvironments.GitHub;

namespace MlEnvironments.Testing;

/// <summary>
/// An in-memory GitHub that implements every GitHub interface of MlEnvironments, faithful to GitHub's semantics:
/// environment names compare without regard to case and keep the case they were created with; reviewers are set by
/// id and must exist; secrets are write-only (listing gives names and timestamps, never values); secret and variable
/// names are stored in upper case; 100 secrets and 100 variables per environment; 48 KB values; 404, 409 and 422
/// where GitHub answers them. Every call is logged (<see cref="Calls"/>), and calls can be made to fail
/// (<see cref="Faults"/>) before they change anything. Thread-safe.
/// </summary>
public sealed partial class InMemoryGitHub :
    IGitHubEnvironmentReader,
    IGitHubEnvironmentWriter,
    IGitHubSecretReader,
    IGitHubSecretWriter,
    IGitHubVariableReader,
    IGitHubVariableWriter,
    IGitHubIdentityResolver,
    IGitHubRepositoryReader,
    IGitHubProtectionRuleReader,
    IGitHubProtectionRuleWriter,
    IGitHubDeploymentReader,
    IGitHubDeploymentWriter,
    IGitHubWorkflowRunReader,
    IGitHubWorkflowDispatcher,
    IGitHubDeploymentReviewClient,
    IGitHubCustomGateReviewer,
    IGitHubWorkflowFileReader
{
    private const int MaxItems = 100;
    private const int MaxProtectionRules = 6;
    private const int MaxValueBytes = 48 * 1024;

    private readonly object _gate = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<RepositoryId, RepositoryRecord> _repositories = [];
    private readonly Dictionary<string, long> _users = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, long> _teams = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<FakeCall> _calls = [];
    private long _nextId = 1000;

    /// <summary>Creates an empty fake.</summary>
    /// <param name="timeProvider">The clock for timestamps; default <see cref="TimeProvider.System"/>.</param>
    public InMemoryGitHub(TimeProvider? timeProvider = null) => _time = timeProvider ?? TimeProvider.System;

    /// <summary>Makes calls fail on purpose.</summary>
    public FaultInjector Faults { get; } = new();

    /// <summary>Every call received, in order.</summary>
    public IReadOnlyList<FakeCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>The calls that changed (or tried to change) state.</summary>
    public IReadOnlyList<FakeCall> Writes => Calls.Where(c => c.IsWrite).ToList();

    /// <summary>Forgets the calls received so far.</summary>
    public void ClearCalls()
    {
        lock (_gate)
        {
            _calls.Clear();
        }
    }

    /// <summary>Adds a repository (calls about unknown repositories answer 404).</summary>
    /// <param name="repository"><c>owner/name</c>.</param>
    /// <returns>The repository's id.</returns>
    public RepositoryId AddRepository(string repository)
    {
        var id = RepositoryId.Parse(repository);
        AddRepository(id);
        return id;
    }

    /// <summary>Adds a repository (calls about unknown repositories answer 404).</summary>
    /// <param name="repository">The repository.</param>
    /// <returns>This fake.</returns>
    public InMemoryGitHub AddRepository(RepositoryId repository)
    {
        lock (_gate)
        {
            if (!_repositories.ContainsKey(repository))
            {
                _repositories.Add(repository, new RepositoryRecord(repository) { Id = ++_nextId, OwnerId = ++_nextId });
            }
        }

        return this;
    }

    /// <summary>Adds a user.</summary>
    /// <param name="login">The login.</param>
    /// <param name="id">The id; default a new one.</param>
    /// <returns>The user's id.</returns>
    public long AddUser(string login, long? id = null)
    {
        ArgumentNullException.ThrowIfNull(login);
        lock (_gate)
        {
            if (!_users.TryGetValue(login, out var existing))
            {
                existing = id ?? ++_nextId;
                _users.Add(login, existing);
            }

            return existing;
        }
    }

    /// <summary>Adds a team.</summary>
    /// <param name="slug">The slug.</param>
    /// <param name="id">The id; default a new one.</param>
    /// <returns>The team's id.</returns>
    public long AddTeam(string slug, long? id = null)
    {
        ArgumentNullException.ThrowIfNull(slug);
        lock (_gate)
        {
            if (!_teams.TryGetValue(slug, out var existing))
            {
                existing = id ?? ++_nextId;
                _teams.Add(slug, existing);
            }

            return existing;
        }
    }

    /// <summary>Gives a user or team read access to a repository, so that it can review; adds it when unknown.</summary>
    /// <param name="repository">The repository (added when unknown).</param>
    /// <param name="reviewer">The user or team.</param>
    /// <returns>This fake.</returns>
    public InMemoryGitHub GrantAccess(RepositoryId repository, Reviewer reviewer)
    {
        ArgumentNullException.ThrowIfNull(reviewer);
        AddRepository(repository);
        _ = reviewer.Kind == ReviewerKind.User ? AddUser(reviewer.Name) : AddTeam(reviewer.Name);
        lock (_gate)
        {
            _repositories[repository].Access.Add(reviewer);
        }

        return this;
    }

    /// <summary>Sets the facts GitHub reports about a repository (added when unknown).</summary>
    /// <param name="repository">The repository, spelt as GitHub spells it.</param>
    /// <param name="id">Its numeric id; default a new one.</param>
    /// <param name="ownerId">Its owner's numeric id; default a new one.</param>
    /// <param name="visibility">Its visibility.</param>
    /// <param name="useImmutableSubject">Whether its OIDC subjects use the immutable <c>repo:OWNER@ID/REPO@ID</c> form.</param>
    /// <param name="includeClaimKeys">A custom OIDC subject template, e.g. <c>["repository_owner", "context"]</c>; <see langword="null"/> for the default.</param>
    /// <returns>This fake.</returns>
    public InMemoryGitHub ConfigureRepository(
        RepositoryId repository,
        long? id = null,
        long? ownerId = null,
        GitHubRepositoryVisibility visibility = GitHubRepositoryVisibility.Public,
        bool useImmutableSubject = false,
        IEnumerable<string>? includeClaimKeys = null)
    {
        AddRepository(repository);
        lock (_gate)
        {
            var record = _repositories[repository];
            record.Id = id ?? record.Id;
            record.OwnerId = ownerId ?? record.OwnerId;
            record.Visibility = visibility;
            record.UseImmutableSubject = useImmutableSubject;
            record.IncludeClaimKeys = includeClaimKeys?.ToArray();
        }

        return this;
    }

    /// <summary>Installs a GitHub App on a repository so that it can be enabled as a custom deployment protection rule.</summary>
    /// <param name="repository">The repository (added when unknown).</param>
    /// <param name="appId">The App's id.</param>
    /// <param name="slug">The App's slug.</param>
    /// <returns>This fake.</returns>
    public InMemoryGitHub InstallProtectionRuleApp(RepositoryId repository, long appId, string slug)
    {
        ArgumentNullException.ThrowIfNull(slug);
        AddRepository(repository);
        lock (_gate)
        {
            _repositories[repository].Apps[appId] = MlEnvironmentsModelFactory.GitHubProtectionRuleApp(
                appId, slug, new Uri($"https://api.github.com/apps/{slug}"));
        }

        return this;
    }

    /// <summary>
    /// Puts an environment into the fake as if it had been created on GitHub, without logging calls: reviewers get
    /// access, patterns, variables and secrets are stored (secret references are stored as opaque values), and each
    /// required protection-rule App is enabled (installed first, with the slug <c>app-{id}</c>, when it is not yet).
    /// </summary>
    /// <param name="repository">The repository (added when unknown).</param>
    /// <param name="environment">What the environment holds.</param>
    /// <returns>This fake.</returns>
    public InMemoryGitHub Seed(RepositoryId repository, EnvironmentDefinition environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        AddRepository(repository);
        foreach (var reviewer in environment.Reviewers)
        {
            GrantAccess(repository, reviewer);
        }

        lock (_gate)
        {
            var repo = _repositories[repository];
            var now = _time.GetUtcNow();
            var record = repo.Find(environment.Name) ?? repo.Add(environment.Name, ++_nextId, now);
            record.WaitTimer = environment.WaitTimer;
            record.PreventSelfReview = environment.PreventsSelfReview;
            record.CanAdminsBypass = environment.CanAdminsBypass;
            record.BranchPolicy = environment.BranchPolicy.Kind;
            record.Reviewers = [.. environment.Reviewers.Select(r => MlEnvironmentsModelFactory.GitHubReviewer(r.Kind, IdOf(r)!.Value, r.Name))];
            record.Policies.Clear();
            foreach (var pattern in environment.BranchPolicy.Patterns)
            {
                record.Policies.Add(MlEnvironmentsModelFactory.GitHubDeploymentBranchPolicy(++_nextId, pattern.Pattern, pattern.Type));
            }

            foreach (var variable in environment.GetEffectiveVariables())
            {
                record.Variables[variable.Name.ToUpperInvariant()] = new VariableRecord(variable.Value, now, now);
            }

            foreach (var secret in environment.Secrets)
            {
                record.Secrets[secret.Name.ToUpperInvariant()] = new SecretRecord(secret.Value, now, now);
            }

            foreach (var appId in environment.ProtectionRuleAppIds)
            {
                if (!repo.Apps.TryGetValue(appId, out var app))
                {
                    var slug = $"app-{appId.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
                    app = MlEnvironmentsModelFactory.GitHubProtectionRuleApp(appId, slug, new Uri($"https://api.github.com/apps/{slug}"));
                    repo.Apps[appId] = app;
                }

                if (!record.Rules.Any(r => r.App.Id == appId))
                {
                    record.Rules.Add(MlEnvironmentsModelFactory.GitHubProtectionRule(++_nextId, app));
                }
            }
        }

        return this;
    }

    /// <summary>
    /// What the fake holds for a repository, in the definition model (secrets as <see cref="SecretValue.Existing"/>,
    /// enabled protection rules as <see cref="EnvironmentDefinition.RequireProtectionRule(long)"/>).
    /// </summary>
    /// <param name="repository">The repository.</param>
    /// <returns>The environments in creation order.</returns>
    public RepositoryDefinition Snapshot(RepositoryId repository)
    {
        lock (_gate)
        {
            var repo = Repository(repository, "snapshot");
            var environments = repo.Environments.Select(e =>
            {
                var definition = MlEnvironment.Environment(e.Name)
                    .RequireReviewers(e.Reviewers.Select(r => r.ToReviewer()))
                    .WithWaitTimer(e.WaitTimer)
                    .WithBranchPolicy(e.BranchPolicy == DeploymentBranchPolicyKind.CustomPatterns
                        ? DeploymentBranchPolicy.Custom(e.Policies.Select(p => p.ToPattern()))
                        : e.BranchPolicy == DeploymentBranchPolicyKind.ProtectedBranches ? DeploymentBranchPolicy.ProtectedBranches : DeploymentBranchPolicy.AllBranches);
                definition = e.PreventSelfReview ? definition.PreventSelfReview() : definition;
                definition = e.CanAdminsBypass ? definition : definition.PreventAdminsBypass();
                foreach (var variable in e.Variables)
                {
                    definition = definition.WithVariable(variable.Key, variable.Value.Value);
                }

                foreach (var secret in e.Secrets)
                {
                    definition = definition.WithSecret(secret.Key, SecretValue.Existing);
                }

                foreach (var rule in e.Rules.Where(r => r.Enabled))
                {
                    definition = definition.RequireProtectionRule(rule.App.Id);
                }

                return definition;
            });
            return MlEnvironment.Repository(repository, [.. environments]);
        }
    }

    /// <summary>
    /// The value a secret was last set to, for assertions in tests: a <see cref="SecretValue"/> (which never prints
    /// itself; read it with <see cref="SecretValue.TryRevealLiteral(out string?)"/>), or <see langword="null"/>.
    /// </summary>
    /// <param name="repository">The repository.</param>
    /// <param name="environmentName">The environment.</param>
    /// <param name="secretName">The secret.</param>
    /// <returns>The value, or <see langword="null"/> when there is no such secret.</returns>
    public SecretValue? GetSecretValue(RepositoryId repository, string environmentName, string secretName)
    {
        lock (_gate)
        {
            return _repositories.TryGetValue(repository, out var repo) &&
                   repo.Find(environmentName) is { } environment &&
                   environment.Secrets.TryGetValue(secretName, out var secret)
                ? secret.Value
                : null;
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<GitHubEnvironment>> ListEnvironmentsAsync(RepositoryId repository, CancellationToken cancellationToken = default) =>
        Run("repos/get-all-environments", false, repository, null, null, cancellationToken, () =>
        {
            var repo = Repository(repository, "repos/get-all-environments");
            return (IReadOnlyList<GitHubEnvironment>)repo.Environments.Select(e => e.ToModel()).ToList();
        });

    /// <inheritdoc />
    public Task<GitHubEnvironment?> GetEnvironmentAsync(RepositoryId repository, string environmentName, CancellationToken cancellationToken = default) =>
        Run("repos/get-environment", false, repository, environmentName, null, cancellationToken, () =>
            Repository(repository, "repos/get-environment").Find(environmentName)?.ToModel());

    /// <inheritdoc />
    public Task<IReadOnlyList<GitHubDeploymentBranchPolicy>> ListDeploymentBranchPoliciesAsync(RepositoryId repository, string environmentName, CancellationToken cancellationToken = default) =>
        Run("repos/list-deployment-branch-policies", false, repository, environmentName, null, cancellationToken, () =>
        {
            var environment = Environment(repository, environmentName, "repos/list-deployment-branch-policies");
            return (IReadOnlyList<GitHubDeploymentBranchPolicy>)[.. environment.Policies];
        });

    /// <inheritdoc />
    public Task<GitHubEnvironment> CreateOrUpdateEnvironmentAsync(RepositoryId repository, string environmentName, GitHubEnvironmentSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        const string operation = "repos/create-or-update-environment";
        return Run(operation, true, repository, environmentName, null, cancellationToken, () =>
        {
            var repo = Repository(repository, operation);
            CheckPlanGate(repository, operation, settings.WaitTimer > TimeSpan.Zero || settings.Reviewers.Count > 0 || settings.PreventSelfReview || !settings.CanAdminsBypass);
            if (environmentName.Length is 0 or > 255 || environmentName.Any(char.IsControl))
            {
                throw Error(operation, 422, "Validation Failed: name is invalid.");
            }

            if (settings.Reviewers.Count > 6)
            {
                throw Error(operation, 422, "Validation Failed: reviewers may contain at most 6 users or teams.");
            }

            if (settings.WaitTimer < TimeSpan.Zero || settings.WaitTimer > TimeSpan.FromMinutes(43_200) || settings.WaitTimer.Ticks % TimeSpan.TicksPerMinute != 0)
            {
                throw Error(operation, 422, "Validation Failed: wait_timer must be an integer between 0 and 43200.");
            }

            var reviewers = new List<GitHubReviewer>();
            foreach (var reference in settings.Reviewers)
            {
                var name = NameOf(reference) ?? throw Error(operation, 422, $"Validation Failed: {reference.Kind} {reference.Id} does not exist.");
                reviewers.Add(MlEnvironmentsModelFactory.GitHubReviewer(reference.Kind, reference.Id, name));
            }

            if (settings.PreventSelfReview && reviewers.Count == 0)
            {
                throw Error(operation, 422, "Validation Failed: prevent_self_review requires reviewers.");
            }

            var now = _time.GetUtcNow();
            var environment = repo.Find(environmentName) ?? repo.Add(environmentName, ++_nextId, now);
            environment.WaitTimer = settings.WaitTimer;
            environment.PreventSelfReview = settings.PreventSelfReview;
            environment.CanAdminsBypass = settings.CanAdminsBypass;
            environment.Reviewers = reviewers;
            if (settings.BranchPolicy != DeploymentBranchPolicyKind.CustomPatterns)
            {
                environment.Policies.Clear();
            }

            environment.BranchPolicy = settings.BranchPolicy;
            environment.UpdatedAt = now;
            return environment.ToModel();
        });
    }

    /// <inheritdoc />
    public Task DeleteEnvironmentAsync(RepositoryId repository, string environmentName, CancellationToken cancellationToken = default) =>
        Run("repos/delete-an-environment", true, repository, environmentName, null, cancellationToken, () =>
        {
            var repo = Repository(repository, "repos/delete-an-environment");
            var environment = repo.Find(environmentName) ?? throw Error("repos/delete-an-environment", 404, "Not Found");
            repo.Environments.Remove(environment);
            return true;
        });

    /// <inheritdoc />
    public Task<GitHubDeploymentBranchPolicy> CreateDeploymentBranchPolicyAsync(RepositoryId repository, string environmentName, DeploymentRefPattern pattern, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        const string operation = "repos/create-deployment-branch-policy";
        return Run(operation, true, repository, environmentName, pattern.ToString(), cancellationToken, () =>
        {
            var environment = Environment(repository, environmentName, operation);
            if (environment.BranchPolicy != DeploymentBranchPolicyKind.CustomPatterns)
            {
                throw Error(operation, 404, "Not Found: the environment's deployment branch policy is not set to custom_branch_policies.");
            }

            if (string.IsNullOrWhiteSpace(pattern.Pattern))
            {
                throw Error(operation, 422, "Validation Failed: name can't be blank.");
            }

            // GitHub answers 303 See Other for a duplicate; clients follow it to the existing policy.
            var existing = environment.Policies.FirstOrDefault(p => p.Name == pattern.Pattern && p.Type == pattern.Type);
            if (existing is not null)
            {
                return existing;
            }

            var policy = MlEnvironmentsModelFactory.GitHubDeploymentBranchPolicy(++_nextId, pattern.Pattern, pattern.Type);
            environment.Policies.Add(policy);
            return policy;
        });
    }

    /// <inheritdoc />
    public Task DeleteDeploymentBranchPolicyAsync(RepositoryId repository, string environmentName, long policyId, CancellationToken cancellationToken = default)
    {
        const string operation = "repos/delete-deployment-branch-policy";
        return Run(operation, true, repository, environmentName, policyId.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken, () =>
        {
            var environment = Environment(repository, environmentName, operation);
            var removed = environment.Policies.RemoveAll(p => p.Id == policyId);
            return removed > 0 ? true : throw Error(operation, 404, "Not Found");
        });
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<GitHubSecret>> ListEnvironmentSecretsAsync(RepositoryId repository, string environmentName, CancellationToken cancellationToken = default) =>
        Run("actions/list-environment-secrets", false, repository, environmentName, null, cancellationToken, () =>
        {
            var environment = Environment(repository, environmentName, "actions/list-environment-secrets");
            return (IReadOnlyList<GitHubSecret>)environment.Secrets
                .OrderBy(s => s.Key, StringComparer.Ordinal)
                .Select(s => MlEnvironmentsModelFactory.GitHubSecret(s.Key, s.Value.CreatedAt, s.Value.UpdatedAt))
                .ToList();
        });

    /// <inheritdoc />
    public Task SetEnvironmentSecretAsync(RepositoryId repository, string environmentName, string secretName, [SecretPlaintext] string value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(secretName);
        ArgumentNullException.ThrowIfNull(value);
        const string operation = "actions/create-or-update-environment-secret";
        return Run(operation, true, repository, environmentName, secretName, cancellationToken, () =>
        {
            var environment = Environment(repository, environmentName, operation);
            CheckName(operation, secretName);
            if (Encoding.UTF8.GetByteCount(value) > MaxValueBytes)
            {
                throw Error(operation, 422, "Validation Failed: secret values are limited to 48 KB.");
            }

            var key = secretName.ToUpperInvariant();
            var now = _time.GetUtcNow();
            if (environment.Secrets.TryGetValue(key, out var existing))
            {
                environment.Secrets[key] = existing with { Value = SecretValue.FromValue(value), UpdatedAt = now };
            }
            else
            {
                if (environment.Secrets.Count >= MaxItems)
                {
                    throw Error(operation, 422, "Validation Failed: an environment can have at most 100 secrets.");
                }

                environment.Secrets[key] = new SecretRecord(SecretValue.FromValue(value), now, now);
            }

            return true;
        });
    }

    /// <inheritdoc />
    public Task DeleteEnvironmentSecretAsync(RepositoryId repository, string environmentName, string secretName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(secretName);
        const string operation = "actions/delete-environment-secret";
        return Run(operation, true, repository, environmentName, secretName, cancellationToken, () =>
            Environment(repository, environmentName, operation).Secrets.Remove(secretName) ? true : throw Error(operation, 404, "Not Found"));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<GitHubVariable>> ListEnvironmentVariablesAsync(RepositoryId repository, string environmentName, CancellationToken cancellationToken = default) =>
        Run("actions/list-environment-variables", false, repository, environmentName, null, cancellationToken, () =>
        {
            var environment = Environment(repository, environmentName, "actions/list-environment-variables");
            return (IReadOnlyList<GitHubVariable>)environment.Variables
                .OrderBy(v => v.Key, StringComparer.Ordinal)
                .Select(v => MlEnvironmentsModelFactory.GitHubVariable(v.Key, v.Value.Value, v.Value.CreatedAt, v.Value.UpdatedAt))
                .ToList();
        });

    /// <inheritdoc />
    public Task CreateEnvironmentVariableAsync(RepositoryId repository, string environmentName, string name, string value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        const string operation = "actions/create-environment-variable";
        return Run(operation, true, repository, environmentName, name, cancellationToken, () =>
        {
            var environment = Environment(repository, environmentName, operation);
            CheckName(operation, name);
            CheckValue(operation, value);
            var key = name.ToUpperInvariant();
            if (environment.Variables.ContainsKey(key))
            {
                throw Error(operation, 409, $"Conflict: variable {key} already exists.");
            }

            if (environment.Variables.Count >= MaxItems)
            {
                throw Error(operation, 422, "Validation Failed: an environment can have at most 100 variables.");
            }

            var now = _time.GetUtcNow();
            environment.Variables[key] = new VariableRecord(value, now, now);
            return true;
        });
    }

    /// <inheritdoc />
    public Task UpdateEnvironmentVariableAsync(RepositoryId repository, string environmentName, string name, string value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        const string operation = "actions/update-environment-variable";
        return Run(operation, true, repository, environmentName, name, cancellationToken, () =>
        {
            var environment = Environment(repository, environmentName, operation);
            CheckValue(operation, value);
            var key = name.ToUpperInvariant();
            if (!environment.Variables.TryGetValue(key, out var existing))
            {
                throw Error(operation, 404, "Not Found");
            }

            environment.Variables[key] = existing with { Value = value, UpdatedAt = _time.GetUtcNow() };
            return true;
        });
    }

    /// <inheritdoc />
    public Task DeleteEnvironmentVariableAsync(RepositoryId repository, string environmentName, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        const string operation = "actions/delete-environment-variable";
        return Run(operation, true, repository, environmentName, name, cancellationToken, () =>
            Environment(repository, environmentName, operation).Variables.Remove(name) ? true : throw Error(operation, 404, "Not Found"));
    }

    /// <inheritdoc />
    public Task<ReviewerResolution> ResolveReviewerAsync(RepositoryId repository, Reviewer reviewer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reviewer);
        var operation = reviewer.Kind == ReviewerKind.User ? "users/get-by-username" : "teams/get-by-name";
        return Run(operation, false, repository, null, reviewer.ToString(), cancellationToken, () =>
        {
            var repo = Repository(repository, operation);
            var id = IdOf(reviewer);
            if (id is null)
            {
                return ReviewerResolution.NotFound(reviewer);
            }

            return repo.Access.Contains(reviewer)
                ? ReviewerResolution.Resolved(reviewer, id.Value)
                : ReviewerResolution.NoAccess(reviewer, id.Value, $"{reviewer} has no access to {repository}.");
        });
    }

    /// <inheritdoc />
    public Task<GitHubDeploymentBranchPolicy> UpdateDeploymentBranchPolicyAsync(RepositoryId repository, string environmentName, long policyId, string pattern, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        const string operation = "repos/update-deployment-branch-policy";
        return Run(operation, true, repository, environmentName, policyId.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken, () =>
        {
            var environment = Environment(repository, environmentName, operation);
            var index = environment.Policies.FindIndex(p => p.Id == policyId);
            if (index < 0)
            {
                throw Error(operation, 404, "Not Found");
            }

            if (string.IsNullOrWhiteSpace(pattern))
            {
                throw Error(operation, 422, "Validation Failed: name can't be blank.");
            }

            var updated = MlEnvironmentsModelFactory.GitHubDeploymentBranchPolicy(policyId, pattern, environment.Policies[index].Type);
            environment.Policies[index] = updated;
            return updated;
        });
    }

    /// <inheritdoc />
    public Task<GitHubRepositoryInfo> GetRepositoryAsync(RepositoryId repository, CancellationToken cancellationToken = default) =>
        Run("repos/get", false, repository, null, null, cancellationToken, () =>
        {
            var record = Repository(repository, "repos/get");
            return MlEnvironmentsModelFactory.GitHubRepositoryInfo(record.Name, record.Id, record.OwnerId, record.Visibility);
        });

    /// <inheritdoc />
    public Task<GitHubOidcSubjectClaim> GetOidcSubjectClaimAsync(RepositoryId repository, CancellationToken cancellationToken = default) =>
        Run("actions/get-custom-oidc-sub-claim-for-repo", false, repository, null, null, cancellationToken, () =>
        {
            var record = Repository(repository, "actions/get-custom-oidc-sub-claim-for-repo");
            return MlEnvironmentsModelFactory.GitHubOidcSubjectClaim(record.SubClaimPrefix(), record.IncludeClaimKeys is null, record.IncludeClaimKeys, record.UseImmutableSubject);
        });

    /// <inheritdoc />
    public Task<IReadOnlyList<GitHubProtectionRule>> ListProtectionRulesAsync(RepositoryId repository, string environmentName, CancellationToken cancellationToken = default) =>
        Run("repos/get-all-deployment-protection-rules", false, repository, environmentName, null, cancellationToken, () =>
            (IReadOnlyList<GitHubProtectionRule>)[.. Environment(repository, environmentName, "repos/get-all-deployment-protection-rules").Rules]);

    /// <inheritdoc />
    public Task<IReadOnlyList<GitHubProtectionRuleApp>> ListAvailableProtectionRuleAppsAsync(RepositoryId repository, string environmentName, CancellationToken cancellationToken = default) =>
        Run("repos/list-custom-deployment-rule-integrations", false, repository, environmentName, null, cancellationToken, () =>
        {
            _ = Environment(repository, environmentName, "repos/list-custom-deployment-rule-integrations");
            return (IReadOnlyList<GitHubProtectionRuleApp>)[.. _repositories[repository].Apps.Values.OrderBy(a => a.Id)];
        });

    /// <inheritdoc />
    public Task<GitHubProtectionRule> EnableProtectionRuleAsync(RepositoryId repository, string environmentName, long appId, CancellationToken cancellationToken = default)
    {
        const string operation = "repos/create-deployment-protection-rule";
        return Run(operation, true, repository, environmentName, appId.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken, () =>
        {
            var environment = Environment(repository, environmentName, operation);
            CheckPlanGate(repository, operation, writesProtectedSettings: true);
            if (!_repositories[repository].Apps.TryGetValue(appId, out var app))
            {
                throw Error(operation, 422, $"Validation Failed: integration {appId} is not installed on the repository or cannot be a deployment protection rule.");
            }

            if (environment.Rules.Any(r => r.App.Id == appId))
            {
                throw Error(operation, 422, $"Validation Failed: integration {appId} is already enabled on this environment.");
            }

            if (environment.Rules.Count >= MaxProtectionRules)
            {
                throw Error(operation, 422, "Validation Failed: an environment can have at most 6 custom deployment protection rules.");
            }

            var rule = MlEnvironmentsModelFactory.GitHubProtectionRule(++_nextId, app);
            environment.Rules.Add(rule);
            return rule;
        });
    }

    /// <inheritdoc />
    public Task DisableProtectionRuleAsync(RepositoryId repository, string environmentName, long ruleId, CancellationToken cancellationToken = default)
    {
        const string operation = "repos/disable-deployment-protection-rule";
        return Run(operation, true, repository, environmentName, ruleId.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken, () =>
            Environment(repository, environmentName, operation).Rules.RemoveAll(r => r.Id == ruleId) > 0 ? true : throw Error(operation, 404, "Not Found"));
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1068", Justification = "The action reads better last at the call sites.")]
    private Task<T> Run<T>(string operation, bool isWrite, RepositoryId repository, string? environment, string? target, CancellationToken cancellationToken, Func<T> action) =>
        Run(operation, isWrite, repository.ToString(), environment, target, cancellationToken, action);

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1068", Justification = "The action reads better last at the call sites.")]
    private Task<T> Run<T>(string operation, bool isWrite, string resource, string? environment, string? target, CancellationToken cancellationToken, Func<T> action) =>
        FakeCalls.Run(_gate, _calls, Faults, (operation, isWrite, resource, environment, target), action, cancellationToken);

    private RepositoryRecord Repository(RepositoryId repository, string operation) =>
        _repositories.TryGetValue(repository, out var repo) ? repo : throw Error(operation, 404, $"Not Found: repository {repository}.");

    private EnvironmentRecord Environment(RepositoryId repository, string environmentName, string operation) =>
        Repository(repository, operation).Find(environmentName) ?? throw Error(operation, 404, $"Not Found: environment {environmentName}.");

    private long? IdOf(Reviewer reviewer) =>
        (reviewer.Kind == ReviewerKind.User ? _users : _teams).TryGetValue(reviewer.Name, out var id) ? id : null;

    private string? NameOf(GitHubReviewerReference reference) =>
        (reference.Kind == ReviewerKind.User ? _users : _teams).FirstOrDefault(p => p.Value == reference.Id).Key;

    private static void CheckName(string operation, string name)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ||
            name.StartsWith("GITHUB_", StringComparison.OrdinalIgnoreCase))
        {
            throw Error(operation, 422, "Validation Failed: names may only contain alphanumeric characters or underscores, must not start with a number or GITHUB_.");
        }
    }

    private static void CheckValue(string operation, string value)
    {
        if (Encoding.UTF8.GetByteCount(value) > MaxValueBytes)
        {
            throw Error(operation, 422, "Validation Failed: variable values are limited to 48 KB.");
        }
    }

    private static RemoteServiceException Error(string operation, int status, string message) =>
        new("GitHub", operation, status, message);

    private sealed class RepositoryRecord(RepositoryId name)
    {
        public RepositoryId Name { get; } = name;

        public long Id { get; set; }

        public long OwnerId { get; set; }

        public GitHubRepositoryVisibility Visibility { get; set; }

        public bool UseImmutableSubject { get; set; }

        public string[]? IncludeClaimKeys { get; set; }

        public Dictionary<long, GitHubProtectionRuleApp> Apps { get; } = [];

        public string SubClaimPrefix()
        {
            if (IncludeClaimKeys is null)
            {
                return UseImmutableSubject
                    ? $"repo:{Name.Owner}@{OwnerId}/{Name.Name}@{Id}"
                    : $"repo:{Name.Owner}/{Name.Name}";
            }

            var parts = new List<string>();
            foreach (var key in IncludeClaimKeys)
            {
                var value = key switch
                {
                    "repo" => UseImmutableSubject ? $"{Name.Owner}@{OwnerId}/{Name.Name}@{Id}" : Name.ToString(),
                    "repository_owner" => Name.Owner,
                    "repository_owner_id" => OwnerId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    "repository_id" => Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    _ => null,
                };
                if (value is not null)
                {
                    parts.Add(key + ":" + value);
                }
            }

            return string.Join(":", parts);
        }

        public List<EnvironmentRecord> Environments { get; } = [];

        public HashSet<Reviewer> Access { get; } = [];

        public EnvironmentRecord? Find(string name) =>
            Environments.FirstOrDefault(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase));

        public EnvironmentRecord Add(string name, long id, DateTimeOffset now)
        {
            var record = new EnvironmentRecord(id, name, now);
            Environments.Add(record);
            return record;
        }
    }

    private sealed class EnvironmentRecord(long id, string name, DateTimeOffset createdAt)
    {
        public long Id { get; } = id;

        public string Name { get; } = name;

        public TimeSpan WaitTimer { get; set; }

        public bool PreventSelfReview { get; set; }

        public bool CanAdminsBypass { get; set; } = true;

        public IReadOnlyList<GitHubReviewer> Reviewers { get; set; } = [];

        public DeploymentBranchPolicyKind BranchPolicy { get; set; }

        public List<GitHubDeploymentBranchPolicy> Policies { get; } = [];

        public List<GitHubProtectionRule> Rules { get; } = [];

        public Dictionary<string, SecretRecord> Secrets { get; } = new(StringComparer.OrdinalIgnoreCase);

        public Dictionary<string, VariableRecord> Variables { get; } = new(StringComparer.OrdinalIgnoreCase);

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public DateTimeOffset UpdatedAt { get; set; } = createdAt;

        public GitHubEnvironment ToModel() => MlEnvironmentsModelFactory.GitHubEnvironment(
            Id, Name, WaitTimer, PreventSelfReview, CanAdminsBypass, Reviewers, BranchPolicy, CreatedAt, UpdatedAt);
    }

    private sealed record SecretRecord(SecretValue Value, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

    private sealed record VariableRecord(string Value, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
}
