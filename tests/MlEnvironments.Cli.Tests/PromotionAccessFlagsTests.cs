using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Cli.Tests;

/// <summary><c>mlenv plan --no-promotion-access</c> and <c>--service-principal-object-id</c>, on the in-memory world.</summary>
public class PromotionAccessFlagsTests
{
    private const string Subscription = "00000000-0000-0000-0000-000000000001";
    private static readonly Guid ClientId = new("11111111-1111-1111-1111-111111111111");
    private static readonly Guid TenantId = new("22222222-2222-2222-2222-222222222222");

    private static Mlenv WithOidcStages()
    {
        var mlenv = new Mlenv();
        mlenv.Write("mlenv.json", MlEnvironmentsJson.Serialize(Repository("octo-org/credit-risk",
            Environment("dev").BindWorkspace(Workspace(Subscription, "rg-ml", "mlw-dev")).UseOidcLogin(ManagedIdentity(Subscription, "rg-id", "id-dev")),
            Environment("staging").BindWorkspace(Workspace(Subscription, "rg-ml", "mlw-staging")).UseOidcLogin(ManagedIdentity(Subscription, "rg-id", "id-staging")))));
        return mlenv;
    }

    [Fact]
    public async Task NoPromotionAccess_ListsTheRolesInANote_InsteadOfPlanningThem()
    {
        using var mlenv = WithOidcStages();

        var managed = await mlenv.RunAsync("plan", "--in-memory");
        var unmanaged = await mlenv.RunAsync("plan", "--in-memory", "--no-promotion-access");

        Assert.True(managed.ExitCode == 0, managed.ToString());
        Assert.True(unmanaged.ExitCode == 0, unmanaged.ToString());
        Assert.Contains("Reader for id-staging on", managed.Output);
        Assert.DoesNotContain("promotion access is not managed", managed.Output + managed.Error);
        Assert.DoesNotContain("Reader for id-staging on", unmanaged.Output);
        Assert.Contains("promotion access is not managed", unmanaged.Output + unmanaged.Error);
    }

    [Fact]
    public async Task ServicePrincipalObjectId_IsParsedBeforeAnythingIsRead_AndTurnsTheNoteIntoACheck()
    {
        using var mlenv = new Mlenv();
        mlenv.Write("mlenv.json", MlEnvironmentsJson.Serialize(Repository("octo-org/credit-risk",
            Environment("dev").BindWorkspace(Workspace(Subscription, "rg-ml", "mlw-dev")),
            Environment("staging").BindWorkspace(Workspace(Subscription, "rg-ml", "mlw-staging"))
                .UseServicePrincipalLogin(ClientId, TenantId, SecretFromEnvironmentVariable("SP_SECRET")))));

        var malformed = await mlenv.RunAsync("plan", "--in-memory", "--service-principal-object-id", $"{ClientId}:not-a-guid");
        var unknown = await mlenv.RunAsync("plan", "--in-memory");
        var known = await mlenv.RunAsync("plan", "--in-memory", "--service-principal-object-id", $"{ClientId}=33333333-3333-3333-3333-333333333333");

        Assert.Equal(1, malformed.ExitCode);
        Assert.Contains("is not CLIENT_ID=OBJECT_ID", malformed.Error);
        Assert.Contains($"the object id of service principal {ClientId} is not known", unknown.Output + unknown.Error);
        Assert.DoesNotContain("is not known", known.Output + known.Error);
        Assert.Contains("33333333-3333-3333-3333-333333333333", known.Output + known.Error);
    }
}
