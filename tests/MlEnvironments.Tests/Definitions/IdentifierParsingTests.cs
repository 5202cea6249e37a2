using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Tests.Definitions;

public class IdentifierParsingTests
{
    private const string Subscription = "00000000-0000-0000-0000-000000000001";

    [Theory]
    [InlineData("user:ana", ReviewerKind.User, "ana")]
    [InlineData("TEAM:ML-Leads", ReviewerKind.Team, "ML-Leads")]
    [InlineData("@ana", ReviewerKind.User, "ana")]
    [InlineData("@octo-org/ml-leads", ReviewerKind.Team, "ml-leads")]
    public void Reviewer_ParsesEveryAcceptedForm(string text, ReviewerKind kind, string name)
    {
        Assert.True(Reviewer.TryParse(text, out var parsed));
        Assert.Equal(kind, parsed.Kind);
        Assert.Equal(name, parsed.Name);

        var reviewer = Reviewer.Parse(text);
        Assert.Equal(parsed, reviewer);
        Assert.Equal(name, reviewer.Name); // the spelling is kept

        // ToString gives the canonical form, which parses back to the same reviewer.
        Assert.Equal(reviewer, Reviewer.Parse(reviewer.ToString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("ana")]
    [InlineData("@octo-org/")]
    public void Reviewer_RefusesOtherText(string text)
    {
        Assert.False(Reviewer.TryParse(text, out var reviewer));
        Assert.Null(reviewer);
        var e = Assert.Throws<FormatException>(() => Reviewer.Parse(text));
        Assert.Contains($"'{text}'", e.Message, StringComparison.Ordinal);
        Assert.False(Reviewer.TryParse(null, out _));
    }

    [Theory]
    [InlineData("octo-org/credit-risk", "octo-org", "credit-risk")]
    [InlineData("Octo/Credit.Risk_v2.git", "Octo", "Credit.Risk_v2")]
    public void RepositoryId_ParsesOwnerAndName(string text, string owner, string name)
    {
        Assert.True(RepositoryId.TryParse(text, out var parsed));
        var id = RepositoryId.Parse(text);

        Assert.Equal(parsed, id);
        Assert.Equal(owner, id.Owner);
        Assert.Equal(name, id.Name);
        Assert.False(id.IsEmpty);
        Assert.Equal(owner + "/" + name, id.ToString());
        Assert.Equal(id, RepositoryId.Create(owner, name));
    }

    [Theory]
    [InlineData("octo-org/credit/risk")]
    [InlineData("-octo/credit-risk")]
    [InlineData("octo-org/credit risk")]
    [InlineData("a234567890123456789012345678901234567890/repo")] // a 40-character owner
    [InlineData("octo--org/credit-risk")] // GitHub logins never hold two hyphens in a row
    public void RepositoryId_RefusesOtherText(string text)
    {
        Assert.False(RepositoryId.TryParse(text, out var id));
        Assert.True(id.IsEmpty);
        var e = Assert.Throws<FormatException>(() => RepositoryId.Parse(text));
        Assert.Contains("owner/name", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RepositoryId_Default_IsEmpty_AndCreateRefusesInvalidParts()
    {
        var empty = default(RepositoryId);
        Assert.True(empty.IsEmpty);
        Assert.Equal(string.Empty, empty.ToString());
        Assert.False(RepositoryId.TryParse(null, out _));

        Assert.Equal("owner", Assert.Throws<ArgumentException>(() => RepositoryId.Create("bad owner", "repo")).ParamName);
        Assert.Equal("name", Assert.Throws<ArgumentException>(() => RepositoryId.Create("octo", "bad/name")).ParamName);
    }

    [Theory]
    [InlineData("/subscriptions/" + Subscription + "/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/mlw-prod")]
    [InlineData("SUBSCRIPTIONS/" + Subscription + "/resourcegroups/rg-ml/PROVIDERS/microsoft.machinelearningservices/Workspaces/mlw-prod/")]
    public void WorkspaceId_ParsesArmIds(string resourceId)
    {
        Assert.True(WorkspaceId.TryParse(resourceId, out var parsed));
        var id = WorkspaceId.Parse(resourceId);

        Assert.Equal(parsed, id);
        Assert.Equal(Subscription, id.SubscriptionId);
        Assert.Equal("rg-ml", id.ResourceGroupName);
        Assert.Equal("mlw-prod", id.WorkspaceName);
        Assert.Equal(Workspace(Subscription, "rg-ml", "mlw-prod"), id);
        Assert.Equal(
            "/subscriptions/" + Subscription + "/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/mlw-prod",
            id.ResourceId);
    }

    [Fact]
    public void WorkspaceId_ResourceId_RoundTrips()
    {
        var workspace = Workspace("AAAAAAAA-0000-0000-0000-00000000000F", "RG.ML_(prod)", "Mlw-Prod_1");

        var parsed = WorkspaceId.Parse(workspace.ResourceId);

        Assert.Equal(workspace, parsed);
        Assert.Equal(workspace.SubscriptionId, parsed.SubscriptionId);
        Assert.Equal(workspace.ResourceGroupName, parsed.ResourceGroupName);
        Assert.Equal(workspace.WorkspaceName, parsed.WorkspaceName);
        Assert.Equal(workspace.ResourceId, parsed.ResourceId);
        Assert.Equal(workspace.ResourceId, parsed.ToString());
    }

    [Theory]
    [InlineData("/subscriptions/" + Subscription + "/resourceGroups/rg-ml/providers/Microsoft.Storage/storageAccounts/mlw-prod")]
    [InlineData("/subscriptions/" + Subscription + "/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/mlw-prod/computes/cpu")]
    public void WorkspaceId_RefusesOtherText(string resourceId)
    {
        Assert.False(WorkspaceId.TryParse(resourceId, out _));
        var e = Assert.Throws<FormatException>(() => WorkspaceId.Parse(resourceId));
        Assert.Contains("Microsoft.MachineLearningServices/workspaces", e.Message, StringComparison.Ordinal);
    }
}
