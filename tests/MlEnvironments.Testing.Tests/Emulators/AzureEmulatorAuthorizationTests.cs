using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Azure.Core;
using MlEnvironments.Identity;
using MlEnvironments.MachineLearning;

namespace MlEnvironments.Testing.Tests.Emulators;

/// <summary>The ARM emulator's role-based authorization: per principal, by role and scope, in ARM's words.</summary>
public sealed class AzureEmulatorAuthorizationTests
{
    private const string Sub = "00000000-0000-0000-0000-000000000001";
    private static readonly WorkspaceId Dev = MlEnvironment.Workspace(Sub, "rg-ml", "mlw-dev");
    private static readonly MachineLearningRegistryId Registry = MachineLearningRegistryId.Create(Sub, "rg-ml", "mlr-shared");
    private static readonly Guid Principal = Guid.Parse("12345678-0000-0000-0000-0000000000aa");
    private static readonly Guid App = Guid.Parse("12345678-0000-0000-0000-0000000000bb");

    private static string Api(string path) => path.TrimStart('/') + "?api-version=2025-12-01";

    private static async Task<(HttpStatusCode Status, JsonNode? Body)> GetAsync(AzureResourceManagerEmulator emulator, string token, string path)
    {
        using var http = emulator.CreateHttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.GetAsync(Api(path));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private static async Task<AzureResourceManagerEmulator> StartAsync(bool enforce)
    {
        var emulator = await AzureResourceManagerEmulator.StartAsync(options: new AzureResourceManagerEmulatorOptions { EnforceRoleAssignments = enforce });
        emulator.MachineLearning.AddWorkspace(Dev).AddRegistry(Registry);
        return emulator;
    }

    private static string TokenOf(FakeTokenCredential credential) => credential.GetToken(new TokenRequestContext(["https://management.azure.com/.default"]), default).Token;

    [Fact]
    public void ForPrincipal_AnswersAJwtNamingTheObjectAndClientIds_AndNeverPrintsIt()
    {
        var credential = FakeTokenCredential.ForPrincipal(Principal, App);
        var token = TokenOf(credential);
        var payload = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        var claims = JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '='))))!;

        Assert.Equal(3, token.Split('.').Length);
        Assert.Equal((Principal.ToString(), App.ToString()), (claims["oid"]!.GetValue<string>(), claims["appid"]!.GetValue<string>()));
        Assert.Equal((Principal, App), (credential.PrincipalId, credential.ClientId));
        Assert.NotEqual(token, TokenOf(FakeTokenCredential.ForPrincipal(Guid.NewGuid())));
        Assert.DoesNotContain(token, credential.ToString(), StringComparison.Ordinal);
        Assert.Null(new FakeTokenCredential().PrincipalId);
    }

    [Fact]
    public async Task WithoutARole_ARequestIsRefusedInArmsWords_NamingTheActionAndTheScope()
    {
        await using var emulator = await StartAsync(enforce: true);
        var token = TokenOf(FakeTokenCredential.ForPrincipal(Principal, App));

        var (status, body) = await GetAsync(emulator, token, Dev.ResourceId + "/models/fraud/versions/1");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("AuthorizationFailed", body!["error"]!["code"]!.GetValue<string>());
        Assert.Equal(
            $"The client '{App}' with object id '{Principal}' does not have authorization to perform action " +
            $"'Microsoft.MachineLearningServices/workspaces/models/versions/read' over scope '{Dev.ResourceId}/models/fraud/versions/1' " +
            "or the scope is invalid. If access was recently granted, please refresh your credentials.",
            body["error"]!["message"]!.GetValue<string>());
        Assert.Empty(emulator.MachineLearning.Calls);
    }

    [Theory]
    [InlineData(AzureBuiltInRoles.Reader, "/models/fraud/versions", true)]
    [InlineData(AzureBuiltInRoles.Reader, "", true)]
    [InlineData(AzureBuiltInRoles.AzureMLDataScientist, "/models/fraud/versions", true)]
    [InlineData(AzureBuiltInRoles.AzureMLDataScientist, "", false)]
    [InlineData(AzureBuiltInRoles.AzureMLRegistryUser, "", false)]
    [InlineData(AzureBuiltInRoles.Contributor, "", true)]
    [InlineData("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "", false)]
    public async Task ARoleAllowsWhatItsDefinitionLists_AtItsScopeAndBelow(string role, string below, bool allowed)
    {
        await using var emulator = await StartAsync(enforce: true);
        emulator.Identity.AddRoleAssignment("/subscriptions/" + Sub + "/resourceGroups/rg-ml", role, Principal);

        var (status, _) = await GetAsync(emulator, TokenOf(FakeTokenCredential.ForPrincipal(Principal)), Dev.ResourceId + below);

        Assert.Equal(allowed, status != HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task TheRegistryUser_ReadsAndWritesRegistryAssets_AndAnotherPrincipalsRoleGrantsNothing()
    {
        await using var emulator = await StartAsync(enforce: true);
        emulator.Identity.AddRoleAssignment(Registry.ResourceId, AzureBuiltInRoles.AzureMLRegistryUser, Principal);

        var (mine, _) = await GetAsync(emulator, TokenOf(FakeTokenCredential.ForPrincipal(Principal)), Registry.ResourceId + "/models/fraud/versions/1");
        var (theirs, body) = await GetAsync(emulator, TokenOf(FakeTokenCredential.ForPrincipal(Guid.NewGuid())), Registry.ResourceId + "/models/fraud/versions/1");

        Assert.Equal(HttpStatusCode.NotFound, mine);
        Assert.Equal(HttpStatusCode.Forbidden, theirs);
        Assert.Contains("'Microsoft.MachineLearningServices/registries/assets/read'", body!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATokenThatNamesNoPrincipal_Is401WhenEnforcing_AndAcceptedOtherwise()
    {
        await using var enforcing = await StartAsync(enforce: true);
        await using var open = await StartAsync(enforce: false);

        var (refused, body) = await GetAsync(enforcing, FakeTokenCredential.DefaultToken, Dev.ResourceId);
        var (accepted, _) = await GetAsync(open, FakeTokenCredential.DefaultToken, Dev.ResourceId);

        Assert.Equal(HttpStatusCode.Unauthorized, refused);
        Assert.Equal("InvalidAuthenticationToken", body!["error"]!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, accepted);
    }
}
