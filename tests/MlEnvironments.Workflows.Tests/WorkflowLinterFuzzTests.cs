using MlEnvironments.GitHub;
using MlEnvironments.Workflows.Tests.Support;

namespace MlEnvironments.Workflows.Tests;

/// <summary>The linter reads whatever a repository holds: no text may make it throw.</summary>
public class WorkflowLinterFuzzTests
{
    private const int Seed = 20261207;
    private const int Count = 400;

    private static readonly string[] Fragments =
    [
        "on: [push", "jobs: {", "jobs:\n  a:\n    environment: prod\n", "  b: [", "- ", ": ", "{", "}", "[", "]", "\"", "'",
        "&a ", "*a", "!!str ", "!!map ", "? ", "|", ">", "%YAML 1.2\n", "---\n", "...\n", "#", "\t", "\n", "  ", "\r\n",
        "environment:", "name:", "steps:", "uses: azure/login@v2", "with:", "run: mlenv promote", "permissions: write-all",
        "jobs:\n  a: 1\n  a: 2\n", "jobs:\n  x:\n    environment:\n      name: [1]\n", "<<: *a", "\u2028", "\u0000", "\uFEFF",
        "${{ github.ref_name }}", "on:\n  workflow_call:\n", "jobs: []", "jobs: ~", "steps: {a: b}", "- uses:\n",
    ];

    [Fact]
    public void Lint_MalformedInputs_NeverThrow_AndEveryBrokenFileIsAFindingWithALine()
    {
        var linter = new WorkflowLinter(Definitions.DevStagingProd());
        var random = new Random(Seed);
        for (var i = 0; i < Count; i++)
        {
            var text = Mutate(random);
            WorkflowLintResult result;
            try
            {
                result = linter.Lint([new GitHubWorkflowFile(".github/workflows/fuzz.yml", text)]);
            }
            catch (Exception e)
            {
                Assert.Fail($"input {i} made the linter throw {e.GetType().Name}: {e.Message}\n--- input\n{text}");
                throw;
            }

            Assert.All(result.Findings.Where(f => f.File is not null), f => Assert.True(f.Line >= 1, $"input {i}: finding without a line: {f}"));
        }
    }

    [Theory]
    [InlineData("on: [push\njobs: {\n", 1)]
    [InlineData("jobs: {", 1)]
    [InlineData("name: x\non: push\njobs:\n  a:\n    runs-on: x\n  a:\n    runs-on: y\n", 6)]
    [InlineData("jobs:\n  a:\n    environment: \"prod\n", 3)]
    public void Lint_BrokenYaml_IsOneErrorFinding_AtTheLineWhereReadingStopped(string text, int line)
    {
        var result = new WorkflowLinter(Definitions.DevStagingProd()).Lint([new GitHubWorkflowFile("w.yml", text)]);

        var finding = Assert.Single(result.Findings, f => f.File == "w.yml");
        Assert.Equal(WorkflowFindingSeverity.Error, finding.Severity);
        Assert.Equal(WorkflowLintRules.YamlSyntax, finding.Rule);
        Assert.InRange(finding.Line ?? 0, line, line + 1);
        Assert.True(result.HasErrors);
    }

    [Fact]
    public void Lint_NestingDeeperThanTheLimit_IsAFinding_NotAStackOverflow()
    {
        var text = "jobs:\n  a: " + new string('[', 200_000) + new string(']', 200_000) + "\n";

        var result = new WorkflowLinter(Definitions.DevStagingProd()).Lint([new GitHubWorkflowFile("deep.yml", text)]);

        var finding = Assert.Single(result.Findings, f => f.File == "deep.yml");
        Assert.Equal(WorkflowLintRules.YamlSyntax, finding.Rule);
        Assert.Contains($"more than {WorkflowLinter.MaxDepth} deep", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_UndeclaredEnvironment_WithAnOidcLogin_IsReportedOnce_AsUndeclared()
    {
        const string text = """
            on: workflow_dispatch
            permissions:
              id-token: write
              contents: read
            jobs:
              deploy:
                runs-on: ubuntu-latest
                environment: prdo
                steps:
                  - uses: azure/login@v2
                    with:
                      client-id: ${{ vars.AZURE_CLIENT_ID }}
                      tenant-id: ${{ vars.AZURE_TENANT_ID }}
                      subscription-id: ${{ vars.AZURE_SUBSCRIPTION_ID }}
            """;

        var result = new WorkflowLinter(Definitions.DevStagingProd()).Lint([new GitHubWorkflowFile("deploy.yml", text)]);

        var finding = Assert.Single(result.Findings, f => f.File == "deploy.yml");
        Assert.Equal(WorkflowLintRules.UndeclaredEnvironment, finding.Rule);
        Assert.Contains("did you mean \"prod\"", finding.Hint, StringComparison.Ordinal);
    }

    private static string Mutate(Random random)
    {
        var builder = new System.Text.StringBuilder();
        var parts = random.Next(1, 12);
        for (var i = 0; i < parts; i++)
        {
            switch (random.Next(4))
            {
                case 0:
                    builder.Append((char)random.Next(0, 0x3000));
                    break;
                default:
                    builder.Append(Fragments[random.Next(Fragments.Length)]);
                    break;
            }
        }

        return builder.ToString();
    }
}
