using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json.Nodes;
using MlEnvironments.GitHub;

namespace MlEnvironments.Testing;

/// <summary>
/// Builds response bodies in the shapes of GitHub's description (snake_case, the schemas' required fields), with
/// API URLs under the emulator's base address. Timestamps the fake does not track (users, teams, repositories) are
/// a fixed <see cref="FixedTimestamp"/>, so that bodies, and therefore ETags, are stable.
/// </summary>
internal sealed partial class GitHubJson(Uri baseAddress)
{
    /// <summary>The timestamp of things whose times the fake does not keep.</summary>
    public const string FixedTimestamp = "2020-01-01T00:00:00Z";

    private const string Web = "https://github.com/";

    private readonly string _api = baseAddress.AbsoluteUri;

    /// <summary>GitHub's legacy node id: Base64 of <c>0{length}:{Type}{id}</c>, e.g. <c>MDQ6VXNlcjE=</c> for user 1.</summary>
    public static string NodeId(string type, long id) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes($"0{type.Length.ToString(CultureInfo.InvariantCulture)}:{type}{id.ToString(CultureInfo.InvariantCulture)}"));

    /// <summary>ISO 8601 in UTC, to the second, as GitHub writes it.</summary>
    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A path segment, percent-encoded.</summary>
    public static string Escape(string segment) => Uri.EscapeDataString(segment);

    /// <summary>An absolute API URL for a relative path.</summary>
    public string Api(string relative) => _api + relative;

    /// <summary>The API URL of an environment.</summary>
    public string EnvironmentUrl(RepositoryId repository, string environment) =>
        Api($"repos/{repository.Owner}/{repository.Name}/environments/{Escape(environment)}");

    /// <summary>An environment (<c>environment</c> schema), with <c>protection_rules</c>, <c>deployment_branch_policy</c> and <c>can_admins_bypass</c>.</summary>
    public JsonObject Environment(RepositorySnapshot repository, GitHubEnvironment environment)
    {
        var rules = new JsonArray();
        if (environment.WaitTimer > TimeSpan.Zero)
        {
            var id = GateId(environment.Id, 1);
            rules.Add((JsonNode)new JsonObject
            {
                ["id"] = id,
                ["node_id"] = NodeId("Gate", id),
                ["type"] = "wait_timer",
                ["wait_timer"] = (long)environment.WaitTimer.TotalMinutes,
            });
        }

        if (environment.Reviewers.Count > 0)
        {
            var id = GateId(environment.Id, 2);
            var reviewers = new JsonArray();
            foreach (var reviewer in environment.Reviewers)
            {
                reviewers.Add((JsonNode)new JsonObject
                {
                    ["type"] = reviewer.Kind == ReviewerKind.User ? "User" : "Team",
                    ["reviewer"] = reviewer.Kind == ReviewerKind.User
                        ? SimpleUser(reviewer.Name, reviewer.Id)
                        : Team(reviewer.Name, reviewer.Id, repository),
                });
            }

            rules.Add((JsonNode)new JsonObject
            {
                ["id"] = id,
                ["node_id"] = NodeId("Gate", id),
                ["prevent_self_review"] = environment.PreventSelfReview,
                ["type"] = "required_reviewers",
                ["reviewers"] = reviewers,
            });
        }

        if (environment.BranchPolicy != DeploymentBranchPolicyKind.AllBranches)
        {
            var id = GateId(environment.Id, 3);
            rules.Add((JsonNode)new JsonObject { ["id"] = id, ["node_id"] = NodeId("Gate", id), ["type"] = "branch_policy" });
        }

        var name = repository.Name;
        return new JsonObject
        {
            ["id"] = environment.Id,
            ["node_id"] = NodeId("Environment", environment.Id),
            ["name"] = environment.Name,
            ["url"] = EnvironmentUrl(name, environment.Name),
            ["html_url"] = $"{Web}{name.Owner}/{name.Name}/deployments/activity_log?environments_filter={Escape(environment.Name)}",
            ["created_at"] = Timestamp(environment.CreatedAt),
            ["updated_at"] = Timestamp(environment.UpdatedAt),
            ["can_admins_bypass"] = environment.CanAdminsBypass,
            ["protection_rules"] = rules,
            ["deployment_branch_policy"] = environment.BranchPolicy == DeploymentBranchPolicyKind.AllBranches
                ? null
                : new JsonObject
                {
                    ["protected_branches"] = environment.BranchPolicy == DeploymentBranchPolicyKind.ProtectedBranches,
                    ["custom_branch_policies"] = environment.BranchPolicy == DeploymentBranchPolicyKind.CustomPatterns,
                },
        };
    }

    /// <summary>A deployment branch policy (<c>deployment-branch-policy</c> schema).</summary>
    public static JsonObject BranchPolicy(GitHubDeploymentBranchPolicy policy) => new()
    {
        ["id"] = policy.Id,
        ["node_id"] = NodeId("DeploymentBranchPolicy", policy.Id),
        ["name"] = policy.Name,
        ["type"] = policy.Type == DeploymentRefType.Tag ? "tag" : "branch",
    };

    /// <summary>A custom deployment protection rule (<c>deployment-protection-rule</c> schema).</summary>
    public JsonObject ProtectionRule(GitHubProtectionRule rule) => new()
    {
        ["id"] = rule.Id,
        ["node_id"] = NodeId("DeploymentProtectionRule", rule.Id),
        ["enabled"] = rule.Enabled,
        ["app"] = ProtectionRuleApp(rule.App),
    };

    /// <summary>An App that can be a custom deployment protection rule (<c>custom-deployment-rule-app</c> schema).</summary>
    public JsonObject ProtectionRuleApp(GitHubProtectionRuleApp app) => new()
    {
        ["id"] = app.Id,
        ["slug"] = app.Slug,
        ["integration_url"] = app.IntegrationUrl?.AbsoluteUri ?? Api("apps/" + app.Slug),
        ["node_id"] = NodeId("Integration", app.Id),
    };

    /// <summary>An environment secret's metadata (<c>actions-secret</c> schema).</summary>
    public static JsonObject Secret(GitHubSecret secret) => new()
    {
        ["name"] = secret.Name,
        ["created_at"] = Timestamp(secret.CreatedAt),
        ["updated_at"] = Timestamp(secret.UpdatedAt),
    };

    /// <summary>An environment variable (<c>actions-variable</c> schema).</summary>
    public static JsonObject Variable(GitHubVariable variable) => new()
    {
        ["name"] = variable.Name,
        ["value"] = variable.Value,
        ["created_at"] = Timestamp(variable.CreatedAt),
        ["updated_at"] = Timestamp(variable.UpdatedAt),
    };

    /// <summary>A user (<c>simple-user</c> schema); <paramref name="type"/> is <c>User</c> or <c>Organization</c>.</summary>
    public JsonObject SimpleUser(string login, long id, string type = "User")
    {
        var user = new JsonObject();
        AddUserFields(user, login, id, type);
        return user;
    }

    /// <summary>A user as <c>users/get-by-username</c> answers for someone else (<c>public-user</c> schema).</summary>
    public JsonObject PublicUser(string login, long id)
    {
        var user = new JsonObject();
        AddUserFields(user, login, id, "User");
        user["name"] = null;
        user["company"] = null;
        user["blog"] = string.Empty;
        user["location"] = null;
        user["email"] = null;
        user["hireable"] = null;
        user["bio"] = null;
        user["twitter_username"] = null;
        user["public_repos"] = 0;
        user["public_gists"] = 0;
        user["followers"] = 0;
        user["following"] = 0;
        user["created_at"] = FixedTimestamp;
        user["updated_at"] = FixedTimestamp;
        return user;
    }

    /// <summary>A repository collaborator (<c>collaborator</c> schema) with read or no access.</summary>
    public JsonObject Collaborator(string login, long id, bool canRead)
    {
        var user = new JsonObject();
        AddUserFields(user, login, id, "User");
        user["permissions"] = new JsonObject { ["pull"] = canRead, ["triage"] = false, ["push"] = false, ["maintain"] = false, ["admin"] = false };
        user["role_name"] = canRead ? "read" : "none";
        return user;
    }

    /// <summary>A team as a reviewer (<c>team</c> schema).</summary>
    public JsonObject Team(string slug, long id, RepositorySnapshot organization)
    {
        var org = organization.Name.Owner;
        return new JsonObject
        {
            ["id"] = id,
            ["node_id"] = NodeId("Team", id),
            ["name"] = slug,
            ["slug"] = slug,
            ["description"] = null,
            ["privacy"] = "closed",
            ["notification_setting"] = "notifications_enabled",
            ["permission"] = "pull",
            ["url"] = Api($"orgs/{org}/teams/{slug}"),
            ["html_url"] = $"{Web}orgs/{org}/teams/{slug}",
            ["members_url"] = Api($"orgs/{org}/teams/{slug}/members{{/member}}"),
            ["repositories_url"] = Api($"orgs/{org}/teams/{slug}/repos"),
            ["parent"] = null,
            ["type"] = "organization",
            ["organization_id"] = organization.OwnerId,
        };
    }

    /// <summary>A team with its organisation (<c>team-full</c> schema), as <c>teams/get-by-name</c> answers.</summary>
    public JsonObject FullTeam(string slug, long id, RepositorySnapshot organization)
    {
        var team = Team(slug, id, organization);
        team["members_count"] = 0;
        team["repos_count"] = 0;
        team["created_at"] = FixedTimestamp;
        team["updated_at"] = FixedTimestamp;
        var org = organization.Name.Owner;
        team["organization"] = new JsonObject
        {
            ["login"] = org,
            ["id"] = organization.OwnerId,
            ["node_id"] = NodeId("Organization", organization.OwnerId),
            ["url"] = Api($"orgs/{org}"),
            ["repos_url"] = Api($"orgs/{org}/repos"),
            ["events_url"] = Api($"orgs/{org}/events"),
            ["hooks_url"] = Api($"orgs/{org}/hooks"),
            ["issues_url"] = Api($"orgs/{org}/issues"),
            ["members_url"] = Api($"orgs/{org}/members{{/member}}"),
            ["public_members_url"] = Api($"orgs/{org}/public_members{{/member}}"),
            ["avatar_url"] = Avatar(organization.OwnerId),
            ["description"] = null,
            ["html_url"] = Web + org,
            ["has_organization_projects"] = true,
            ["has_repository_projects"] = true,
            ["public_repos"] = 0,
            ["public_gists"] = 0,
            ["followers"] = 0,
            ["following"] = 0,
            ["type"] = "Organization",
            ["created_at"] = FixedTimestamp,
            ["updated_at"] = FixedTimestamp,
            ["archived_at"] = null,
        };
        return team;
    }

    /// <summary>
    /// A repository with every field that <c>full-repository</c> (<c>repos/get</c>) and <c>team-repository</c>
    /// (<c>teams/check-permissions-for-repo-in-org</c>) require.
    /// </summary>
    public JsonObject Repository(RepositorySnapshot repository, bool ownerIsUser, JsonObject permissions)
    {
        var name = repository.Name;
        var full = $"{name.Owner}/{name.Name}";
        var api = Api("repos/" + full);
        var isPublic = repository.Visibility == GitHubRepositoryVisibility.Public;
        return new JsonObject
        {
            ["id"] = repository.Id,
            ["node_id"] = NodeId("Repository", repository.Id),
            ["name"] = name.Name,
            ["full_name"] = full,
            ["owner"] = SimpleUser(name.Owner, repository.OwnerId, ownerIsUser ? "User" : "Organization"),
            ["private"] = !isPublic,
            ["visibility"] = repository.Visibility.ToString().ToLowerInvariant(),
            ["html_url"] = Web + full,
            ["description"] = null,
            ["fork"] = false,
            ["url"] = api,
            ["archive_url"] = api + "/{archive_format}{/ref}",
            ["assignees_url"] = api + "/assignees{/user}",
            ["blobs_url"] = api + "/git/blobs{/sha}",
            ["branches_url"] = api + "/branches{/branch}",
            ["collaborators_url"] = api + "/collaborators{/collaborator}",
            ["comments_url"] = api + "/comments{/number}",
            ["commits_url"] = api + "/commits{/sha}",
            ["compare_url"] = api + "/compare/{base}...{head}",
            ["contents_url"] = api + "/contents/{+path}",
            ["contributors_url"] = api + "/contributors",
            ["deployments_url"] = api + "/deployments",
            ["downloads_url"] = api + "/downloads",
            ["events_url"] = api + "/events",
            ["forks_url"] = api + "/forks",
            ["git_commits_url"] = api + "/git/commits{/sha}",
            ["git_refs_url"] = api + "/git/refs{/sha}",
            ["git_tags_url"] = api + "/git/tags{/sha}",
            ["git_url"] = $"git://github.com/{full}.git",
            ["issue_comment_url"] = api + "/issues/comments{/number}",
            ["issue_events_url"] = api + "/issues/events{/number}",
            ["issues_url"] = api + "/issues{/number}",
            ["keys_url"] = api + "/keys{/key_id}",
            ["labels_url"] = api + "/labels{/name}",
            ["languages_url"] = api + "/languages",
            ["merges_url"] = api + "/merges",
            ["milestones_url"] = api + "/milestones{/number}",
            ["notifications_url"] = api + "/notifications{?since,all,participating}",
            ["pulls_url"] = api + "/pulls{/number}",
            ["releases_url"] = api + "/releases{/id}",
            ["ssh_url"] = $"git@github.com:{full}.git",
            ["stargazers_url"] = api + "/stargazers",
            ["statuses_url"] = api + "/statuses/{sha}",
            ["subscribers_url"] = api + "/subscribers",
            ["subscription_url"] = api + "/subscription",
            ["tags_url"] = api + "/tags",
            ["teams_url"] = api + "/teams",
            ["trees_url"] = api + "/git/trees{/sha}",
            ["clone_url"] = $"{Web}{full}.git",
            ["mirror_url"] = null,
            ["hooks_url"] = api + "/hooks",
            ["svn_url"] = Web + full,
            ["homepage"] = null,
            ["language"] = null,
            ["forks"] = 0,
            ["forks_count"] = 0,
            ["stargazers_count"] = 0,
            ["watchers"] = 0,
            ["watchers_count"] = 0,
            ["size"] = 0,
            ["default_branch"] = "main",
            ["open_issues"] = 0,
            ["open_issues_count"] = 0,
            ["is_template"] = false,
            ["topics"] = new JsonArray(),
            ["has_issues"] = true,
            ["has_projects"] = true,
            ["has_wiki"] = true,
            ["has_pages"] = false,
            ["has_downloads"] = true,
            ["has_discussions"] = false,
            ["archived"] = false,
            ["disabled"] = false,
            ["pushed_at"] = FixedTimestamp,
            ["created_at"] = FixedTimestamp,
            ["updated_at"] = FixedTimestamp,
            ["permissions"] = permissions,
            ["allow_forking"] = true,
            ["web_commit_signoff_required"] = false,
            ["license"] = null,
            ["network_count"] = 0,
            ["subscribers_count"] = 0,
        };
    }

    /// <summary>Repository permissions of the given role.</summary>
    public static JsonObject Permissions(bool admin) => new()
    {
        ["admin"] = admin,
        ["maintain"] = admin,
        ["push"] = admin,
        ["triage"] = admin,
        ["pull"] = true,
    };

    /// <summary>A GitHub App installation (<c>installation</c> schema).</summary>
    public JsonObject Installation(long installationId, long appId, RepositorySnapshot account, bool accountIsUser, IReadOnlyDictionary<string, string> permissions) => new()
    {
        ["id"] = installationId,
        ["account"] = SimpleUser(account.Name.Owner, account.OwnerId, accountIsUser ? "User" : "Organization"),
        ["repository_selection"] = "selected",
        ["access_tokens_url"] = Api($"app/installations/{installationId.ToString(CultureInfo.InvariantCulture)}/access_tokens"),
        ["repositories_url"] = Api("installation/repositories"),
        ["html_url"] = $"{Web}organizations/{account.Name.Owner}/settings/installations/{installationId.ToString(CultureInfo.InvariantCulture)}",
        ["app_id"] = appId,
        ["app_slug"] = AppSlug(appId),
        ["target_id"] = account.OwnerId,
        ["target_type"] = accountIsUser ? "User" : "Organization",
        ["permissions"] = PermissionObject(permissions),
        ["events"] = new JsonArray(),
        ["created_at"] = FixedTimestamp,
        ["updated_at"] = FixedTimestamp,
        ["single_file_name"] = null,
        ["has_multiple_single_files"] = false,
        ["single_file_paths"] = new JsonArray(),
        ["suspended_by"] = null,
        ["suspended_at"] = null,
    };

    /// <summary>The slug the emulator gives a registered App.</summary>
    public static string AppSlug(long appId) => "app-" + appId.ToString(CultureInfo.InvariantCulture);

    /// <summary>A permissions map as a JSON object.</summary>
    public static JsonObject PermissionObject(IReadOnlyDictionary<string, string> permissions)
    {
        var result = new JsonObject();
        foreach (var pair in permissions.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            result[pair.Key] = pair.Value;
        }

        return result;
    }

    private static long GateId(long environmentId, int kind) => (environmentId * 10) + kind;

    private static string Avatar(long id) => $"https://avatars.githubusercontent.com/u/{id.ToString(CultureInfo.InvariantCulture)}?v=4";

    private void AddUserFields(JsonObject user, string login, long id, string type)
    {
        var api = Api("users/" + login);
        user["login"] = login;
        user["id"] = id;
        user["node_id"] = NodeId(type, id);
        user["avatar_url"] = Avatar(id);
        user["gravatar_id"] = string.Empty;
        user["url"] = api;
        user["html_url"] = Web + login;
        user["followers_url"] = api + "/followers";
        user["following_url"] = api + "/following{/other_user}";
        user["gists_url"] = api + "/gists{/gist_id}";
        user["starred_url"] = api + "/starred{/owner}{/repo}";
        user["subscriptions_url"] = api + "/subscriptions";
        user["organizations_url"] = api + "/orgs";
        user["repos_url"] = api + "/repos";
        user["events_url"] = api + "/events{/privacy}";
        user["received_events_url"] = api + "/received_events";
        user["type"] = type;
        user["user_view_type"] = "public";
        user["site_admin"] = false;
    }
}
