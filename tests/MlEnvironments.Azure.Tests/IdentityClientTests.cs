using MlEnvironments.Identity;
using MlEnvironments.Testing;
using static MlEnvironments.Azure.Tests.Support.EmulatedAzure;

namespace MlEnvironments.Azure.Tests;

/// <summary>User-assigned identities and federated identity credentials through the real client against the emulator.</summary>
public class IdentityClientTests
{
    private static FederatedIdentityCredentialData Credential(string name, string environment) =>
        new(name, FederatedIdentityCredentialData.GitHubActionsIssuer, $"repo:octo-org/credit-risk:environment:{environment}", [FederatedIdentityCredentialData.AzureAudience]);

    [Fact]
    public async Task GetIdentity_ParsesClientPrincipalAndTenant_AndAnswersNullFor404()
    {
        await using var azure = await StartAsync();
        var seeded = azure.IdentityState.AddIdentity(UserAssignedIdentityId.Create("00000000-0000-0000-0000-000000000001", "rg-id", "id-ci"),
            new Guid("11111111-1111-1111-1111-111111111111"), new Guid("22222222-2222-2222-2222-222222222222"), new Guid("33333333-3333-3333-3333-333333333333"), "swedencentral");

        var identity = await azure.Identities.GetIdentityAsync(seeded.Id);
        var missing = await azure.Identities.GetIdentityAsync(UserAssignedIdentityId.Create("00000000-0000-0000-0000-000000000001", "rg-id", "id-nope"));

        Assert.NotNull(identity);
        Assert.Equal((seeded.Id, seeded.ClientId, seeded.PrincipalId, seeded.TenantId, "swedencentral"),
            (identity.Id, identity.ClientId, identity.PrincipalId, identity.TenantId, identity.Location));
        Assert.Null(missing);
        Assert.All(azure.Emulator.Requests, r => Assert.Equal("2024-11-30", r.ApiVersion));
    }

    [Fact]
    public async Task FederatedCredentials_ArePutReadListedAndDeleted()
    {
        await using var azure = await StartAsync(emulatorOptions: new AzureResourceManagerEmulatorOptions { PageSize = 2 });

        var created = await azure.Identities.CreateOrUpdateFederatedIdentityCredentialAsync(Deployer, Credential("github-dev", "dev"));
        await azure.Identities.CreateOrUpdateFederatedIdentityCredentialAsync(Deployer, Credential("github-staging", "staging"));
        await azure.Identities.CreateOrUpdateFederatedIdentityCredentialAsync(Deployer, Credential("github-prod", "prod"));
        var updated = await azure.Identities.CreateOrUpdateFederatedIdentityCredentialAsync(Deployer,
            new FederatedIdentityCredentialData("github-dev", FederatedIdentityCredentialData.GitHubActionsIssuer, "repo:octo-org/credit-risk:ref:refs/heads/main", [FederatedIdentityCredentialData.AzureAudience]));

        Assert.Equal(("github-dev", "https://token.actions.githubusercontent.com/", "repo:octo-org/credit-risk:environment:dev", "api://AzureADTokenExchange"),
            (created.Name, created.Issuer.AbsoluteUri, created.Subject, Assert.Single(created.Audiences)));
        Assert.Equal("repo:octo-org/credit-risk:ref:refs/heads/main", updated.Subject);
        Assert.Equal(updated.Subject, (await azure.Identities.GetFederatedIdentityCredentialAsync(Deployer, "github-dev"))!.Subject);
        Assert.Equal(["github-dev", "github-prod", "github-staging"], (await azure.Identities.ListFederatedIdentityCredentialsAsync(Deployer)).Select(c => c.Name).Order());
        Assert.Equal(2, azure.Emulator.Requests.Count(r => r.Operation == "FederatedIdentityCredentials_List"));

        await azure.Identities.DeleteFederatedIdentityCredentialAsync(Deployer, "github-staging");
        await azure.Identities.DeleteFederatedIdentityCredentialAsync(Deployer, "github-staging");

        Assert.Null(await azure.Identities.GetFederatedIdentityCredentialAsync(Deployer, "github-staging"));
        Assert.Equal([200, 204], azure.Emulator.Requests.Where(r => r.Operation == "FederatedIdentityCredentials_Delete").Select(r => r.StatusCode));
        Assert.Equal(2, (await azure.Identities.ListFederatedIdentityCredentialsAsync(Deployer)).Count);
    }

    [Fact]
    public async Task AzuresRules_ComeBackAsAzureExceptions()
    {
        await using var azure = await StartAsync();
        for (var i = 0; i < InMemoryAzureIdentity.MaxCredentialsPerIdentity - 1; i++)
        {
            await azure.Identities.CreateOrUpdateFederatedIdentityCredentialAsync(Deployer, Credential($"fic-{i:00}", $"env{i}"));
        }

        var duplicate = await Assert.ThrowsAsync<AzureException>(() => azure.Identities.CreateOrUpdateFederatedIdentityCredentialAsync(Deployer, Credential("fic-00-copy", "env0")));
        await azure.Identities.CreateOrUpdateFederatedIdentityCredentialAsync(Deployer, Credential("fic-19", "env19"));
        var tooMany = await Assert.ThrowsAsync<AzureException>(() => azure.Identities.CreateOrUpdateFederatedIdentityCredentialAsync(Deployer, Credential("fic-20", "env20")));
        var badName = await Assert.ThrowsAsync<AzureException>(() => azure.Identities.CreateOrUpdateFederatedIdentityCredentialAsync(Deployer, Credential("x", "env0")));
        var noIdentity = await Assert.ThrowsAsync<AzureException>(() =>
            azure.Identities.ListFederatedIdentityCredentialsAsync(UserAssignedIdentityId.Create("00000000-0000-0000-0000-000000000001", "rg-id", "id-nope")));

        Assert.Equal((400, "BadRequest"), (tooMany.StatusCode, tooMany.ErrorCode));
        Assert.Contains("20", tooMany.Message);
        Assert.Equal((409, "Conflict"), (duplicate.StatusCode, duplicate.ErrorCode));
        Assert.Equal(400, badName.StatusCode);
        Assert.Equal((404, "ResourceNotFound", "FederatedIdentityCredentials_List"), (noIdentity.StatusCode, noIdentity.ErrorCode, noIdentity.Operation));
    }
}
