using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using MlEnvironments.GitHub;
using MlEnvironments.Identity;
using MlEnvironments.MachineLearning;
using MlEnvironments.Promotion;

namespace MlEnvironments.Planning;

/// <summary>
/// The Azure side of workspace bindings, for plans: checks each bound workspace, and for each login the identity,
/// its federated credentials and role assignments (OIDC) or the secret's source (service principal). It turns a
/// definition into the one GitHub must hold (adding <c>AZURE_CLIENT_ID</c>, <c>AZURE_TENANT_ID</c> or
/// <c>AZURE_CREDENTIALS</c>) and lists the Azure changes. Reads only.
/// </summary>
public sealed class WorkspaceBindingPlanner
{
    private const int MaxFederatedCredentials = 20;
    private readonly IMachineLearningWorkspaceReader? _workspaces;
    private readonly IUserAssignedIdentityReader? _identities;
    private readonly IFederatedIdentityCredentialReader? _credentials;
    private readonly IRoleAssignmentReader? _roles;
    private readonly IGitHubRepositoryReader? _repositories;
    private readonly ISecretValueResolver _secrets;

    /// <summary>Creates the binding planner; every service is optional, and a binding that needs a missing one fails its plan clearly.</summary>
    /// <param name="workspaces">Reads workspaces.</param>
    /// <param name="identities">Reads managed identities.</param>
    /// <param name="credentials">Reads federated credentials.</param>
    /// <param name="roles">Reads role assignments.</param>
    /// <param name="repositories">Reads the repository's OIDC subject template.</param>
    /// <param name="secrets">Checks that a service principal's secret can be found.</param>
    public WorkspaceBindingPlanner(
        IMachineLearningWorkspaceReader? workspaces = null,
        IUserAssignedIdentityReader? identities = null,
        IFederatedIdentityCredentialReader? credentials = null,
        IRoleAssignmentReader? roles = null,
        IGitHubRepositoryReader? repositories = null,
        ISecretValueResolver? secrets = null)
    {
        _workspaces = workspaces;
        _identities = identities;
        _credentials = credentials;
        _roles = roles;
        _repositories = repositories;
        _secrets = secrets ?? new DefaultSecretValueResolver();
    }

