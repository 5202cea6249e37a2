using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MlEnvironments.GitHub;

namespace MlEnvironments.Benchmarks.Scale;

/// <summary>
/// The naïve baseline's reads: one GET per resource, with raw <see cref="HttpClient"/> calls on the paths of GitHub's
/// description — each declared environment individually, its branch policies, then each declared secret and each
/// declared variable by name. No conditional requests, no paging knowledge, one request at a time. It implements
/// the reader interfaces for one repository's definition, so <see cref="Planning.EnvironmentPlanner"/> diffs what it
/// reads exactly as it diffs what the real client reads.
/// </summary>
internal sealed class NaiveGitHubReader(HttpClient http, RepositoryDefinition definition) :
    IGitHubEnvironmentReader, IGitHubSecretReader, IGitHubVariableReader
{
    public const string ApiVersion = "2022-11-28";

    /// <summary>A client for the baseline: the token, GitHub's media type and API version; no cache of any kind.</summary>
    public static HttpClient CreateClient(Uri baseAddress, string token)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { BaseAddress = baseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        client.DefaultRequestHeaders.Accept.ParseAdd("application/vnd.github+json");
        client.DefaultRequestHeaders.UserAgent.ParseAdd("MlEnvironments-naive-baseline/1.0");
        client.DefaultRequestHeaders.Add("X-GitHub-Api-Version", ApiVersion);
        return client;
    }

    /// <summary>GETs each declared environment by name; those that answer 404 do not exist.</summary>
    public async Task<IReadOnlyList<GitHubEnvironment>> ListEnvironmentsAsync(RepositoryId repository, CancellationToken cancellationToken = default)
    {
        var found = new List<GitHubEnvironment>();
        foreach (var environment in definition.Environments)
        {
            if (await GetEnvironmentAsync(repository, environment.Name, cancellationToken) is { } existing)
            {
                found.Add(existing);
            }
        }

        return found;
    }

    public async Task<GitHubEnvironment?> GetEnvironmentAsync(RepositoryId repository, string environmentName, CancellationToken cancellationToken = default)
    {
        using var document = await GetAsync(EnvironmentPath(repository, environmentName), cancellationToken);
        return document is null ? null : ParseEnvironment(document.RootElement);
    }

    public async Task<IReadOnlyList<GitHubDeploymentBranchPolicy>> ListDeploymentBranchPoliciesAsync(RepositoryId repository, string environmentName, CancellationToken cancellationToken = default)
    {
        using var document = await GetAsync(EnvironmentPath(repository, environmentName) + "/deployment-branch-policies", cancellationToken);
        return document is null
            ? []
            : [.. document.RootElement.GetProperty("branch_policies").EnumerateArray().Select(p => MlEnvironmentsModelFactory.GitHubDeploymentBranchPolicy(
                p.GetProperty("id").GetInt64(), p.GetProperty("name").GetString()!,
                p.TryGetProperty("type", out var type) && type.GetString() == "tag" ? DeploymentRefType.Tag : DeploymentRefType.Branch))];
    }

    /// <summary>GETs each declared secret by name.</summary>
    public async Task<IReadOnlyList<GitHubSecret>> ListEnvironmentSecretsAsync(RepositoryId repository, string environmentName, CancellationToken cancellationToken = default)
    {
        var found = new List<GitHubSecret>();
        foreach (var secret in definition.FindEnvironment(environmentName)?.Secrets ?? [])
        {
            using var document = await GetAsync($"{EnvironmentPath(repository, environmentName)}/secrets/{Uri.EscapeDataString(secret.Name)}", cancellationToken);
            if (document is not null)
            {
                var root = document.RootElement;
                found.Add(MlEnvironmentsModelFactory.GitHubSecret(root.GetProperty("name").GetString()!, Time(root, "created_at"), Time(root, "updated_at")));
            }
        }

        return found;
    }

    /// <summary>GETs each declared variable (the workspace binding's included) by name.</summary>
    public async Task<IReadOnlyList<GitHubVariable>> ListEnvironmentVariablesAsync(RepositoryId repository, string environmentName, CancellationToken cancellationToken = default)
    {
        var found = new List<GitHubVariable>();
        foreach (var variable in definition.FindEnvironment(environmentName)?.GetEffectiveVariables() ?? [])
        {
            using var document = await GetAsync($"{EnvironmentPath(repository, environmentName)}/variables/{Uri.EscapeDataString(variable.Name)}", cancellationToken);
            if (document is not null)
            {
                var root = document.RootElement;
                found.Add(MlEnvironmentsModelFactory.GitHubVariable(root.GetProperty("name").GetString()!, root.GetProperty("value").GetString()!,
                    Time(root, "created_at"), Time(root, "updated_at")));
            }
        }

        return found;
    }

    private static string EnvironmentPath(RepositoryId repository, string environmentName) =>
        $"repos/{Uri.EscapeDataString(repository.Owner)}/{Uri.EscapeDataString(repository.Name)}/environments/{Uri.EscapeDataString(environmentName)}";

    private async Task<JsonDocument?> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        return await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
    }

    private static DateTimeOffset? Time(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture)
            : null;

    private static GitHubEnvironment ParseEnvironment(JsonElement root)
    {
        var waitTimer = TimeSpan.Zero;
        var preventSelfReview = false;
        var reviewers = new List<GitHubReviewer>();
        var rules = root.TryGetProperty("protection_rules", out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().ToList() : [];
        foreach (var rule in rules)
        {
            switch (rule.GetProperty("type").GetString())
            {
                case "wait_timer":
                    waitTimer = TimeSpan.FromMinutes(rule.GetProperty("wait_timer").GetInt32());
                    break;
                case "required_reviewers":
                    preventSelfReview = rule.TryGetProperty("prevent_self_review", out var prevent) && prevent.GetBoolean();
                    foreach (var entry in rule.GetProperty("reviewers").EnumerateArray())
                    {
                        var team = entry.GetProperty("type").GetString() == "Team";
                        var reviewer = entry.GetProperty("reviewer");
                        reviewers.Add(MlEnvironmentsModelFactory.GitHubReviewer(team ? ReviewerKind.Team : ReviewerKind.User,
                            reviewer.GetProperty("id").GetInt64(), reviewer.GetProperty(team ? "slug" : "login").GetString()!));
                    }

                    break;
            }
        }

        var policy = DeploymentBranchPolicyKind.AllBranches;
        if (root.TryGetProperty("deployment_branch_policy", out var branches) && branches.ValueKind == JsonValueKind.Object)
        {
            policy = branches.GetProperty("custom_branch_policies").GetBoolean() ? DeploymentBranchPolicyKind.CustomPatterns
                : branches.GetProperty("protected_branches").GetBoolean() ? DeploymentBranchPolicyKind.ProtectedBranches
                : DeploymentBranchPolicyKind.AllBranches;
        }

        return MlEnvironmentsModelFactory.GitHubEnvironment(
            root.GetProperty("id").GetInt64(), root.GetProperty("name").GetString()!, waitTimer, preventSelfReview,
            !root.TryGetProperty("can_admins_bypass", out var bypass) || bypass.GetBoolean(), reviewers, policy,
            Time(root, "created_at"), Time(root, "updated_at"));
    }
}
