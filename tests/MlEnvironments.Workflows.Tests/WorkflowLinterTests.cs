using System.Text.Json;
using MlEnvironments.GitHub;
using MlEnvironments.Workflows.Tests.Support;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Workflows.Tests;

public class WorkflowLinterTests
{
    private static readonly WorkflowLinter Linter = new(Definitions.DevStagingProd());

    // Every protected environment (staging, prod) is used, so that each test sees only the finding it is about.
    private const string UsesStagingAndProd = """
        name: Promote
        on: workflow_dispatch
        permissions:
          id-token: write
          contents: read
        jobs:
          staging:
            runs-on: ubuntu-latest
            environment: staging
            steps:
              - run: echo staging
          prod:
            runs-on: ubuntu-latest
            environment:
              name: prod
            steps:
              - uses: azure/login@v2
                with:
                  client-id: ${{ vars.AZURE_CLIENT_ID }}
                  tenant-id: ${{ vars.AZURE_TENANT_ID }}
                  subscription-id: ${{ vars.AZURE_SUBSCRIPTION_ID }}
        """;

    private static GitHubWorkflowFile File(string name, string content) => new(".github/workflows/" + name, content);

    private static WorkflowLintResult Lint(string content) =>
        Linter.Lint([File("promote.yml", UsesStagingAndProd), File("deploy.yml", content)]);

    [Fact]
    public void UndeclaredEnvironment_IsAnError_NamingTheJob_TheLine_AndTheLikelyEnvironment()
    {
        var result = Lint("""
            name: Deploy
            on: push
            jobs:
              deploy:
                runs-on: ubuntu-latest
                environment: prdo
                steps:
                  - run: ./deploy.sh
            """);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(WorkflowFindingSeverity.Error, finding.Severity);
        Assert.Equal(WorkflowLintRules.UndeclaredEnvironment, finding.Rule);
        Assert.Equal(".github/workflows/deploy.yml", finding.File);
        Assert.Equal(6, finding.Line);
        Assert.Equal("deploy", finding.JobId);
        Assert.Contains("\"prdo\"", finding.Message, StringComparison.Ordinal);
        Assert.Equal("did you mean \"prod\"?", finding.Hint);
        Assert.True(result.HasErrors);
        Assert.Equal(2, result.FileCount);
    }

    [Fact]
    public void UndeclaredEnvironment_InTheMappingForm_AndFarFromAnyName_ListsTheDeclaredOnes()
    {
        var result = Lint("""
            on: push
            jobs:
              ship:
                runs-on: ubuntu-latest
                environment:
                  name: production-eu
                  url: https://example.com
                steps: [{ run: echo }]
              typo:
                runs-on: ubuntu-latest
                environment: { name: STAGNIG }
                steps: [{ run: echo }]
            """);

        Assert.Equal(2, result.ErrorCount);
        var far = Assert.Single(result.Findings, f => f.JobId == "ship");
        Assert.Equal("declare it, or use one of: dev, staging, prod.", far.Hint);
        var near = Assert.Single(result.Findings, f => f.JobId == "typo");
        Assert.Equal("did you mean \"staging\"?", near.Hint);
    }

    [Fact]
    public void EnvironmentSpelledInAnotherCase_IsAWarning_BecauseSubjectsCompareExactly()
    {
        var result = Lint("""
            on: push
            jobs:
              deploy:
                runs-on: ubuntu-latest
                environment: Prod
                steps: [{ run: echo }]
            """);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(WorkflowFindingSeverity.Warning, finding.Severity);
        Assert.Equal(WorkflowLintRules.EnvironmentSpelling, finding.Rule);
        Assert.Equal("write \"prod\".", finding.Hint);
        Assert.False(result.HasErrors);
    }