    /// <summary>The name of the federated credential of an environment: stable, at most 120 characters, unique per repository and environment.</summary>
    /// <param name="repository">The repository.</param>
    /// <param name="environmentName">The environment's name as GitHub stores it.</param>
    /// <returns>The name.</returns>
    public static string FederatedCredentialName(RepositoryId repository, string environmentName)
    {
        ArgumentNullException.ThrowIfNull(environmentName);
        var raw = $"github-{repository.Owner}-{repository.Name}-{environmentName}";
        var clean = new StringBuilder(raw.Length);
        foreach (var c in raw)
        {
            clean.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-');
        }

        var name = clean.ToString();
        if (name.Length <= 120 && string.Equals(name, raw, StringComparison.Ordinal))
        {
            return name;
        }

        // Characters were replaced or the name is too long: a hash of the exact text keeps it unique.
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(raw.ToUpperInvariant())))[..10].ToLowerInvariant();
        return (name.Length > 109 ? name[..109] : name) + "-" + hash;
    }

    internal async Task<BindingPlan> PlanAsync(RepositoryDefinition desired, RepositoryState observed, PlanOptions options, CancellationToken cancellationToken)
    {
        var bound = desired.Environments.Where(e => e.Binding is not null).ToList();
        var changes = ImmutableArray.CreateBuilder<PlannedChange>();
        var notes = ImmutableArray.CreateBuilder<PlanNote>();
        var errors = new List<ValidationError>();
        var augmented = desired;
        var compositions = new Dictionary<string, Func<string, string>>(StringComparer.OrdinalIgnoreCase);
        if (bound.Count == 0 || (_workspaces is null && bound.All(e => e.Binding!.Login is null)))
        {
            return new BindingPlan(augmented, changes.ToImmutable(), notes.ToImmutable(), compositions);
        }

        GitHubOidcSubjectClaim? claim = null;
        var credentialsByIdentity = new Dictionary<UserAssignedIdentityId, List<FederatedIdentityCredentialData>>();
        var plannedByIdentity = new Dictionary<UserAssignedIdentityId, int>();
        var identitiesByEnvironment = new Dictionary<string, UserAssignedIdentityData>(StringComparer.OrdinalIgnoreCase);
        foreach (var environment in bound)
        {
            var binding = environment.Binding!;
            var path = $"environments[{environment.Name}].workspace";
            var gitHubName = observed.FindEnvironment(environment.Name)?.Environment.Name ?? environment.Name;
            if (Require(_workspaces, "an Azure Machine Learning workspace reader", path, errors) is { } workspaces)
            {
                var workspace = await workspaces.GetWorkspaceAsync(binding.Workspace, cancellationToken).ConfigureAwait(false);
                if (workspace is null)
                {
                    errors.Add(new ValidationError(path, ValidationRules.WorkspaceNotReady,
                        $"Workspace {binding.Workspace.WorkspaceName} does not exist in resource group {binding.Workspace.ResourceGroupName} (or the Azure credential cannot see it); create it or fix the binding.",
                        binding.Workspace.ResourceId));
                    continue;
                }

                if (!string.Equals(workspace.ProvisioningState, "Succeeded", StringComparison.OrdinalIgnoreCase))
                {
                    errors.Add(new ValidationError(path, ValidationRules.WorkspaceNotReady,
                        $"Workspace {binding.Workspace.WorkspaceName} is '{workspace.ProvisioningState}', not 'Succeeded'; bind it once it is provisioned.",
                        workspace.ProvisioningState));
                }

                if (string.Equals(workspace.PublicNetworkAccess, "Disabled", StringComparison.OrdinalIgnoreCase))
                {
                    notes.Add(new PlanNote(PlanNoteSeverity.Warning, gitHubName,
                        $"workspace {binding.Workspace.WorkspaceName} disables public network access: GitHub-hosted runners cannot reach it; use self-hosted runners in its network."));
                }
            }

            if (binding.Login is not { } login)
            {
                continue;
            }

            if (login.Kind == WorkspaceLoginKind.ServicePrincipal)
            {
                var value = await _secrets.ResolveAsync(login.ClientSecret!, cancellationToken).ConfigureAwait(false);
                if (value is null)
                {
                    errors.Add(new ValidationError(path + ".login.servicePrincipal.clientSecret", ValidationRules.SecretReferenceUnresolved,
                        $"The service principal's secret for {WorkspaceLogin.CredentialsSecretName} was not found in {Describe(login.ClientSecret!)}; set it before planning.",
                        login.ClientSecret!.Reference));
                    continue;
                }

                var subscription = binding.Workspace.SubscriptionId;
                var clientId = login.ClientId;
                var tenantId = login.TenantId;
                augmented = augmented.UpdateEnvironment(environment.Name, e => e.WithSecretsUnchecked([new SecretDefinition(WorkspaceLogin.CredentialsSecretName, login.ClientSecret!)]));
                compositions[environment.Name] = secret => ComposeCredentials(clientId, secret, subscription, tenantId);
                continue;
            }

            if (Require(_identities, "a managed identity reader", path, errors) is not { } identities ||
                Require(_credentials, "a federated credential reader", path, errors) is not { } credentialReader ||
                Require(_roles, "a role assignment reader", path, errors) is not { } roleReader ||
                Require(_repositories, "a GitHub repository reader", path, errors) is not { } repositories)
            {
                continue;
            }

            var identity = await identities.GetIdentityAsync(login.Identity, cancellationToken).ConfigureAwait(false);
            if (identity is null)
            {
                errors.Add(new ValidationError(path + ".login.oidc.identity", ValidationRules.LoginIdentityNotFound,
                    $"The managed identity {login.Identity.Name} does not exist in resource group {login.Identity.ResourceGroupName}; create it (az identity create) or fix the login.",
                    login.Identity.ResourceId));
                continue;
            }

            identitiesByEnvironment[environment.Name] = identity;
            augmented = augmented.UpdateEnvironment(environment.Name, e => e.WithVariablesUnchecked(
            [
                new VariableDefinition(WorkspaceLogin.ClientIdVariable, identity.ClientId.ToString()),
                new VariableDefinition(WorkspaceLogin.TenantIdVariable, identity.TenantId.ToString()),
            ]));

            claim ??= await repositories.GetOidcSubjectClaimAsync(desired.Repository, cancellationToken).ConfigureAwait(false);
            var subject = claim.SubjectForEnvironment(gitHubName);
            var name = FederatedCredentialName(desired.Repository, gitHubName);
            if (!credentialsByIdentity.TryGetValue(login.Identity, out var existing))
            {
                existing = [.. await credentialReader.ListFederatedIdentityCredentialsAsync(login.Identity, cancellationToken).ConfigureAwait(false)];
                credentialsByIdentity[login.Identity] = existing;
            }

            var desiredCredential = new FederatedIdentityCredentialData(name, FederatedIdentityCredentialData.GitHubActionsIssuer, subject, [FederatedIdentityCredentialData.AzureAudience]);
            var same = existing.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
            var other = existing.FirstOrDefault(c => !string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase) &&
                                                    c.Issuer == FederatedIdentityCredentialData.GitHubActionsIssuer &&
                                                    string.Equals(c.Subject, subject, StringComparison.Ordinal));
            var target = $"{name} on {login.Identity.Name}";
            if (same is not null && string.Equals(same.Subject, subject, StringComparison.Ordinal) && same.Issuer == desiredCredential.Issuer &&
                same.Audiences.SequenceEqual(desiredCredential.Audiences, StringComparer.Ordinal))
            {
                // Already trusted, exactly.
            }
            else if (same is null && other is not null)
            {
                notes.Add(new PlanNote(PlanNoteSeverity.Info, gitHubName,
                    $"subject {subject} is already trusted by federated credential {other.Name} of {login.Identity.Name}; left alone."));
            }
            else
            {
                if (same is null)
                {
                    plannedByIdentity[login.Identity] = plannedByIdentity.GetValueOrDefault(login.Identity) + 1;
                    if (existing.Count + plannedByIdentity[login.Identity] > MaxFederatedCredentials)
                    {
                        errors.Add(new ValidationError(path + ".login.oidc.identity", ValidationRules.FederatedCredentialsLimit,
                            $"Identity {login.Identity.Name} would hold {existing.Count + plannedByIdentity[login.Identity]} federated credentials; Entra allows at most {MaxFederatedCredentials}. Use another identity for some environments, or remove unused credentials.",
                            login.Identity.ResourceId));
                    }
                }

                changes.Add(new PlannedChange(same is null ? ChangeAction.Create : ChangeAction.Update, ChangeKind.FederatedCredential, gitHubName, target,
                    same?.Subject, subject)
                {
                    LoginIdentity = login.Identity,
                    FederatedCredential = desiredCredential,
                });
            }

            var role = RoleAssignments.RoleGuid(login.RoleDefinitionId);
            var roleGuid = role.ToString("D");
            var assignments = await roleReader.ListRoleAssignmentsAsync(binding.Workspace.ResourceId, identity.PrincipalId, cancellationToken).ConfigureAwait(false);
            if (!assignments.Any(a => a.PrincipalId == identity.PrincipalId && RoleAssignments.TryGetRoleGuid(a.RoleDefinitionId, out var held) && held == role))
            {
                changes.Add(new PlannedChange(ChangeAction.Create, ChangeKind.RoleAssignment, gitHubName,
                    $"{AzureBuiltInRoles.NameOf(roleGuid)} for {login.Identity.Name} on {binding.Workspace.WorkspaceName}", null, roleGuid)
                {
                    RoleScope = binding.Workspace.ResourceId,
                    RoleDefinitionId = login.RoleDefinitionId,
                    RolePrincipalId = identity.PrincipalId,
                });
            }
        }

        ValidationResult.FromErrors(errors).ThrowIfInvalid();
        await PlanPromotionAccessAsync(desired, observed, options, identitiesByEnvironment, changes, notes, cancellationToken).ConfigureAwait(false);
        return new BindingPlan(augmented, changes.ToImmutable(), notes.ToImmutable(), compositions);
    }

    internal static string ComposeCredentials(Guid clientId, string clientSecret, string subscriptionId, Guid tenantId)
    {
        using var stream = new System.IO.MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("clientId", clientId);
            writer.WriteString("clientSecret", clientSecret);
            writer.WriteString("subscriptionId", subscriptionId);
            writer.WriteString("tenantId", tenantId);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static T? Require<T>(T? service, string what, string path, List<ValidationError> errors)
        where T : class
    {
        if (service is null)
        {
            errors.Add(new ValidationError(path, ValidationRules.WorkspaceNotReady,
                $"This binding needs {what}: register an Azure provider (AddAzureMachineLearning) or the in-memory fakes (UseInMemory)."));
        }

        return service;
    }

    /// <summary>
    /// The roles a promotion into each environment needs (<see cref="PromotionAccess"/>): assigned to an OIDC login's
    /// identity where it holds none that covers them (unless <see cref="PlanOptions.ManagePromotionAccess"/> is off),
    /// checked for a service principal whose object id is known, and reported as a warning where it is not.
    /// </summary>
    private async Task PlanPromotionAccessAsync(
        RepositoryDefinition desired,
        RepositoryState observed,
        PlanOptions options,
        Dictionary<string, UserAssignedIdentityData> identities,
        ImmutableArray<PlannedChange>.Builder changes,
        ImmutableArray<PlanNote>.Builder notes,
        CancellationToken cancellationToken)
    {
        var held = new Dictionary<(string Scope, Guid Principal), IReadOnlyList<RoleAssignmentData>>();
        var planned = new HashSet<(string Scope, Guid Role, Guid Principal)>();
        foreach (var environment in desired.Environments)
        {
            if (environment.Binding?.Login is not { } login)
            {
                continue;
            }

            var requirements = PromotionAccess.For(desired, environment.Name);
            if (requirements.Count == 0)
            {
                continue;
            }

            var gitHubName = observed.FindEnvironment(environment.Name)?.Environment.Name ?? environment.Name;
            var own = environment.Binding.Workspace.ResourceId;
            if (login.Kind == WorkspaceLoginKind.Oidc)
            {
                // The role on the environment's own workspace is planned with the login above.
                var needed = requirements.Where(r => !(string.Equals(r.Scope, own, StringComparison.OrdinalIgnoreCase) &&
                                                       RoleAssignments.RoleGuid(r.RoleDefinitionId) == RoleAssignments.RoleGuid(login.RoleDefinitionId))).ToList();
                if (needed.Count == 0 || !identities.TryGetValue(environment.Name, out var identity) || _roles is null)
                {
                    continue;
                }

                if (!options.ManagePromotionAccess)
                {
                    notes.Add(new PlanNote(PlanNoteSeverity.Info, gitHubName,
                        $"promotion access is not managed (ManagePromotionAccess is off; mlenv: --no-promotion-access): {login.Identity.Name} needs " +
                        string.Join("; ", needed.Select(r => $"{r.RoleName} on {DescribeScope(r.Scope)}")) + "."));
                    continue;
                }

                foreach (var requirement in needed)
                {
                    var assignments = await HeldAsync(requirement.Scope, identity.PrincipalId).ConfigureAwait(false);
                    var role = RoleAssignments.RoleGuid(requirement.RoleDefinitionId);
                    if (Holds(assignments, identity.PrincipalId, requirement.RoleDefinitionId) || !planned.Add((requirement.Scope.ToLowerInvariant(), role, identity.PrincipalId)))
                    {
                        continue;
                    }

                    changes.Add(new PlannedChange(ChangeAction.Create, ChangeKind.RoleAssignment, gitHubName,
                        $"{requirement.RoleName} for {login.Identity.Name} on {DescribeScope(requirement.Scope)}", null, requirement.RoleDefinitionId)
                    {
                        RoleScope = requirement.Scope,
                        RoleDefinitionId = requirement.RoleDefinitionId,
                        RolePrincipalId = identity.PrincipalId,
                    });
                }

                continue;
            }

            // A service principal's roles are not ours to manage: check them, when we know which principal it is.
            if (!options.ServicePrincipalObjectIds.TryGetValue(login.ClientId, out var objectId))
            {
                notes.Add(new PlanNote(PlanNoteSeverity.Warning, gitHubName,
                    $"the access a promotion into this environment needs was not checked: the object id of service principal {login.ClientId} is not known " +
                    "(set PlanOptions.ServicePrincipalObjectIds; mlenv: --service-principal-object-id CLIENT_ID=OBJECT_ID). It needs " +
                    string.Join("; ", requirements.Select(r => $"{r.RoleName} on {DescribeScope(r.Scope)}")) + "."));
                continue;
            }

            if (_roles is null)
            {
                notes.Add(new PlanNote(PlanNoteSeverity.Warning, gitHubName,
                    $"the access of service principal {login.ClientId} was not checked: no role assignment reader is registered (AddAzureMachineLearning registers one)."));
                continue;
            }

            foreach (var requirement in requirements)
            {
                if (!Holds(await HeldAsync(requirement.Scope, objectId).ConfigureAwait(false), objectId, requirement.RoleDefinitionId))
                {
                    notes.Add(new PlanNote(PlanNoteSeverity.Warning, gitHubName,
                        $"service principal {login.ClientId} (object id {objectId}) lacks {requirement.RoleName} ({requirement.RoleDefinitionId}) on {requirement.Scope}, " +
                        $"needed to {requirement.Reason}: a promotion into this environment will be refused (403). Assign it, or grant a role that covers it."));
                }
            }
        }

        async Task<IReadOnlyList<RoleAssignmentData>> HeldAsync(string scope, Guid principal)
        {
            var key = (scope.ToLowerInvariant(), principal);
            if (!held.TryGetValue(key, out var list))
            {
                list = await _roles!.ListRoleAssignmentsAsync(scope, principal, cancellationToken).ConfigureAwait(false);
                held[key] = list;
            }

            return list;
        }
    }

    private static bool Holds(IReadOnlyList<RoleAssignmentData> assignments, Guid principal, string roleDefinitionId) =>
        assignments.Any(a => a.PrincipalId == principal && AzureBuiltInRoles.Covers(a.RoleDefinitionId, roleDefinitionId));

    private static string DescribeScope(string scope)
    {
        var name = scope[(scope.LastIndexOf('/') + 1)..];
        return scope.Contains("/registries/", StringComparison.OrdinalIgnoreCase) ? "registry " + name : name;
    }

    private static string Describe(SecretValue source) => source.Source switch
    {
        SecretSource.EnvironmentVariable => $"the environment variable {source.Reference}",
        SecretSource.Configuration => $"the configuration key {source.Reference}",
        _ => "the value given",
    };
}

/// <summary>What the Azure side adds to a plan: the definition GitHub must hold, the Azure changes, notes, and how to compose <c>AZURE_CREDENTIALS</c> per environment.</summary>
internal sealed record BindingPlan(
    RepositoryDefinition Augmented,
    ImmutableArray<PlannedChange> Changes,
    ImmutableArray<PlanNote> Notes,
    IReadOnlyDictionary<string, Func<string, string>> Compositions);
