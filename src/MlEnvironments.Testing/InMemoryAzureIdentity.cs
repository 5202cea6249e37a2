using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using MlEnvironments.Identity;

namespace MlEnvironments.Testing;

/// <summary>
/// In-memory user-assigned managed identities, their federated identity credentials and role assignments, with
/// Azure's rules: identities compare by ARM id without regard to case; credential names are 3–120 characters
/// (letters, digits, <c>-</c> and <c>_</c>, starting with a letter or digit) and compare without regard to case; an
/// identity holds at most <see cref="MaxCredentialsPerIdentity"/> credentials, and no two with the same issuer and
/// subject (409); a role assignment is unique per scope, role and principal (a second name for the same three
/// answers 409 <c>RoleAssignmentExists</c>); calls on an identity that does not exist answer 404.
/// </summary>
/// <remarks>
/// Calls are logged in <see cref="Calls"/> under ARM's operation ids (<c>UserAssignedIdentities_Get</c>,
/// <c>FederatedIdentityCredentials_CreateOrUpdate</c>, <c>RoleAssignments_Create</c>, …) and can be made to fail with
/// <see cref="Faults"/>. <see cref="AzureResourceManagerEmulator"/> serves the same state over HTTPS.
/// </remarks>
public sealed partial class InMemoryAzureIdentity :
    IUserAssignedIdentityReader,
    IFederatedIdentityCredentialReader,
    IFederatedIdentityCredentialWriter,
    IRoleAssignmentReader,
    IRoleAssignmentWriter
{
    /// <summary>The most federated identity credentials one identity can hold.</summary>
    public const int MaxCredentialsPerIdentity = 20;


    private readonly object _gate = new();
    private readonly Dictionary<UserAssignedIdentityId, IdentityRecord> _identities = [];
    private readonly List<RoleAssignmentData> _assignments = [];
    private readonly List<FakeCall> _calls = [];

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

    /// <summary>Every role assignment, in the order they were made (not a call: not logged).</summary>
    public IReadOnlyList<RoleAssignmentData> RoleAssignments
    {
        get
        {
            lock (_gate)
            {
                return [.. _assignments];
            }
        }
    }

    /// <summary>The tenant of identities added without one.</summary>
    public Guid DefaultTenantId { get; init; } = new("72f988bf-86f1-41af-91ab-2d7cd011db47");

    /// <summary>Adds a user-assigned identity (or replaces one with the same id, dropping its credentials).</summary>
    /// <param name="identity">Its id.</param>
    /// <param name="clientId">Its client id; default one derived from the id.</param>
    /// <param name="principalId">Its principal (object) id; default one derived from the id.</param>
    /// <param name="tenantId">Its tenant; default <see cref="DefaultTenantId"/>.</param>
    /// <param name="location">Its region.</param>
    /// <returns>The identity.</returns>
    public UserAssignedIdentityData AddIdentity(UserAssignedIdentityId identity, Guid? clientId = null, Guid? principalId = null, Guid? tenantId = null, string location = "westeurope")
    {
        ArgumentNullException.ThrowIfNull(location);
        var key = identity.ResourceId.ToLowerInvariant();
        var data = MlEnvironmentsModelFactory.UserAssignedIdentityData(identity,
            clientId ?? InMemoryAzureMachineLearning.DeterministicGuid("client|" + key),
            principalId ?? InMemoryAzureMachineLearning.DeterministicGuid("principal|" + key),
            tenantId ?? DefaultTenantId,
            location);
        lock (_gate)
        {
            _identities[identity] = new IdentityRecord(data);
        }

        return data;
    }

    /// <summary>Adds a role assignment as it is (seeding: not logged, no rules but the scope's form).</summary>
    /// <param name="scope">The scope's ARM id.</param>
    /// <param name="roleDefinitionId">The role definition's ARM id or the role's GUID.</param>
    /// <param name="principalId">The principal.</param>
    /// <param name="name">The assignment's name; default a new GUID (as the portal makes).</param>
    /// <param name="principalType">The principal's type.</param>
    /// <returns>The assignment.</returns>
    public RoleAssignmentData AddRoleAssignment(string scope, string roleDefinitionId, Guid principalId, string? name = null, string principalType = "ServicePrincipal")
    {
        var normalized = NormalizeScope(scope);
        var assignment = MlEnvironmentsModelFactory.RoleAssignmentData(name ?? Guid.NewGuid().ToString("D"), normalized,
            FullRoleDefinitionId(normalized, roleDefinitionId), principalId, principalType);
        lock (_gate)
        {
            _assignments.Add(assignment);
        }

        return assignment;
    }

    /// <summary>Removes the assignments of a role to a principal on a scope, as someone would in the portal (not logged).</summary>
    /// <param name="scope">The scope's ARM id.</param>
    /// <param name="roleDefinitionId">The role definition's ARM id or the role's GUID.</param>
    /// <param name="principalId">The principal.</param>
    /// <returns>How many assignments were removed.</returns>
    public int RemoveRoleAssignment(string scope, string roleDefinitionId, Guid principalId)
    {
        var normalized = NormalizeScope(scope);
        var role = RoleGuid(roleDefinitionId);
        lock (_gate)
        {
            return _assignments.RemoveAll(a => SameScope(a.Scope, normalized) && RoleGuid(a.RoleDefinitionId) == role && a.PrincipalId == principalId);
        }
    }

    /// <summary>
    /// The name MlEnvironments' Azure provider gives the assignment of a role to a principal on a scope (a version 5
    /// UUID of the lower-cased scope, the role's GUID and the principal); the fake names assignments the same way.
    /// </summary>
    /// <param name="scope">The scope's ARM id.</param>
    /// <param name="roleDefinitionId">The role definition's ARM id, or the role's GUID.</param>
    /// <param name="principalId">The principal.</param>
    /// <returns>The name.</returns>
    public static Guid GetRoleAssignmentName(string scope, string roleDefinitionId, Guid principalId) =>
        MlEnvironments.Identity.RoleAssignments.AssignmentName(scope, roleDefinitionId, principalId);

    /// <inheritdoc />
    public Task<UserAssignedIdentityData?> GetIdentityAsync(UserAssignedIdentityId identity, CancellationToken cancellationToken = default) =>
        Run("UserAssignedIdentities_Get", false, identity.ResourceId, null, cancellationToken, () =>
            _identities.TryGetValue(identity, out var record) ? record.Data : null);

    /// <inheritdoc />
    public Task<IReadOnlyList<FederatedIdentityCredentialData>> ListFederatedIdentityCredentialsAsync(UserAssignedIdentityId identity, CancellationToken cancellationToken = default)
    {
        const string operation = "FederatedIdentityCredentials_List";
        return Run(operation, false, identity.ResourceId, null, cancellationToken, () =>
            (IReadOnlyList<FederatedIdentityCredentialData>)Identity(identity, operation).Credentials.Values.ToList());
    }

    /// <inheritdoc />
    public Task<FederatedIdentityCredentialData?> GetFederatedIdentityCredentialAsync(UserAssignedIdentityId identity, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        const string operation = "FederatedIdentityCredentials_Get";
        return Run(operation, false, identity.ResourceId, name, cancellationToken, () =>
            Identity(identity, operation).Credentials.TryGetValue(name, out var credential) ? credential : null);
    }

    /// <inheritdoc />
    public Task<FederatedIdentityCredentialData> CreateOrUpdateFederatedIdentityCredentialAsync(UserAssignedIdentityId identity, FederatedIdentityCredentialData credential, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credential);
        const string operation = "FederatedIdentityCredentials_CreateOrUpdate";
        return Run(operation, true, identity.ResourceId, credential.Name, cancellationToken, () =>
        {
            var record = Identity(identity, operation);
            var problems = new List<string>();
            if (!CredentialName().IsMatch(credential.Name))
            {
                problems.Add($"the name '{credential.Name}' must be 3 to 120 characters: letters, digits, '-' and '_', starting with a letter or digit");
            }

            if (!credential.Issuer.IsAbsoluteUri || credential.Issuer.Scheme != Uri.UriSchemeHttps)
            {
                problems.Add($"the issuer '{credential.Issuer}' must be an absolute https URL");
            }

            if (credential.Subject.Length is 0 or > 600)
            {
                problems.Add("the subject must be 1 to 600 characters");
            }

            if (credential.Audiences.Count == 0 || credential.Audiences.Any(a => string.IsNullOrWhiteSpace(a) || a.Length > 600))
            {
                problems.Add("there must be at least one audience, each 1 to 600 characters");
            }

            if (problems.Count > 0)
            {
                throw new RemoteServiceException("Azure", operation, 400, "Invalid federated identity credential: " + string.Join("; ", problems) + ".", "BadRequest");
            }

            var exists = record.Credentials.ContainsKey(credential.Name);
            if (!exists && record.Credentials.Count >= MaxCredentialsPerIdentity)
            {
                throw new RemoteServiceException("Azure", operation, 400,
                    $"Identity {identity.Name} already has {MaxCredentialsPerIdentity} federated identity credentials, the most it can hold.", "BadRequest");
            }

            var twin = record.Credentials.Values.FirstOrDefault(c =>
                !c.Name.Equals(credential.Name, StringComparison.OrdinalIgnoreCase) &&
                c.Issuer.AbsoluteUri.TrimEnd('/') == credential.Issuer.AbsoluteUri.TrimEnd('/') && c.Subject == credential.Subject);
            if (twin is not null)
            {
                throw new RemoteServiceException("Azure", operation, 409,
                    $"Federated identity credential '{twin.Name}' of identity {identity.Name} already has issuer {credential.Issuer} and subject '{credential.Subject}'.", "Conflict");
            }

            var existingName = exists ? record.Credentials.Keys.First(k => k.Equals(credential.Name, StringComparison.OrdinalIgnoreCase)) : credential.Name;
            var stored = new FederatedIdentityCredentialData(existingName, credential.Issuer, credential.Subject, [.. credential.Audiences]);
            record.Credentials[existingName] = stored;
            return stored;
        });
    }

    /// <inheritdoc />
    public Task DeleteFederatedIdentityCredentialAsync(UserAssignedIdentityId identity, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        const string operation = "FederatedIdentityCredentials_Delete";
        return Run(operation, true, identity.ResourceId, name, cancellationToken, () => Identity(identity, operation).Credentials.Remove(name));
    }

    /// <inheritdoc />
    public Task<RoleAssignmentData> CreateRoleAssignmentAsync(string scope, string roleDefinitionId, Guid principalId, CancellationToken cancellationToken = default)
    {
        const string operation = "RoleAssignments_Create";
        var normalized = NormalizeScope(scope);
        var role = FullRoleDefinitionId(normalized, roleDefinitionId);
        var name = GetRoleAssignmentName(normalized, roleDefinitionId, principalId).ToString("D");
        return Run(operation, true, normalized, name, cancellationToken, () =>
            FindSame(normalized, role, principalId) ?? Store(MlEnvironmentsModelFactory.RoleAssignmentData(name, normalized, role, principalId, "ServicePrincipal")));
    }

    /// <inheritdoc />
    /// <remarks>The assignments at the scope and above it (a parent scope's assignment applies here too).</remarks>
    public Task<IReadOnlyList<RoleAssignmentData>> ListRoleAssignmentsAsync(string scope, Guid? principalId = null, CancellationToken cancellationToken = default)
    {
        var normalized = NormalizeScope(scope);
        return Run("RoleAssignments_ListForScope", false, normalized, principalId?.ToString("D"), cancellationToken, () =>
            (IReadOnlyList<RoleAssignmentData>)_assignments.Where(a => AppliesAt(a.Scope, normalized) && (principalId is null || a.PrincipalId == principalId)).ToList());
    }

    // ARM's raw operations, for the emulator (logged as calls, faults apply).

    /// <summary>
    /// ARM's <c>RoleAssignments_Create</c> with the caller's name: the same name and content answers the assignment
    /// (not created); another name for the same scope, role and principal answers 409 <c>RoleAssignmentExists</c>;
    /// the same name with other content answers 409 <c>RoleAssignmentUpdateNotPermitted</c>.
    /// </summary>
    internal Task<(RoleAssignmentData Assignment, bool Created)> PutRoleAssignmentAsync(string scope, string name, string roleDefinitionId, Guid principalId, string? principalType, CancellationToken cancellationToken)
    {
        const string operation = "RoleAssignments_Create";
        var normalized = NormalizeScope(scope);
        return Run(operation, true, normalized, name, cancellationToken, () =>
        {
            var role = FullRoleDefinitionId(normalized, roleDefinitionId);
            var named = _assignments.FirstOrDefault(a => a.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (named is not null)
            {
                if (SameScope(named.Scope, normalized) && RoleGuid(named.RoleDefinitionId) == RoleGuid(role) && named.PrincipalId == principalId)
                {
                    return (named, false);
                }

                throw new RemoteServiceException("Azure", operation, 409,
                    "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.", "RoleAssignmentUpdateNotPermitted");
            }

            if (FindSame(normalized, role, principalId) is not null)
            {
                throw new RemoteServiceException("Azure", operation, 409, "The role assignment already exists.", "RoleAssignmentExists");
            }

            return (Store(MlEnvironmentsModelFactory.RoleAssignmentData(name, normalized, role, principalId, principalType)), true);
        });
    }

    /// <summary>
    /// ARM's <c>RoleAssignments_ListForScope</c>: the assignments at, above and (unless <paramref name="atScopeOnly"/>)
    /// below the scope, optionally of one principal.
    /// </summary>
    internal Task<IReadOnlyList<RoleAssignmentData>> QueryRoleAssignmentsAsync(string scope, Guid? principalId, bool atScopeOnly, CancellationToken cancellationToken)
    {
        var normalized = NormalizeScope(scope);
        return Run("RoleAssignments_ListForScope", false, normalized, principalId?.ToString("D"), cancellationToken, () =>
            (IReadOnlyList<RoleAssignmentData>)_assignments
                .Where(a => (AppliesAt(a.Scope, normalized) || (!atScopeOnly && AppliesAt(normalized, a.Scope))) &&
                            (principalId is null || a.PrincipalId == principalId))
                .ToList());
    }

    internal bool HasIdentity(UserAssignedIdentityId identity)
    {
        lock (_gate)
        {
            return _identities.ContainsKey(identity);
        }
    }

    internal bool HasCredential(UserAssignedIdentityId identity, string name)
    {
        lock (_gate)
        {
            return _identities.TryGetValue(identity, out var record) && record.Credentials.ContainsKey(name);
        }
    }

    internal static string NormalizeScope(string scope) => MlEnvironments.Identity.RoleAssignments.NormalizeScope(scope);

    internal static Guid RoleGuid(string roleDefinitionId) => MlEnvironments.Identity.RoleAssignments.RoleGuid(roleDefinitionId);

    internal static string FullRoleDefinitionId(string scope, string roleDefinitionId) => MlEnvironments.Identity.RoleAssignments.FullRoleDefinitionId(scope, roleDefinitionId);

    internal static bool AppliesAt(string assignmentScope, string scope)
    {
        var outer = assignmentScope.TrimEnd('/');
        var inner = scope.TrimEnd('/');
        return outer.Length == 0 ||
               string.Equals(outer, inner, StringComparison.OrdinalIgnoreCase) ||
               inner.StartsWith(outer + "/", StringComparison.OrdinalIgnoreCase);
    }

    private static bool SameScope(string a, string b) => string.Equals(a.TrimEnd('/'), b.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{2,119}$", RegexOptions.CultureInvariant)]
    private static partial Regex CredentialName();

    private RoleAssignmentData? FindSame(string scope, string roleDefinitionId, Guid principalId) =>
        _assignments.FirstOrDefault(a => SameScope(a.Scope, scope) && RoleGuid(a.RoleDefinitionId) == RoleGuid(roleDefinitionId) && a.PrincipalId == principalId);

    private RoleAssignmentData Store(RoleAssignmentData assignment)
    {
        _assignments.Add(assignment);
        return assignment;
    }

    private IdentityRecord Identity(UserAssignedIdentityId identity, string operation) =>
        _identities.TryGetValue(identity, out var record)
            ? record
            : throw InMemoryAzureMachineLearning.NotFound(operation, "Microsoft.ManagedIdentity/userAssignedIdentities", identity.Name, identity.ResourceGroupName);

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1068", Justification = "The action reads better last at the call sites.")]
    private Task<T> Run<T>(string operation, bool isWrite, string resource, string? target, CancellationToken cancellationToken, Func<T> action) =>
        FakeCalls.Run(_gate, _calls, Faults, (operation, isWrite, resource, null, target), action, cancellationToken);

    private sealed class IdentityRecord(UserAssignedIdentityData data)
    {
        public UserAssignedIdentityData Data { get; } = data;

        public Dictionary<string, FederatedIdentityCredentialData> Credentials { get; } = new(StringComparer.OrdinalIgnoreCase);
    }
}
