using MlEnvironments.Identity;

namespace MlEnvironments.Testing.Tests;

public class InMemoryAzureIdentityTests
{
    private static readonly UserAssignedIdentityId Deployer = UserAssignedIdentityId.Create("00000000-0000-0000-0000-000000000001", "rg-id", "id-deployer");
    private static readonly UserAssignedIdentityId Unknown = UserAssignedIdentityId.Create("00000000-0000-0000-0000-000000000001", "rg-id", "id-nope");
    private const string DataScientist = "f6c7c914-8db3-469d-8ca1-694a8f32e121";

    private readonly InMemoryAzureIdentity _identity = new();

    private static FederatedIdentityCredentialData Credential(string name, string subject = "repo:octo-org/credit-risk:environment:prod", string? issuer = null) =>
        new(name, issuer is null ? FederatedIdentityCredentialData.GitHubActionsIssuer : new Uri(issuer), subject, [FederatedIdentityCredentialData.AzureAudience]);

    [Fact]
    public async Task Identities_AreAddedAndRead_ComparingIdsWithoutCase()
    {
        var added = _identity.AddIdentity(Deployer);

        var read = await _identity.GetIdentityAsync(UserAssignedIdentityId.Create("00000000-0000-0000-0000-000000000001", "RG-ID", "ID-DEPLOYER"));

        Assert.Equal((added.ClientId, added.PrincipalId, _identity.DefaultTenantId, "westeurope"), (read!.ClientId, read.PrincipalId, read.TenantId, read.Location));
        Assert.NotEqual(added.ClientId, added.PrincipalId);
        Assert.Equal(added.ClientId, new InMemoryAzureIdentity().AddIdentity(Deployer).ClientId);
        Assert.Null(await _identity.GetIdentityAsync(Unknown));
        Assert.Equal(["UserAssignedIdentities_Get", "UserAssignedIdentities_Get"], _identity.Calls.Select(c => c.Operation));
    }

    [Fact]
    public async Task Credentials_AreCreatedUpdatedListedAndDeleted_WithNamesWithoutCase()
    {
        _identity.AddIdentity(Deployer);

        await _identity.CreateOrUpdateFederatedIdentityCredentialAsync(Deployer, Credential("github-prod"));
        var updated = await _identity.CreateOrUpdateFederatedIdentityCredentialAsync(Deployer, Credential("GITHUB-PROD", "repo:octo-org/credit-risk:environment:production"));
        await _identity.DeleteFederatedIdentityCredentialAsync(Deployer, "missing-is-fine");

        Assert.Equal(("github-prod", "repo:octo-org/credit-risk:environment:production"), (updated.Name, updated.Subject));
        Assert.Single(await _identity.ListFederatedIdentityCredentialsAsync(Deployer));
        await _identity.DeleteFederatedIdentityCredentialAsync(Deployer, "Github-Prod");
        Assert.Empty(await _identity.ListFederatedIdentityCredentialsAsync(Deployer));
        Assert.Null(await _identity.GetFederatedIdentityCredentialAsync(Deployer, "github-prod"));
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("-starts-with-dash")]
    [InlineData("has space")]
    [InlineData("has.dot")]
    public async Task CredentialNames_FollowAzuresRule(string name)
    {
        _identity.AddIdentity(Deployer);

        var error = await Assert.ThrowsAsync<RemoteServiceException>(() => _identity.CreateOrUpdateFederatedIdentityCredentialAsync(Deployer, Credential(name)));

        Assert.Equal((400, "BadRequest"), (error.StatusCode, error.ErrorCode));
        await _identity.CreateOrUpdateFederatedIdentityCredentialAsync(Deployer, Credential("abc"));
        await _identity.CreateOrUpdateFederatedIdentityCredentialAsync(Deployer, Credential(new string('a', 120), "other"));
        await Assert.ThrowsAsync<RemoteServiceException>(() => _identity.CreateOrUpdateFederatedIdentityCredentialAsync(Deployer, Credential(new string('a', 121), "third")));
    }