    [Fact]
    public void EnvironmentExpression_IsNotChecked_AndSaysSo()
    {
        var result = Linter.Lint([File("matrix.yml", """
            on: push
            jobs:
              deploy:
                strategy:
                  matrix:
                    target: [staging, prod]
                runs-on: ubuntu-latest
                environment: ${{ matrix.target }}
                steps: [{ run: echo }]
            """)]);

        var note = Assert.Single(result.Findings, f => f.Rule == WorkflowLintRules.EnvironmentExpression);
        Assert.Equal(WorkflowFindingSeverity.Info, note.Severity);
        Assert.All(result.Findings.Where(f => f.Rule == WorkflowLintRules.UnusedProtectedEnvironment),
            f => Assert.Contains("1 job names its environment with an expression", f.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void UnusedProtectedEnvironment_IsReported_UnprotectedOnesAreNot()
    {
        var result = Linter.Lint([File("deploy.yml", """
            on: push
            jobs:
              deploy:
                runs-on: ubuntu-latest
                environment: prod
                steps: [{ run: echo }]
            """)]);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(WorkflowFindingSeverity.Warning, finding.Severity);
        Assert.Equal(WorkflowLintRules.UnusedProtectedEnvironment, finding.Rule);
        Assert.Null(finding.File);
        Assert.Equal("(definition)", finding.Location);
        Assert.Contains("\"staging\"", finding.Message, StringComparison.Ordinal);
        Assert.Contains("required reviewers", finding.Message, StringComparison.Ordinal);
        Assert.Contains("deployment branch policy", finding.Message, StringComparison.Ordinal);
        Assert.Contains("environment: staging", finding.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void OidcLogin_WithoutEnvironment_WouldPresentTheRefSubject()
    {
        var result = Lint("""
            on: push
            permissions:
              id-token: write
            jobs:
              deploy:
                runs-on: ubuntu-latest
                steps:
                  - uses: azure/login@v2
                    with:
                      client-id: ${{ vars.AZURE_CLIENT_ID }}
                      tenant-id: ${{ vars.AZURE_TENANT_ID }}
                      subscription-id: ${{ vars.AZURE_SUBSCRIPTION_ID }}
            """);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(WorkflowFindingSeverity.Error, finding.Severity);
        Assert.Equal(WorkflowLintRules.OidcWithoutEnvironment, finding.Rule);
        Assert.Equal("deploy", finding.JobId);
        Assert.Equal(8, finding.Line);
        Assert.Contains("repo:octo-org/credit-risk:ref:refs/heads/", finding.Message, StringComparison.Ordinal);
        Assert.Contains("repo:octo-org/credit-risk:environment:<name>", finding.Message, StringComparison.Ordinal);
        Assert.Contains("one of the environments \"staging\", \"prod\"", finding.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void OidcLogin_InAServicePrincipalEnvironment_MatchesNoFederatedCredential()
    {
        var result = Lint("""
            on: push
            permissions: write-all
            jobs:
              train:
                runs-on: ubuntu-latest
                environment: dev
                steps:
                  - uses: Azure/login@v2
                    with:
                      client-id: ${{ vars.AZURE_CLIENT_ID }}
                      tenant-id: ${{ vars.AZURE_TENANT_ID }}
            """);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(WorkflowFindingSeverity.Error, finding.Severity);
        Assert.Equal(WorkflowLintRules.OidcSubjectMismatch, finding.Rule);
        Assert.Contains("repo:octo-org/credit-risk:environment:dev", finding.Message, StringComparison.Ordinal);
        Assert.Contains("secrets.AZURE_CREDENTIALS", finding.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void OidcLogin_InAnEnvironmentWithoutLogin_IsAWarning()
    {
        // staging bound to its workspace, but without the quickstart's OIDC login.
        var definition = Definitions.DevStagingProd().UpdateEnvironment("staging", e => e.BindWorkspace(e.Binding!.Workspace));
        var result = new WorkflowLinter(definition).Lint([File("promote.yml", UsesStagingAndProd), File("deploy.yml", """
            on: push
            permissions:
              id-token: write
            jobs:
              check:
                runs-on: ubuntu-latest
                environment: staging
                steps:
                  - uses: azure/login@v2
                    with:
                      client-id: ${{ vars.AZURE_CLIENT_ID }}
                      tenant-id: ${{ vars.AZURE_TENANT_ID }}
                      subscription-id: ${{ vars.AZURE_SUBSCRIPTION_ID }}
            """)]);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(WorkflowFindingSeverity.Warning, finding.Severity);
        Assert.Equal(WorkflowLintRules.OidcSubjectMismatch, finding.Rule);
        Assert.Contains("UseOidcLogin", finding.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void ServicePrincipalLogin_InAnOidcEnvironment_ReadsASecretThatIsNotThere()
    {
        var result = Lint("""
            on: push
            jobs:
              ship:
                runs-on: ubuntu-latest
                environment: prod
                steps:
                  - uses: azure/login@v2
                    with:
                      creds: ${{ secrets.AZURE_CREDENTIALS }}
            """);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(WorkflowFindingSeverity.Error, finding.Severity);
        Assert.Equal(WorkflowLintRules.CredentialsMismatch, finding.Rule);
        Assert.Equal("ship", finding.JobId);
        Assert.Contains("vars.AZURE_CLIENT_ID", finding.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void ServicePrincipalLogin_WithoutEnvironment_CannotReadTheEnvironmentSecret()
    {
        var result = Lint("""
            on: push
            jobs:
              train:
                runs-on: ubuntu-latest
                steps:
                  - uses: azure/login@v2
                    with:
                      creds: ${{ secrets.AZURE_CREDENTIALS }}
            """);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(WorkflowFindingSeverity.Warning, finding.Severity);
        Assert.Equal(WorkflowLintRules.CredentialsMismatch, finding.Rule);
        Assert.Contains("environment: dev", finding.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void OidcLogin_WithoutIdTokenWrite_IsAnError_JobPermissionsOverrideTheWorkflows()
    {
        var result = Lint("""
            on: push
            permissions:
              id-token: write
            jobs:
              ship:
                runs-on: ubuntu-latest
                environment: prod
                permissions:
                  contents: read
                steps:
                  - uses: azure/login@v2
                    with:
                      client-id: ${{ vars.AZURE_CLIENT_ID }}
                      tenant-id: ${{ vars.AZURE_TENANT_ID }}
                      subscription-id: ${{ vars.AZURE_SUBSCRIPTION_ID }}
            """);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(WorkflowLintRules.MissingIdTokenPermission, finding.Rule);
        Assert.Equal(WorkflowFindingSeverity.Error, finding.Severity);
        Assert.Contains("id-token: write", finding.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void OidcLogin_ReadingTheClientIdFromSecrets_IsAWarning()
    {
        var result = Lint("""
            on: push
            permissions:
              id-token: write
            jobs:
              ship:
                runs-on: ubuntu-latest
                environment: prod
                steps:
                  - uses: azure/login@v2
                    with:
                      client-id: ${{ secrets.AZURE_CLIENT_ID }}
                      tenant-id: ${{ vars.AZURE_TENANT_ID }}
                      subscription-id: ${{ vars.AZURE_SUBSCRIPTION_ID }}
            """);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(WorkflowLintRules.LoginInputSource, finding.Rule);
        Assert.Equal("use `client-id: ${{ vars.AZURE_CLIENT_ID }}`.", finding.Hint);
    }

    [Fact]
    public void YamlSyntaxError_IsAFindingWithItsLine_NotAnException_AndOtherFilesAreStillLinted()
    {
        var result = Linter.Lint(
        [
            File("broken.yml", "name: Broken\non: push\njobs:\n  deploy:\n    steps: [\n      run: echo\n"),
            File("deploy.yml", "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    environment: prdo\n    steps: [{ run: echo }]\n"),
        ]);

        var syntax = Assert.Single(result.Findings, f => f.Rule == WorkflowLintRules.YamlSyntax);
        Assert.Equal(WorkflowFindingSeverity.Error, syntax.Severity);
        Assert.Equal(".github/workflows/broken.yml", syntax.File);
        Assert.NotNull(syntax.Line);
        Assert.InRange(syntax.Line!.Value, 5, 7);
        Assert.Contains("line", syntax.Message, StringComparison.Ordinal);
        Assert.Single(result.Findings, f => f.Rule == WorkflowLintRules.UndeclaredEnvironment);
    }

    [Fact]
    public void DuplicateKeys_AreASyntaxFinding()
    {
        var result = Linter.Lint([File("dup.yml", "on: push\njobs:\n  a:\n    runs-on: x\n  a:\n    runs-on: y\n")]);

        var finding = Assert.Single(result.Findings, f => f.Rule == WorkflowLintRules.YamlSyntax);
        Assert.Equal(5, finding.Line);
    }

    [Fact]
    public void YamlThatIsNotAWorkflow_IsReported()
    {
        var result = Linter.Lint([File("promote.yml", UsesStagingAndProd), File("notes.yml", "- just\n- a list\n"), File("empty.yml", "")]);

        Assert.Equal(2, result.Findings.Count(f => f.Rule == WorkflowLintRules.NotAWorkflow));
    }

    [Fact]
    public void Renderings_CarryEveryField()
    {
        var result = Lint("on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    environment: prdo\n    steps: [{ run: echo }]\n");

        var text = result.ToText();
        Assert.Contains(".github/workflows/deploy.yml:5: error: job \"deploy\" runs in environment \"prdo\"", text, StringComparison.Ordinal);
        Assert.Contains("    hint: did you mean \"prod\"?", text, StringComparison.Ordinal);
        Assert.EndsWith("1 error, 0 warnings in 2 workflow files.", text, StringComparison.Ordinal);
        Assert.Equal(result.ToText(), result.ToString());

        using var json = JsonDocument.Parse(result.ToJson());
        Assert.Equal(1, json.RootElement.GetProperty("errors").GetInt32());
        var finding = json.RootElement.GetProperty("findings")[0];
        Assert.Equal("error", finding.GetProperty("severity").GetString());
        Assert.Equal("undeclared-environment", finding.GetProperty("rule").GetString());
        Assert.Equal(".github/workflows/deploy.yml", finding.GetProperty("file").GetString());
        Assert.Equal(5, finding.GetProperty("line").GetInt32());
        Assert.Equal("deploy", finding.GetProperty("job").GetString());
        Assert.Equal("did you mean \"prod\"?", finding.GetProperty("hint").GetString());

        var markdown = result.ToMarkdown();
        Assert.Contains("| Severity | Location | Job | Finding | Hint |", markdown, StringComparison.Ordinal);
        Assert.Contains("| error | `.github/workflows/deploy.yml:5` | `deploy` |", markdown, StringComparison.Ordinal);
        Assert.Contains("**1 error, 0 warnings in 2 workflow files.**", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void CleanWorkflows_HaveNoFindings()
    {
        var result = Linter.Lint([File("promote.yml", UsesStagingAndProd)]);

        Assert.Empty(result.Findings);
        Assert.Equal("0 errors, 0 warnings in 1 workflow file.", result.Summary);
        Assert.Contains("| Severity", Lint("on: push\njobs:\n  a:\n    environment: prdo\n").ToMarkdown(), StringComparison.Ordinal);
        Assert.DoesNotContain("| Severity", result.ToMarkdown(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("prdo", "prod")]
    [InlineData("PROD", "prod")]
    [InlineData("stagin", "staging")]
    [InlineData("deev", "dev")]
    [InlineData("production", null)]
    [InlineData("qa", null)]
    public void SuggestEnvironment_FindsTheClosestDeclaredName(string written, string? expected) =>
        Assert.Equal(expected, Linter.SuggestEnvironment(written));

    [Theory]
    [InlineData("", "", 0)]
    [InlineData("prod", "prdo", 2)]
    [InlineData("prod", "prods", 1)]
    [InlineData("kitten", "sitting", 3)]
    public void Distance_IsLevenshtein(string a, string b, int expected) =>
        Assert.Equal(expected, WorkflowLinter.Distance(a, b));

    [Fact]
    public void ReusableWorkflowJobs_AndStepsWithoutAzureLogin_AreLeftAlone()
    {
        var linter = new WorkflowLinter(Repository("octo-org/x", Environment("dev")));

        var result = linter.Lint([File("ci.yml", """
            on: push
            jobs:
              call:
                uses: octo-org/shared/.github/workflows/build.yml@main
              build:
                runs-on: ubuntu-latest
                steps:
                  - uses: actions/checkout@v4
                  - uses: azure/cli@v2
                    with: { inlineScript: az account show }
            """)]);

        Assert.Empty(result.Findings);
    }

    [Theory]
    [InlineData("mlenv promote --from dev --to staging --model=\"$MODEL\" --version=\"$VERSION\"", "mlenv promote")]
    [InlineData("\"$RUNNER_TEMP/mlenv/mlenv\" rollback --environment staging --model fraud", "mlenv rollback")]
    [InlineData("az extension add --name ml --yes\naz ml model show --name \"$MODEL\" --version 1", "az ml")]
    public void AzureStep_WithoutALoginBeforeIt_IsAnError(string script, string command)
    {
        var result = Lint($$$"""
            on: workflow_dispatch
            jobs:
              staging:
                runs-on: ubuntu-latest
                environment: staging
                steps:
                  - uses: actions/checkout@v4
                  - name: Azure step
                    run: |
            {{{string.Join("\n", script.Split('\n').Select(l => "          " + l))}}}
                  - uses: azure/login@v2
                    with:
                      client-id: ${{ vars.AZURE_CLIENT_ID }}
                      tenant-id: ${{ vars.AZURE_TENANT_ID }}
                      subscription-id: ${{ vars.AZURE_SUBSCRIPTION_ID }}
            """);

        var finding = Assert.Single(result.Findings, f => f.Rule == WorkflowLintRules.MissingAzureLogin);
        Assert.Equal(WorkflowFindingSeverity.Error, finding.Severity);
        Assert.Equal("staging", finding.JobId);
        Assert.Equal(9, finding.Line);
        Assert.Contains($"runs `{command}` without an `azure/login` step before it", finding.Message, StringComparison.Ordinal);
        Assert.Contains("azure/login@v2", finding.Hint, StringComparison.Ordinal);
        Assert.Contains("UseOidcLogin", finding.Hint, StringComparison.Ordinal);
        Assert.True(result.HasErrors);
    }

    [Fact]
    public void AzureSteps_AfterALogin_InMemory_OrNotAzure_AreFine()
    {
        var result = Lint("""
            on: workflow_dispatch
            permissions:
              id-token: write
            jobs:
              with-login:
                runs-on: ubuntu-latest
                environment: staging
                steps:
                  - uses: azure/login@v2
                    with:
                      client-id: ${{ vars.AZURE_CLIENT_ID }}
                      tenant-id: ${{ vars.AZURE_TENANT_ID }}
                      subscription-id: ${{ vars.AZURE_SUBSCRIPTION_ID }}
                  - run: mlenv promote --from dev --to staging --model fraud --version 1
              with-az-login:
                runs-on: ubuntu-latest
                steps:
                  - run: az login --service-principal -u "$ID" -p "$SECRET" --tenant "$TENANT"
                  - run: az ml model list --workspace-name w --resource-group g
              in-memory:
                runs-on: ubuntu-latest
                steps:
                  - run: mlenv promote --in-memory --from dev --to staging --model fraud --version 1
              not-azure:
                runs-on: ubuntu-latest
                steps:
                  - run: mlenv validate && mlenv plan --in-memory && mlenv history --environment prod
                  - run: az extension add --name ml --yes
                  - run: echo "mlenv-promoter is a name" && azml --help
            """);

        Assert.DoesNotContain(result.Findings, f => f.Rule == WorkflowLintRules.MissingAzureLogin);
        Assert.Empty(result.Findings);
    }

    [Theory]
    [InlineData("on: workflow_call")]
    [InlineData("on: [workflow_call]")]
    [InlineData("on:\n  workflow_call:\n    inputs:\n      model: { type: string, required: true }")]
    public void OidcLogin_InAReusableWorkflowWithoutPermissions_IsOnlyANote_TheCallerDecides(string trigger)
    {
        var result = Lint(trigger + "\n" + """
            jobs:
              ship:
                runs-on: ubuntu-latest
                environment: prod
                steps:
                  - uses: azure/login@v2
                    with:
                      client-id: ${{ vars.AZURE_CLIENT_ID }}
                      tenant-id: ${{ vars.AZURE_TENANT_ID }}
                      subscription-id: ${{ vars.AZURE_SUBSCRIPTION_ID }}
            """);

        var note = Assert.Single(result.Findings);
        Assert.Equal(WorkflowLintRules.MissingIdTokenPermission, note.Rule);
        Assert.Equal(WorkflowFindingSeverity.Info, note.Severity);
        Assert.Contains("caller", note.Message, StringComparison.Ordinal);
        Assert.Contains("id-token: write", note.Hint, StringComparison.Ordinal);
        Assert.False(result.HasErrors);
        Assert.Equal(0, result.WarningCount);
    }

    [Theory]
    [InlineData("on: [workflow_call, push]", "")]
    [InlineData("on:\n  workflow_call:\n  workflow_dispatch:", "")]
    [InlineData("on: workflow_call", "permissions:\n  contents: read\n")]
    public void OidcLogin_WithoutIdToken_IsStillAnError_WhenTheWorkflowHasOtherTriggersOrDeclaresPermissions(string trigger, string permissions)
    {
        var result = Lint(trigger + "\n" + permissions + """
            jobs:
              ship:
                runs-on: ubuntu-latest
                environment: prod
                steps:
                  - uses: azure/login@v2
                    with:
                      client-id: ${{ vars.AZURE_CLIENT_ID }}
                      tenant-id: ${{ vars.AZURE_TENANT_ID }}
                      subscription-id: ${{ vars.AZURE_SUBSCRIPTION_ID }}
            """);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(WorkflowLintRules.MissingIdTokenPermission, finding.Rule);
        Assert.Equal(WorkflowFindingSeverity.Error, finding.Severity);
    }

    [Fact]
    public void UnusedEnvironment_GuardedOnlyByACustomProtectionRule_IsReported()
    {
        var linter = new WorkflowLinter(Repository("octo-org/x",
            Environment("dev"),
            Environment("prod").RequireProtectionRule(123456),
            Environment("audit").RequireProtectionRule(1).RequireProtectionRule(2)));

        var result = linter.Lint([File("ci.yml", "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    environment: dev\n    steps: [{ run: echo }]\n")]);

        Assert.Equal(2, result.WarningCount);
        var prod = Assert.Single(result.Findings, f => f.Message.Contains("\"prod\"", StringComparison.Ordinal));
        Assert.Equal(WorkflowLintRules.UnusedProtectedEnvironment, prod.Rule);
        Assert.Contains("is protected (a custom deployment protection rule)", prod.Message, StringComparison.Ordinal);
        var audit = Assert.Single(result.Findings, f => f.Message.Contains("\"audit\"", StringComparison.Ordinal));
        Assert.Contains("custom deployment protection rules", audit.Message, StringComparison.Ordinal);
    }
}
