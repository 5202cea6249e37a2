using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using MlEnvironments.GitHub;

namespace MlEnvironments.Testing;

/// <content>The operations: each translates a request into calls of the fake and its answer into GitHub's shapes.</content>
public sealed partial class GitHubEmulator
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    private GitHubJson Json => _json ?? throw new InvalidOperationException("The emulator has not started.");

    private Task<EmulatorResult>? DispatchAsync(RequestContext c) => c.Operation.Id switch
    {
        "repos/get-all-environments" => ListEnvironmentsAsync(c),
        "repos/get-environment" => GetEnvironmentAsync(c),
        "repos/create-or-update-environment" => PutEnvironmentAsync(c),
        "repos/delete-an-environment" => NoContentAsync(State.DeleteEnvironmentAsync(c.Repository, c.EnvironmentName, c.CancellationToken)),
        "repos/list-deployment-branch-policies" => ListBranchPoliciesAsync(c),
        "repos/create-deployment-branch-policy" => CreateBranchPolicyAsync(c),
        "repos/get-deployment-branch-policy" => GetBranchPolicyAsync(c),
        "repos/update-deployment-branch-policy" => UpdateBranchPolicyAsync(c),
        "repos/delete-deployment-branch-policy" => NoContentAsync(State.DeleteDeploymentBranchPolicyAsync(c.Repository, c.EnvironmentName, c.LongParameter("branch_policy_id"), c.CancellationToken)),
        "repos/get-all-deployment-protection-rules" => ListProtectionRulesAsync(c),
        "repos/create-deployment-protection-rule" => CreateProtectionRuleAsync(c),
        "repos/list-custom-deployment-rule-integrations" => ListProtectionRuleAppsAsync(c),
        "repos/get-custom-deployment-protection-rule" => GetProtectionRuleAsync(c),
        "repos/disable-deployment-protection-rule" => NoContentAsync(State.DisableProtectionRuleAsync(c.Repository, c.EnvironmentName, c.LongParameter("protection_rule_id"), c.CancellationToken)),
        "actions/get-environment-public-key" => GetPublicKeyAsync(c),
        "actions/list-environment-secrets" => ListSecretsAsync(c),
        "actions/get-environment-secret" => GetSecretAsync(c),
        "actions/create-or-update-environment-secret" => PutSecretAsync(c),
        "actions/delete-environment-secret" => NoContentAsync(State.DeleteEnvironmentSecretAsync(c.Repository, c.EnvironmentName, c.Parameter("secret_name"), c.CancellationToken)),
        "actions/list-environment-variables" => ListVariablesAsync(c),
        "actions/create-environment-variable" => CreateVariableAsync(c),
        "actions/get-environment-variable" => GetVariableAsync(c),
        "actions/update-environment-variable" => UpdateVariableAsync(c),
        "actions/delete-environment-variable" => NoContentAsync(State.DeleteEnvironmentVariableAsync(c.Repository, c.EnvironmentName, c.Parameter("name"), c.CancellationToken)),
        "users/get-by-username" => GetUserAsync(c),
        "teams/get-by-name" => GetTeamAsync(c),
        "repos/check-collaborator" => CheckCollaboratorAsync(c),
        "repos/get-collaborator-permission-level" => GetCollaboratorPermissionAsync(c),
        "teams/check-permissions-for-repo-in-org" => CheckTeamPermissionAsync(c),
        "repos/get" => GetRepositoryAsync(c),
        "actions/get-custom-oidc-sub-claim-for-repo" => GetOidcSubjectClaimAsync(c),
        "apps/get-repo-installation" => Task.FromResult(GetRepositoryInstallation(c)),
        "apps/create-installation-access-token" => Task.FromResult(CreateInstallationToken(c)),
        "rate-limit/get" => Task.FromResult(GetRateLimit()),
        "orgs/get" or "users/get-authenticated" or "repos/list-for-org" or "repos/list-for-user" => DispatchAccountsAsync(c),
        _ => DispatchActionsAsync(c),
    };

    private static async Task<EmulatorResult> NoContentAsync(Task call)
    {
        await call.ConfigureAwait(false);
        return EmulatorResult.Empty(204);
    }

    private static EmulatorResult ValidationFailed(RequestContext c, string problem) =>
        EmulatorResult.Error(422, "Invalid request.\n\n" + problem, c.Operation.DocumentationUrl);

    private static EmulatorResult NotFound(RequestContext c) => EmulatorResult.Error(404, "Not Found", c.Operation.DocumentationUrl);

    // ----- environments ---------------------------------------------------------------------------------------

    private async Task<EmulatorResult> ListEnvironmentsAsync(RequestContext c)
    {
        var environments = await State.ListEnvironmentsAsync(c.Repository, c.CancellationToken).ConfigureAwait(false);
        var repository = State.PeekRepository(c.Repository)!;
        return Page(c, environments, 30, 100, "environments", e => Json.Environment(repository, e));
    }

    private async Task<EmulatorResult> GetEnvironmentAsync(RequestContext c)
    {
        var environment = await State.GetEnvironmentAsync(c.Repository, c.EnvironmentName, c.CancellationToken).ConfigureAwait(false);
        return environment is null
            ? NotFound(c)
            : EmulatorResult.Json(200, Json.Environment(State.PeekRepository(c.Repository)!, environment));
    }

    /// <summary>
    /// PUT merges: a field that is absent keeps its value (the current environment's, or GitHub's default for a new
    /// one); a field sent as its reset value (<c>0</c>, <c>false</c>, <c>null</c>, <c>[]</c>) clears it.
    /// </summary>
    private async Task<EmulatorResult> PutEnvironmentAsync(RequestContext c)
    {
        if (PlanGateRefusal(c) is { } refusal)
        {
            return refusal;
        }

        var current = State.PeekEnvironment(c.Repository, c.EnvironmentName);
        var waitTimer = current?.WaitTimer ?? TimeSpan.Zero;
        var preventSelfReview = current?.PreventSelfReview ?? false;
        var canAdminsBypass = current?.CanAdminsBypass ?? true;
        var branchPolicy = current?.BranchPolicy ?? DeploymentBranchPolicyKind.AllBranches;
        var reviewers = current?.Reviewers.Select(r => new GitHubReviewerReference(r.Kind, r.Id)).ToList() ?? [];

        if (c.TryGetBodyProperty("wait_timer", out var timer))
        {
            if (!timer.TryGetInt64(out var minutes) || minutes is < 0 or > 43_200)
            {
                return ValidationFailed(c, "wait_timer must be an integer between 0 and 43200.");
            }

            waitTimer = TimeSpan.FromMinutes(minutes);
        }

        if (c.TryGetBodyProperty("prevent_self_review", out var preventSelf))
        {
            preventSelfReview = preventSelf.GetBoolean();
        }

        if (c.TryGetBodyProperty("can_admins_bypass", out var bypass))
        {
            canAdminsBypass = bypass.GetBoolean();
        }

        if (c.TryGetBodyProperty("reviewers", out var list))
        {
            reviewers = [];
            if (list.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in list.EnumerateArray())
                {
                    if (!item.TryGetProperty("type", out var type) || !item.TryGetProperty("id", out var id) || !id.TryGetInt64(out var reviewerId))
                    {
                        return ValidationFailed(c, "each reviewer needs a \"type\" (User or Team) and an integer \"id\".");
                    }

                    reviewers.Add(new GitHubReviewerReference(type.GetString() == "Team" ? ReviewerKind.Team : ReviewerKind.User, reviewerId));
                }
            }
        }

        if (c.TryGetBodyProperty("deployment_branch_policy", out var policy))
        {
            if (policy.ValueKind == JsonValueKind.Null)
            {
                branchPolicy = DeploymentBranchPolicyKind.AllBranches;
            }
            else
            {
                var protectedBranches = policy.GetProperty("protected_branches").GetBoolean();
                var custom = policy.GetProperty("custom_branch_policies").GetBoolean();
                if (protectedBranches == custom)
                {
                    return ValidationFailed(c, "protected_branches and custom_branch_policies cannot have the same value.");
                }

                branchPolicy = protectedBranches ? DeploymentBranchPolicyKind.ProtectedBranches : DeploymentBranchPolicyKind.CustomPatterns;
            }
        }

        var settings = new GitHubEnvironmentSettings
        {
            WaitTimer = waitTimer,
            PreventSelfReview = preventSelfReview,
            CanAdminsBypass = canAdminsBypass,
            Reviewers = reviewers,
            BranchPolicy = branchPolicy,
        };
        var environment = await State.CreateOrUpdateEnvironmentAsync(c.Repository, c.EnvironmentName, settings, c.CancellationToken).ConfigureAwait(false);
        return EmulatorResult.Json(200, Json.Environment(State.PeekRepository(c.Repository)!, environment));
    }

    // ----- deployment branch policies -------------------------------------------------------------------------

    private async Task<EmulatorResult> ListBranchPoliciesAsync(RequestContext c)
    {
        var policies = await State.ListDeploymentBranchPoliciesAsync(c.Repository, c.EnvironmentName, c.CancellationToken).ConfigureAwait(false);
        return Page(c, policies, 30, 100, "branch_policies", GitHubJson.BranchPolicy);
    }

    /// <summary>A pattern that exists (same name and type) answers 303 See Other with the existing policy's URL.</summary>
    private async Task<EmulatorResult> CreateBranchPolicyAsync(RequestContext c)
    {
        c.TryGetBodyProperty("name", out var name);
        var type = c.TryGetBodyProperty("type", out var typeElement) && typeElement.GetString() == "tag" ? DeploymentRefType.Tag : DeploymentRefType.Branch;
        var before = State.PeekDeploymentBranchPolicies(c.Repository, c.EnvironmentName).Select(p => p.Id).ToHashSet();
        var policy = await State.CreateDeploymentBranchPolicyAsync(c.Repository, c.EnvironmentName, new DeploymentRefPattern(name.GetString()!, type), c.CancellationToken).ConfigureAwait(false);
        if (before.Contains(policy.Id))
        {
            var location = Json.EnvironmentUrl(c.Repository, c.EnvironmentName) + "/deployment-branch-policies/" + policy.Id.ToString(CultureInfo.InvariantCulture);
            return EmulatorResult.Empty(303).WithHeader("Location", location);
        }

        return EmulatorResult.Json(200, GitHubJson.BranchPolicy(policy));
    }

    private async Task<EmulatorResult> GetBranchPolicyAsync(RequestContext c) =>
        EmulatorResult.Json(200, GitHubJson.BranchPolicy(await State.GetDeploymentBranchPolicyAsync(
            c.Repository, c.EnvironmentName, c.LongParameter("branch_policy_id"), c.CancellationToken).ConfigureAwait(false)));

    private async Task<EmulatorResult> UpdateBranchPolicyAsync(RequestContext c)
    {
        c.TryGetBodyProperty("name", out var name);
        var policy = await State.UpdateDeploymentBranchPolicyAsync(
            c.Repository, c.EnvironmentName, c.LongParameter("branch_policy_id"), name.GetString()!, c.CancellationToken).ConfigureAwait(false);
        return EmulatorResult.Json(200, GitHubJson.BranchPolicy(policy));
    }

    // ----- custom deployment protection rules -----------------------------------------------------------------

    private async Task<EmulatorResult> ListProtectionRulesAsync(RequestContext c)
    {
        var rules = await State.ListProtectionRulesAsync(c.Repository, c.EnvironmentName, c.CancellationToken).ConfigureAwait(false);
        return EmulatorResult.Json(200, new JsonObject
        {
            ["total_count"] = rules.Count,
            ["custom_deployment_protection_rules"] = new JsonArray([.. rules.Select(r => (JsonNode)Json.ProtectionRule(r))]),
        });
    }

    private async Task<EmulatorResult> CreateProtectionRuleAsync(RequestContext c)
    {
        if (!c.TryGetBodyProperty("integration_id", out var integration) || !integration.TryGetInt64(out var appId))
        {
            return ValidationFailed(c, "\"integration_id\" wasn't supplied.");
        }

        var rule = await State.EnableProtectionRuleAsync(c.Repository, c.EnvironmentName, appId, c.CancellationToken).ConfigureAwait(false);
        return EmulatorResult.Json(201, Json.ProtectionRule(rule));
    }

    private async Task<EmulatorResult> ListProtectionRuleAppsAsync(RequestContext c)
    {
        var apps = await State.ListAvailableProtectionRuleAppsAsync(c.Repository, c.EnvironmentName, c.CancellationToken).ConfigureAwait(false);
        return Page(c, apps, 30, 100, "available_custom_deployment_protection_rule_integrations", Json.ProtectionRuleApp);
    }

    private async Task<EmulatorResult> GetProtectionRuleAsync(RequestContext c) =>
        EmulatorResult.Json(200, Json.ProtectionRule(await State.GetProtectionRuleAsync(
            c.Repository, c.EnvironmentName, c.LongParameter("protection_rule_id"), c.CancellationToken).ConfigureAwait(false)));

    // ----- environment secrets --------------------------------------------------------------------------------

    private async Task<EmulatorResult> GetPublicKeyAsync(RequestContext c)
    {
        var environment = await State.RequireEnvironmentAsync(c.Operation.Id, c.Repository, c.EnvironmentName, c.CancellationToken).ConfigureAwait(false);
        var pair = GetEnvironmentSecretKeyPair(c.Repository, environment.Name);
        return EmulatorResult.Json(200, new JsonObject { ["key_id"] = pair.KeyId, ["key"] = pair.PublicKeyBase64 });
    }

    private async Task<EmulatorResult> ListSecretsAsync(RequestContext c)
    {
        var secrets = await State.ListEnvironmentSecretsAsync(c.Repository, c.EnvironmentName, c.CancellationToken).ConfigureAwait(false);
        return Page(c, secrets, 30, 100, "secrets", GitHubJson.Secret);
    }

    private async Task<EmulatorResult> GetSecretAsync(RequestContext c) =>
        EmulatorResult.Json(200, GitHubJson.Secret(await State.GetEnvironmentSecretAsync(
            c.Repository, c.EnvironmentName, c.Parameter("secret_name"), c.CancellationToken).ConfigureAwait(false)));

    /// <summary>
    /// Opens the sealed box with the environment's private key and stores the plaintext through the fake's
    /// <see cref="InMemoryGitHub.SetEnvironmentSecretAsync"/>: 201 when the secret is new, 204 when it is replaced,
    /// 422 when <c>key_id</c> is not the environment's or the box does not open.
    /// </summary>
    private async Task<EmulatorResult> PutSecretAsync(RequestContext c)
    {
        var secretName = c.Parameter("secret_name");
        var environment = State.PeekEnvironment(c.Repository, c.EnvironmentName)
            ?? await State.RequireEnvironmentAsync(c.Operation.Id, c.Repository, c.EnvironmentName, c.CancellationToken).ConfigureAwait(false);
        var pair = GetEnvironmentSecretKeyPair(c.Repository, environment.Name);
        c.TryGetBodyProperty("key_id", out var keyId);
        c.TryGetBodyProperty("encrypted_value", out var encrypted);
        if (!string.Equals(keyId.GetString(), pair.KeyId, StringComparison.Ordinal))
        {
            return ValidationFailed(c, "key_id is not the id of the environment's public key; fetch the key again and re-encrypt.");
        }

        byte[] plaintext;
        try
        {
            plaintext = Sodium.SealedPublicKeyBox.Open(Convert.FromBase64String(encrypted.GetString()!), pair.PrivateKey, pair.PublicKey);
        }
        catch (Exception e) when (e is CryptographicException or FormatException or ArgumentException or Sodium.Exceptions.KeyOutOfRangeException)
        {
            return ValidationFailed(c, "encrypted_value is not a sealed box for the environment's public key.");
        }

        string value;
        try
        {
            value = StrictUtf8.GetString(plaintext);
        }
        catch (DecoderFallbackException)
        {
            return ValidationFailed(c, "the decrypted value is not UTF-8 text.");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }

        var existed = State.PeekSecretExists(c.Repository, environment.Name, secretName);
        await State.SetEnvironmentSecretAsync(c.Repository, environment.Name, secretName, value, c.CancellationToken).ConfigureAwait(false);
        return existed ? EmulatorResult.Empty(204) : EmulatorResult.Json(201, new JsonObject());
    }

    // ----- environment variables ------------------------------------------------------------------------------

    private async Task<EmulatorResult> ListVariablesAsync(RequestContext c)
    {
        var variables = await State.ListEnvironmentVariablesAsync(c.Repository, c.EnvironmentName, c.CancellationToken).ConfigureAwait(false);
        return Page(c, variables, 10, 30, "variables", GitHubJson.Variable);
    }

    private async Task<EmulatorResult> CreateVariableAsync(RequestContext c)
    {
        c.TryGetBodyProperty("name", out var name);
        c.TryGetBodyProperty("value", out var value);
        await State.CreateEnvironmentVariableAsync(c.Repository, c.EnvironmentName, name.GetString()!, value.GetString()!, c.CancellationToken).ConfigureAwait(false);
        return EmulatorResult.Json(201, new JsonObject());
    }

    private async Task<EmulatorResult> GetVariableAsync(RequestContext c) =>
        EmulatorResult.Json(200, GitHubJson.Variable(await State.GetEnvironmentVariableAsync(
            c.Repository, c.EnvironmentName, c.Parameter("name"), c.CancellationToken).ConfigureAwait(false)));

    private async Task<EmulatorResult> UpdateVariableAsync(RequestContext c)
    {
        var newName = c.TryGetBodyProperty("name", out var name) ? name.GetString() : null;
        var value = c.TryGetBodyProperty("value", out var valueElement) ? valueElement.GetString() : null;
        await State.PatchEnvironmentVariableAsync(c.Repository, c.EnvironmentName, c.Parameter("name"), newName, value, c.CancellationToken).ConfigureAwait(false);
        return EmulatorResult.Empty(204);
    }

    // ----- identities and access ------------------------------------------------------------------------------

    private async Task<EmulatorResult> GetUserAsync(RequestContext c)
    {
        var (login, id) = await State.GetUserAsync(c.Parameter("username"), c.CancellationToken).ConfigureAwait(false);
        return EmulatorResult.Json(200, Json.PublicUser(login, id));
    }

    private async Task<EmulatorResult> GetTeamAsync(RequestContext c)
    {
        var (slug, id, organization) = await State.GetTeamAsync(c.Parameter("org"), c.Parameter("team_slug"), c.CancellationToken).ConfigureAwait(false);
        return EmulatorResult.Json(200, Json.FullTeam(slug, id, organization));
    }

    private async Task<EmulatorResult> CheckCollaboratorAsync(RequestContext c)
    {
        var hasAccess = await State.HasAccessAsync(c.Operation.Id, c.Repository, MlEnvironment.User(c.Parameter("username")), c.CancellationToken).ConfigureAwait(false);
        return hasAccess ? EmulatorResult.Empty(204) : NotFound(c);
    }

    /// <summary>Read access answers <c>read</c>; a known user without access answers <c>none</c>.</summary>
    private async Task<EmulatorResult> GetCollaboratorPermissionAsync(RequestContext c)
    {
        var username = c.Parameter("username");
        var hasAccess = await State.HasAccessAsync(c.Operation.Id, c.Repository, MlEnvironment.User(username), c.CancellationToken).ConfigureAwait(false);
        var (login, id) = State.PeekUser(username)!.Value;
        var permission = hasAccess ? "read" : "none";
        return EmulatorResult.Json(200, new JsonObject
        {
            ["permission"] = permission,
            ["role_name"] = permission,
            ["user"] = Json.Collaborator(login, id, hasAccess),
        });
    }

    /// <summary>204 when the team has access; 200 with the repository when <c>Accept</c> asks for the repository media type.</summary>
    private async Task<EmulatorResult> CheckTeamPermissionAsync(RequestContext c)
    {
        if (State.PeekOwner(c.Parameter("org")) is null)
        {
            return NotFound(c);
        }

        var hasAccess = await State.HasAccessAsync(c.Operation.Id, c.Repository, MlEnvironment.Team(c.Parameter("team_slug")), c.CancellationToken).ConfigureAwait(false);
        if (!hasAccess)
        {
            return NotFound(c);
        }

        if (!c.Http.Request.Headers.Accept.ToString().Contains(RepositoryMediaType, StringComparison.OrdinalIgnoreCase))
        {
            return EmulatorResult.Empty(204);
        }

        var repository = State.PeekRepository(c.Repository)!;
        var body = Json.Repository(repository, State.PeekUser(repository.Name.Owner) is not null, GitHubJson.Permissions(admin: false));
        body["role_name"] = "read";
        return EmulatorResult.Json(200, body);
    }

    // ----- repository facts -----------------------------------------------------------------------------------

    private async Task<EmulatorResult> GetRepositoryAsync(RequestContext c)
    {
        _ = await State.GetRepositoryAsync(c.Repository, c.CancellationToken).ConfigureAwait(false);
        var repository = State.PeekRepository(c.Repository)!;
        return EmulatorResult.Json(200, Json.Repository(repository, State.PeekUser(repository.Name.Owner) is not null, GitHubJson.Permissions(admin: true)));
    }

    private async Task<EmulatorResult> GetOidcSubjectClaimAsync(RequestContext c)
    {
        var claim = await State.GetOidcSubjectClaimAsync(c.Repository, c.CancellationToken).ConfigureAwait(false);
        var body = new JsonObject { ["use_default"] = claim.UseDefault };
        if (!claim.UseDefault)
        {
            body["include_claim_keys"] = new JsonArray([.. claim.IncludeClaimKeys.Select(k => (JsonNode)k)]);
        }

        body["use_immutable_subject"] = claim.UseImmutableSubject;
        body["sub_claim_prefix"] = claim.SubClaimPrefix;
        return EmulatorResult.Json(200, body);
    }

    // ----- GitHub Apps ----------------------------------------------------------------------------------------

    private EmulatorResult GetRepositoryInstallation(RequestContext c)
    {
        var app = c.App!;
        if (!app.Repositories.Contains(c.Repository) || State.PeekRepository(c.Repository) is not { } repository)
        {
            return NotFound(c);
        }

        return EmulatorResult.Json(200, Json.Installation(
            app.InstallationId, app.AppId, repository, State.PeekUser(repository.Name.Owner) is not null, GitHubAppRegistry.DefaultPermissions));
    }

    /// <summary>Issues a token for the installation's repositories, or the ones named in the body (which must be among them).</summary>
    private EmulatorResult CreateInstallationToken(RequestContext c)
    {
        var app = c.App!;
        if (c.LongParameter("installation_id") != app.InstallationId)
        {
            return NotFound(c);
        }

        const string inaccessible = "There is at least one repository that does not exist or is not accessible to the parent installation.";
        var repositories = app.Repositories.ToList();
        var hasNames = c.TryGetBodyProperty("repositories", out var names) && names.ValueKind == JsonValueKind.Array;
        var hasIds = c.TryGetBodyProperty("repository_ids", out var ids) && ids.ValueKind == JsonValueKind.Array;
        if (hasNames || hasIds)
        {
            var selected = new List<RepositoryId>();
            foreach (var name in hasNames ? names.EnumerateArray().Select(n => n.GetString()) : [])
            {
                var found = app.Repositories.Where(r => string.Equals(r.Name, name, StringComparison.OrdinalIgnoreCase)).ToList();
                if (found.Count == 0)
                {
                    return ValidationFailed(c, inaccessible);
                }

                selected.AddRange(found);
            }

            foreach (var id in hasIds ? ids.EnumerateArray().Select(i => i.TryGetInt64(out var value) ? value : -1) : [])
            {
                var found = app.Repositories.Where(r => State.PeekRepository(r)?.Id == id).ToList();
                if (found.Count == 0)
                {
                    return ValidationFailed(c, inaccessible);
                }

                selected.AddRange(found);
            }

            repositories = [.. selected.Distinct()];
        }

        IReadOnlyDictionary<string, string> permissions = GitHubAppRegistry.DefaultPermissions;
        if (c.TryGetBodyProperty("permissions", out var requested) && requested.ValueKind == JsonValueKind.Object)
        {
            permissions = requested.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty, StringComparer.Ordinal);
        }

        var (token, expiresAt) = _apps.Issue(app, repositories, permissions, _options.TimeProvider.GetUtcNow() + _options.InstallationTokenLifetime);
        return EmulatorResult.Json(201, new JsonObject
        {
            ["token"] = token,
            ["expires_at"] = GitHubJson.Timestamp(expiresAt),
            ["permissions"] = GitHubJson.PermissionObject(permissions),
            ["repository_selection"] = "selected",
        });
    }

    // ----- rate limit -----------------------------------------------------------------------------------------

    private EmulatorResult GetRateLimit()
    {
        var (limit, remaining, used, reset) = RateLimits.Snapshot();
        JsonObject Core() => new() { ["limit"] = limit, ["remaining"] = remaining, ["reset"] = reset, ["used"] = used };
        JsonObject Fixed(int amount, long resetAt) => new() { ["limit"] = amount, ["remaining"] = amount, ["reset"] = resetAt, ["used"] = 0 };
        var minute = _options.TimeProvider.GetUtcNow().AddMinutes(1).ToUnixTimeSeconds();
        return EmulatorResult.Json(200, new JsonObject
        {
            ["resources"] = new JsonObject
            {
                ["core"] = Core(),
                ["search"] = Fixed(30, minute),
                ["graphql"] = Fixed(5000, reset),
                ["integration_manifest"] = Fixed(5000, reset),
                ["code_search"] = Fixed(10, minute),
            },
            ["rate"] = Core(),
        });
    }

    // ----- paging ---------------------------------------------------------------------------------------------

    /// <summary>
    /// One page of a wrapped list, <c>{total_count, key: [...]}</c>, with GitHub's <c>Link</c> header (prev, next,
    /// last, first) built from the request's URL when there is more than one page.
    /// </summary>
    private static EmulatorResult Page<T>(RequestContext c, IReadOnlyList<T> items, int defaultPerPage, int maxPerPage, string key, Func<T, JsonNode> map)
    {
        var perPage = Math.Min(c.QueryInt("per_page") ?? defaultPerPage, maxPerPage);
        var page = c.QueryInt("page") ?? 1;
        var lastPage = Math.Max(1, (items.Count + perPage - 1) / perPage);
        var slice = items.Skip((int)Math.Min((long)(page - 1) * perPage, int.MaxValue)).Take(perPage).Select(i => (JsonNode?)map(i)).ToArray();
        var result = EmulatorResult.Json(200, new JsonObject { ["total_count"] = items.Count, [key] = new JsonArray(slice) });
        if (lastPage > 1)
        {
            var links = new List<string>();
            if (page > 1)
            {
                links.Add($"<{PageUrl(c, Math.Min(page - 1, lastPage))}>; rel=\"prev\"");
            }

            if (page < lastPage)
            {
                links.Add($"<{PageUrl(c, page + 1)}>; rel=\"next\"");
                links.Add($"<{PageUrl(c, lastPage)}>; rel=\"last\"");
            }

            if (page > 1)
            {
                links.Add($"<{PageUrl(c, 1)}>; rel=\"first\"");
            }

            result.WithHeader("Link", string.Join(", ", links));
        }

        return result;
    }

    private static string PageUrl(RequestContext c, int page)
    {
        var query = c.RawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !p.StartsWith("page=", StringComparison.Ordinal) && p != "page")
            .Append("page=" + page.ToString(CultureInfo.InvariantCulture));
        var request = c.Http.Request;
        return $"{request.Scheme}://{request.Host}{c.RawPath}?{string.Join("&", query)}";
    }
}