    [Fact]
    public async Task AnIdentity_HoldsAtMost20Credentials_EachWithItsOwnIssuerAndSubject()
    {
        _identity.AddIdentity(Deployer);
        for (var i = 0; i < InMemoryAzureIdentity.MaxCredentialsPerIdentity; i++)
        {
            await _identity.CreateOrUpdateFederatedIdentityCredentialAsync(Deployer, Credential($"fic-{i:00}", $"repo:o/r:environment:e{i}"));
        }

        var tooMany = await Assert.ThrowsAsync<RemoteServiceException>(() => _identity.CreateOrUpdateFederatedIdentityCredentialAsync(Deployer, Credential("fic-20", "repo:o/r:environment:e20")));
        var twin = await Assert.ThrowsAsync<RemoteServiceException>(() => _identity.CreateOrUpdateFederatedIdentityCredentialAsync(Deployer, Credential("fic-00", "repo:o/r:environment:e1")));
        await _identity.CreateOrUpdateFederatedIdentityCredentialAsync(Deployer, Credential("fic-00", "repo:o/r:environment:e0", "https://token.actions.githubusercontent.com"));
        var plainHttp = await Assert.ThrowsAsync<RemoteServiceException>(() => _identity.CreateOrUpdateFederatedIdentityCredentialAsync(Deployer, Credential("fic-01", issuer: "http://issuer.example.test")));

        Assert.Equal((400, 409, 400), (tooMany.StatusCode, twin.StatusCode, plainHttp.StatusCode));
        Assert.Equal(20, (await _identity.ListFederatedIdentityCredentialsAsync(Deployer)).Count);
    }

    [Fact]
    public async Task CredentialsOfAnUnknownIdentity_Answer404()
    {
        var list = await Assert.ThrowsAsync<RemoteServiceException>(() => _identity.ListFederatedIdentityCredentialsAsync(Unknown));
        var put = await Assert.ThrowsAsync<RemoteServiceException>(() => _identity.CreateOrUpdateFederatedIdentityCredentialAsync(Unknown, Credential("abc")));

        Assert.Equal((404, "ResourceNotFound", 404), (list.StatusCode, list.ErrorCode, put.StatusCode));
    }

    [Fact]
    public async Task RoleAssignments_AreIdempotent_AndListedAtAndAboveTheScope()
    {
        var principal = Guid.NewGuid();
        const string group = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-ml";
        const string workspace = group + "/providers/Microsoft.MachineLearningServices/workspaces/mlw";
        _identity.AddRoleAssignment("/subscriptions/00000000-0000-0000-0000-000000000001", "acdd72a7-3385-48ef-bd42-f606fba81ae7", principal);

        var created = await _identity.CreateRoleAssignmentAsync(workspace, DataScientist, principal);
        var again = await _identity.CreateRoleAssignmentAsync(workspace.ToUpperInvariant(), "/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Authorization/roleDefinitions/" + DataScientist, principal);
        await _identity.CreateRoleAssignmentAsync(group + "/providers/Microsoft.Storage/storageAccounts/sa", DataScientist, principal);

        Assert.Equal(InMemoryAzureIdentity.GetRoleAssignmentName(workspace, DataScientist, principal).ToString("D"), created.Name);
        Assert.Same(created, again);
        Assert.Equal($"/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Authorization/roleDefinitions/{DataScientist}", created.RoleDefinitionId);
        Assert.Equal(2, (await _identity.ListRoleAssignmentsAsync(workspace, principal)).Count);
        Assert.Empty(await _identity.ListRoleAssignmentsAsync(workspace, Guid.NewGuid()));
        Assert.Equal(3, _identity.RoleAssignments.Count);
        Assert.Equal(3, _identity.Calls.Count(c => c.Operation == "RoleAssignments_Create" && c.IsWrite));
        await Assert.ThrowsAsync<ArgumentException>(() => _identity.CreateRoleAssignmentAsync(workspace, "Owner", principal));
    }
}
