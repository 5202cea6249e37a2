using YamlDotNet.RepresentationModel;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Workflows.Tests.Support;

/// <summary>The definitions and YAML helpers the tests share.</summary>
internal static class Definitions
{
    public const string Subscription = "00000000-0000-0000-0000-000000000001";

    /// <summary>dev (service principal) → staging (reviewers, OIDC) → prod (reviewers, wait timer, OIDC), as in the quickstart.</summary>
    public static RepositoryDefinition DevStagingProd() => Repository("octo-org/credit-risk",
        Environment("dev")
            .BindWorkspace(Workspace(Subscription, "rg-ml-dev", "mlw-dev"))
            .UseServicePrincipalLogin(Guid.Parse("11111111-1111-1111-1111-111111111111"), Guid.Parse("72f988bf-86f1-41af-91ab-2d7cd011db47"), SecretFromEnvironmentVariable("DEV_SP_SECRET")),
        Environment("staging")
            .RequireReviewers(Team("ml-leads"))
            .AllowBranches("main", "release/*")
            .BindWorkspace(Workspace(Subscription, "rg-ml-staging", "mlw-staging"))
            .UseOidcLogin(ManagedIdentity(Subscription, "rg-identities", "id-github-staging")),
        Environment("prod")
            .RequireReviewers(User("ana"), Team("ml-leads"))
            .WithWaitTimer(TimeSpan.FromMinutes(30))
            .BindWorkspace(Workspace(Subscription, "rg-ml-prod", "mlw-prod"))
            .UseOidcLogin(ManagedIdentity(Subscription, "rg-identities", "id-github-prod")));

    /// <summary>Binds an environment to a workspace of its own (named after it) with a service-principal login.</summary>
    public static EnvironmentDefinition Bound(this EnvironmentDefinition environment, string workspace) => environment
        .BindWorkspace(Workspace(Subscription, "rg-ml", workspace))
        .UseServicePrincipalLogin(Guid.Parse("22222222-2222-2222-2222-222222222222"), Guid.Parse("72f988bf-86f1-41af-91ab-2d7cd011db47"), SecretFromEnvironmentVariable("SP_SECRET"));

    public static YamlMappingNode Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return Assert.IsType<YamlMappingNode>(Assert.Single(stream.Documents).RootNode);
    }

    public static YamlNode At(this YamlNode node, params object[] path)
    {
        foreach (var step in path)
        {
            node = step switch
            {
                string key => Assert.IsType<YamlMappingNode>(node).Children[new YamlScalarNode(key)],
                int index => Assert.IsType<YamlSequenceNode>(node).Children[index],
                _ => throw new ArgumentException("path steps are keys or indexes"),
            };
        }

        return node;
    }

    public static string Text(this YamlNode node, params object[] path) =>
        Assert.IsType<YamlScalarNode>(node.At(path)).Value!;

    public static bool Has(this YamlNode node, string key) =>
        node is YamlMappingNode mapping && mapping.Children.ContainsKey(new YamlScalarNode(key));

    public static IReadOnlyList<string> Keys(this YamlNode node) =>
        [.. Assert.IsType<YamlMappingNode>(node).Children.Keys.Cast<YamlScalarNode>().Select(k => k.Value!)];

    /// <summary>The step of a job that runs <c>mlenv promote</c>.</summary>
    public static YamlMappingNode Promote(this YamlNode workflow, string jobId) =>
        Assert.Single(workflow.Steps(jobId), s => s.Has("run") && s.Text("run").StartsWith("mlenv promote ", StringComparison.Ordinal));

    public static IReadOnlyList<YamlMappingNode> Steps(this YamlNode workflow, string jobId) =>
        [.. Assert.IsType<YamlSequenceNode>(workflow.At("jobs", jobId, "steps")).Children.Cast<YamlMappingNode>()];
}
