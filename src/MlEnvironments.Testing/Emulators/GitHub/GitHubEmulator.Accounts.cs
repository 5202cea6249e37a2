using System;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using MlEnvironments.GitHub;

namespace MlEnvironments.Testing;

/// <content>
/// Owners and repository listings (<c>orgs/get</c>, <c>users/get-authenticated</c>, <c>repos/list-for-org</c>,
/// <c>repos/list-for-user</c>), and GitHub's plan gate on <c>repos/create-or-update-environment</c>.
/// </content>
public sealed partial class GitHubEmulator
{
    private static readonly string[] ProtectionKeys = ["wait_timer", "reviewers", "prevent_self_review", "can_admins_bypass"];

    private Task<EmulatorResult> DispatchAccountsAsync(RequestContext c) => c.Operation.Id switch
    {
        "orgs/get" => Task.FromResult(GetOrganization(c)),
        "users/get-authenticated" => Task.FromResult(GetAuthenticatedUser(c)),
        "repos/list-for-org" => ListRepositoriesAsync(c, organization: true),
        _ => ListRepositoriesAsync(c, organization: false),
    };

    /// <summary>
    /// GitHub's plan gate, before an environment write: in a private or internal repository whose owner is on
    /// GitHub Free, 404; on GitHub Pro or Team, a body that names any protection setting (<c>wait_timer</c>,
    /// <c>reviewers</c>, <c>prevent_self_review</c>, <c>can_admins_bypass</c>, even with its default value) answers
    /// 422 <c>Fail to create protected rule, please ensure billing plan include protected branch gate.</c>
    /// </summary>
    private EmulatorResult? PlanGateRefusal(RequestContext c)
    {
        var (visibility, plan) = State.PlanGateOf(c.Repository);
        if (visibility == GitHubRepositoryVisibility.Public)
        {
            return null;
        }

        if (plan == GitHubPlan.Free)
        {
            return NotFound(c);
        }

        var protectedKey = ProtectionKeys.Any(k => c.TryGetBodyProperty(k, out _));
        return plan is GitHubPlan.Pro or GitHubPlan.Team && protectedKey
            ? EmulatorResult.Error(422, InMemoryGitHub.PlanGateMessage, c.Operation.DocumentationUrl)
            : null;
    }

    /// <summary><c>GET /orgs/{org}</c>: <c>plan</c> only when the token may see it (GitHub shows it to the organization's owners).</summary>
    private EmulatorResult GetOrganization(RequestContext c)
    {
        var login = c.Parameter("org");
        if (State.OwnerKind(login) != true)
        {
            return NotFound(c);
        }

        var account = State.PeekOwnerAccount(login);
        var id = account?.Id ?? State.PeekOwner(login)?.OwnerId ?? 1;
        var api = Json.Api("orgs/" + (account?.Login ?? login));
        var body = new JsonObject
        {
            ["login"] = account?.Login ?? login,
            ["id"] = id,
            ["node_id"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("O_" + id.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            ["url"] = api,
            ["repos_url"] = api + "/repos",
            ["events_url"] = api + "/events",
            ["hooks_url"] = api + "/hooks",
            ["issues_url"] = api + "/issues",
            ["members_url"] = api + "/members{/member}",
            ["public_members_url"] = api + "/public_members{/member}",
            ["avatar_url"] = "https://avatars.githubusercontent.com/u/" + id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["description"] = null,
            ["html_url"] = "https://github.com/" + (account?.Login ?? login),
            ["has_organization_projects"] = true,
            ["has_repository_projects"] = true,
            ["public_repos"] = 0,
            ["public_gists"] = 0,
            ["followers"] = 0,
            ["following"] = 0,
            ["type"] = "Organization",
            ["created_at"] = "2020-01-01T00:00:00Z",
            ["updated_at"] = "2020-01-01T00:00:00Z",
            ["archived_at"] = null,
        };
        if (account is { Plan: { } plan, PlanVisible: true })
        {
            body["plan"] = new JsonObject { ["name"] = plan.ToString().ToLowerInvariant(), ["space"] = 976_562_499, ["private_repos"] = 999_999, ["filled_seats"] = 1, ["seats"] = 1 };
        }

        return EmulatorResult.Json(200, body);
    }

    /// <summary>
    /// <c>GET /user</c>: the configured user whose plan is visible (the token is theirs), with <c>plan</c>; with no
    /// such user the token is not a user's (an App installation's), and GitHub answers 403.
    /// </summary>
    private EmulatorResult GetAuthenticatedUser(RequestContext c)
    {
        if (State.PeekAuthenticatedUser() is not { } user)
        {
            return EmulatorResult.Error(403, "Resource not accessible by integration", c.Operation.DocumentationUrl);
        }

        var body = Json.PublicUser(user.Login, user.Id);
        if (user.Plan is { } plan)
        {
            body["plan"] = new JsonObject { ["name"] = plan.ToString().ToLowerInvariant(), ["space"] = 976_562_499, ["private_repos"] = 9999, ["collaborators"] = 0 };
        }

        return EmulatorResult.Json(200, body);
    }

    /// <summary>A page of an owner's repositories (30 by default, at most 100, <c>Link</c> headers), each with <c>topics</c>, <c>archived</c> and <c>fork</c>.</summary>
    private async Task<EmulatorResult> ListRepositoriesAsync(RequestContext c, bool organization)
    {
        var owner = c.Parameter(organization ? "org" : "username");
        var listed = organization
            ? await State.ListOrganizationRepositoriesAsync(owner, c.CancellationToken).ConfigureAwait(false)
            : await State.ListUserRepositoriesAsync(owner, c.CancellationToken).ConfigureAwait(false);
        return PageArray(c, listed, 30, 100, l =>
        {
            var snapshot = State.PeekRepository(l.Repository)!;
            var json = Json.Repository(snapshot, !organization, GitHubJson.Permissions(admin: true));
            json["archived"] = l.IsArchived;
            json["fork"] = l.IsFork;
            json["topics"] = new JsonArray([.. l.Topics.Select(t => (JsonNode)t)]);
            return json;
        });
    }
}
