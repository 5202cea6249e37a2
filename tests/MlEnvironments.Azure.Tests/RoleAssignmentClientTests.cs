using MlEnvironments.Testing;
using static MlEnvironments.Azure.Tests.Support.EmulatedAzure;

namespace MlEnvironments.Azure.Tests;

/// <summary>Role assignments through the real client against the emulator.</summary>
public class RoleAssignmentClientTests
{
    private const string DataScientist = "f6c7c914-8db3-469d-8ca1-694a8f32e121";
    private static readonly Guid Principal = new("22222222-2222-2222-2222-222222222222");

    [Fact]
    public async Task Create_PutsUnderTheDerivedName_AndRunningItAgainFindsTheSameAssignment()
    {
        await using var azure = await StartAsync();
        var scope = Dev.ResourceId;

        var created = await azure.RoleAssignments.CreateRoleAssignmentAsync(scope, DataScientist, Principal);
        var again = await azure.RoleAssignments.CreateRoleAssignmentAsync(scope.ToUpperInvariant(), $"/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Authorization/roleDefinitions/{DataScientist}", Principal);

        var name = AzureRoleAssignmentClient.GetRoleAssignmentName(scope, DataScientist, Principal).ToString("D");
        Assert.Equal((name, scope, $"/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.Authorization/roleDefinitions/{DataScientist}", Principal, "ServicePrincipal"),
            (created.Name, created.Scope, created.RoleDefinitionId, created.PrincipalId, created.PrincipalType));
        Assert.Equal(created.Name, again.Name);
        Assert.Single(azure.IdentityState.RoleAssignments);
        Assert.Equal([201, 200], azure.Emulator.Requests.Select(r => r.StatusCode));
        Assert.All(azure.Emulator.Requests, r => Assert.Equal("2022-04-01", r.ApiVersion));
        Assert.EndsWith("/providers/Microsoft.Authorization/roleAssignments/" + name, azure.Emulator.Requests[0].Path);
    }

    [Fact]
    public void TheClientAndTheFake_DeriveTheSameName()
    {
        var scope = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-ml";
        var name = AzureRoleAssignmentClient.GetRoleAssignmentName(scope, DataScientist, Principal);

        Assert.Equal(name, InMemoryAzureIdentity.GetRoleAssignmentName(scope, DataScientist, Principal));
        Assert.Equal(name, AzureRoleAssignmentClient.GetRoleAssignmentName(scope.ToUpperInvariant() + "/", DataScientist.ToUpperInvariant(), Principal));
        Assert.NotEqual(name, AzureRoleAssignmentClient.GetRoleAssignmentName(scope, DataScientist, Guid.NewGuid()));
        Assert.NotEqual(name, AzureRoleAssignmentClient.GetRoleAssignmentName(scope + "/providers/Microsoft.MachineLearningServices/workspaces/w", DataScientist, Principal));
        Assert.Equal(5, name.ToByteArray(bigEndian: true)[6] >> 4);
    }

    [Fact]
    public async Task AnAssignmentThatExistsUnderAnotherName_CountsAsSuccess()
    {
        await using var azure = await StartAsync();
        var existing = azure.IdentityState.AddRoleAssignment(Dev.ResourceId, DataScientist, Principal, name: "0f0e0d0c-0b0a-0908-0706-050403020100");

        var result = await azure.RoleAssignments.CreateRoleAssignmentAsync(Dev.ResourceId, DataScientist, Principal);

        Assert.Equal(existing.Name, result.Name);
        Assert.Equal([("RoleAssignments_Create", 409), ("RoleAssignments_ListForScope", 200)], azure.Emulator.Requests.Select(r => (r.Operation!, r.StatusCode)));
        Assert.Single(azure.IdentityState.RoleAssignments);
    }

    [Fact]
    public async Task List_KeepsTheAssignmentsAtAndAboveTheScope_ForThePrincipal()
    {
        await using var azure = await StartAsync(emulatorOptions: new AzureResourceManagerEmulatorOptions { PageSize = 1 });
        var group = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-ml";
        azure.IdentityState.AddRoleAssignment("/subscriptions/00000000-0000-0000-0000-000000000001", "acdd72a7-3385-48ef-bd42-f606fba81ae7", Principal);
        azure.IdentityState.AddRoleAssignment(group, DataScientist, Principal);
        azure.IdentityState.AddRoleAssignment(Dev.ResourceId + "/models/credit-risk", DataScientist, Principal);
        azure.IdentityState.AddRoleAssignment(group, DataScientist, Guid.NewGuid());
        await azure.RoleAssignments.CreateRoleAssignmentAsync(Dev.ResourceId, DataScientist, Principal);

        var mine = await azure.RoleAssignments.ListRoleAssignmentsAsync(Dev.ResourceId, Principal);
        var everyone = await azure.RoleAssignments.ListRoleAssignmentsAsync(group);

        Assert.Equal(["/subscriptions/00000000-0000-0000-0000-000000000001", group, Dev.ResourceId], mine.Select(a => a.Scope).Order(StringComparer.Ordinal));
        Assert.All(mine, a => Assert.Equal(Principal, a.PrincipalId));
        Assert.Equal(3, everyone.Count);
        Assert.DoesNotContain(everyone, a => a.Scope == Dev.ResourceId);
        Assert.True(azure.Emulator.Requests.Count(r => r.Operation == "RoleAssignments_ListForScope") >= 4);
    }

    [Fact]
    public async Task BadInput_IsRefusedBeforeAnyRequest()
    {
        await using var azure = await StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => azure.RoleAssignments.CreateRoleAssignmentAsync(Dev.ResourceId, "Contributor", Principal));
        await Assert.ThrowsAsync<ArgumentException>(() => azure.RoleAssignments.CreateRoleAssignmentAsync("/", DataScientist, Principal));
        await Assert.ThrowsAsync<ArgumentException>(() => azure.RoleAssignments.ListRoleAssignmentsAsync("/subscriptions/x/../y"));
        Assert.Empty(azure.Emulator.Requests);
    }
}
