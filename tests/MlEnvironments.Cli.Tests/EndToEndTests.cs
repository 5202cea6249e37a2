using System.Security.Cryptography;
using MlEnvironments.MachineLearning;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Cli.Tests;

/// <summary>The tool as a separate process against the loopback GitHub (HTTP) and ARM (HTTPS) emulators.</summary>
public class EndToEndTests
{
    private const string GitHubToken = "ghp_cli_end_to_end_token_9f27c1";
    private const string ArmToken = "arm-cli-end-to-end-token-4d81e0";
    private const string ServicePrincipalSecret = "sp-secret-never-printed-5521";
    private const string RegistryToken = "registry-token-never-printed-7730";
    private const string Subscription = "00000000-0000-0000-0000-000000000001";
    private static readonly RepositoryId Repo = RepositoryId.Parse("octo-org/cli-e2e");

    [Fact]
    public async Task InitValidatePlanApplyPlan_ConvergesOnBothEmulators_AndNeverPrintsASecret()
    {
        var state = new InMemoryGitHub();
        state.GrantAccess(Repo, User("ana")).GrantAccess(Repo, Team("ml-leads"));
        var githubOptions = new GitHubEmulatorOptions();
        githubOptions.AcceptedTokens.Add(GitHubToken);
        await using var github = await GitHubEmulator.StartAsync(state, githubOptions);
        var armOptions = new AzureResourceManagerEmulatorOptions();
        armOptions.AcceptedTokens.Add(ArmToken);
        await using var arm = await AzureResourceManagerEmulator.StartAsync(new InMemoryAzureMachineLearning(), new InMemoryAzureIdentity(), armOptions);
        foreach (var name in new[] { "dev", "staging", "prod" })
        {
            arm.MachineLearning.AddWorkspace(Workspace(Subscription, $"rg-ml-{name}", $"mlw-{name}"));
        }

        var stagingIdentity = ManagedIdentity(Subscription, "rg-identities", "id-github-staging");
        var prodIdentity = ManagedIdentity(Subscription, "rg-identities", "id-github-prod");
        arm.Identity.AddIdentity(stagingIdentity);
        arm.Identity.AddIdentity(prodIdentity);
        using var mlenv = new Mlenv();
        mlenv.Environment["GITHUB_TOKEN"] = GitHubToken;
        mlenv.Environment["MLENV_GITHUB_URL"] = github.BaseAddress.ToString();
        mlenv.Environment["MLENV_AZURE_ARM_URL"] = arm.Endpoint.ToString();
        mlenv.Environment["MLENV_AZURE_TOKEN"] = ArmToken;
        mlenv.Environment["MLENV_AZURE_ARM_CERTIFICATE_SHA256"] = Convert.ToHexString(arm.Certificate.GetCertHash(HashAlgorithmName.SHA256));
        mlenv.Environment["Secrets__DevServicePrincipal"] = ServicePrincipalSecret;
        mlenv.Environment["Secrets__ModelRegistryToken"] = RegistryToken;

        var init = await mlenv.RunAsync("init", "--repository", Repo.ToString(), "--example");
        var validate = await mlenv.RunAsync("validate");
        var plan = await mlenv.RunAsync("plan");
        var writesAfterPlan = github.Requests.Count(r => r.Method != "GET");
        var unconfirmed = await mlenv.RunAsync("apply");
        var writesAfterUnconfirmed = github.Requests.Count(r => r.Method != "GET");
        var apply = await mlenv.RunAsync("apply", "--auto-approve");
        var again = await mlenv.RunAsync("plan");
        var json = await mlenv.RunAsync("plan", "--output", "json");

        // The promotion commands, successes and failures, with the same tokens and secrets in the environment.
        var dev = Workspace(Subscription, "rg-ml-dev", "mlw-dev");
        arm.MachineLearning.AddJob(dev, "train-1", MachineLearningJobStatus.Completed).LogMetric(dev, "train-1", "auc", 0.9);
        await arm.MachineLearning.CreateOrUpdateModelVersionAsync(dev, "credit-risk", "1", new MachineLearningModelVersionProperties { JobName = "train-1", ModelUri = new Uri("azureml://jobs/train-1/outputs/model") });
        var promotion = new[]
        {
            await mlenv.RunAsync("promote", "--from", "dev", "--to", "staging", "--model", "credit-risk", "--version", "1"),
            await mlenv.RunAsync("promote", "--from", "dev", "--to", "staging", "--model", "credit-risk", "--version", "1", "--output", "json"),
            await mlenv.RunAsync("promote", "--from", "staging", "--to", "prod", "--model", "credit-risk", "--version", "1", "--dry-run", "--output", "markdown"),
            await mlenv.RunAsync("promote", "--from", "dev", "--to", "prod", "--model", "credit-risk", "--version", "1"),
            await mlenv.RunAsync("history", "--environment", "staging"),
            await mlenv.RunAsync("history", "--environment", "staging", "--output", "json"),
            await mlenv.RunAsync("history", "--environment", "staging", "--output", "markdown"),
            await mlenv.RunAsync("pending", "--output", "json"),
            await mlenv.RunAsync("approve", "--run-id", "424242", "--comment", "ok"),
            await mlenv.RunAsync("reject", "--run-id", "424242", "--comment", "no"),
            await mlenv.RunAsync("rollback", "--environment", "staging", "--model", "credit-risk"),
            await mlenv.RunAsync("dispatch", "--model", "credit-risk", "--version", "1"),
        };

        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.Contains("Wrote mlenv.json: octo-org/cli-e2e: dev → staging → prod.", init.Output);
        Assert.True(validate.ExitCode == 0, validate.ToString());
        Assert.True(plan.ExitCode == 2, plan.ToString());
        Assert.Contains("+ environment \"prod\" = {", plan.Output);
        Assert.Contains("Azure federated credential github-octo-org-cli-e2e-prod", plan.Output);
        Assert.Contains("secret AZURE_CREDENTIALS = (sensitive)", plan.Output);
        Assert.Matches(@"Plan: \d+ to add, 0 to change, 0 to destroy\.", plan.Output);
        Assert.Equal(0, writesAfterPlan);
        Assert.True(unconfirmed.ExitCode == 1, unconfirmed.ToString());
        Assert.Contains("--auto-approve", unconfirmed.Error);
        Assert.Equal(0, writesAfterUnconfirmed);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Contains("Apply complete:", apply.Output);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("No changes. GitHub matches the definition.", again.Output);
        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.Contains("\"hasChanges\": false", json.Output);

        Assert.Equal(["dev", "staging", "prod"], state.Snapshot(Repo).Environments.Select(e => e.Name));
        Assert.True(state.GetSecretValue(Repo, "prod", "MODEL_REGISTRY_TOKEN")!.TryRevealLiteral(out var registry));
        Assert.Equal(RegistryToken, registry);
        Assert.True(state.GetSecretValue(Repo, "dev", "AZURE_CREDENTIALS")!.TryRevealLiteral(out var credentials));
        Assert.Contains(ServicePrincipalSecret, credentials);
        var credential = Assert.Single(await arm.Identity.ListFederatedIdentityCredentialsAsync(prodIdentity));
        Assert.Equal("repo:octo-org/cli-e2e:environment:prod", credential.Subject);
        var stagingCredential = Assert.Single(await arm.Identity.ListFederatedIdentityCredentialsAsync(stagingIdentity));
        Assert.Equal("repo:octo-org/cli-e2e:environment:staging", stagingCredential.Subject);
        Assert.Empty(github.SchemaViolations);
        Assert.Empty(arm.UnmatchedRequests);

        Assert.Equal([0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 1, 1], promotion.Select(r => r.ExitCode));
        Assert.Contains("credit-risk@1 promoted from dev to staging: registered in workspace 'mlw-staging'.", promotion[0].Output);
        Assert.Matches(@"promotion  credit-risk@1 +Succeeded +from dev", promotion[4].Output);
        Assert.NotNull(await arm.MachineLearning.GetModelVersionAsync(Workspace(Subscription, "rg-ml-staging", "mlw-staging"), "credit-risk", "1"));

        var everything = string.Concat(new[] { init, validate, plan, unconfirmed, apply, again, json }.Concat(promotion).Select(r => r.All));
        foreach (var secret in new[] { GitHubToken, ArmToken, ServicePrincipalSecret, RegistryToken })
        {
            Assert.DoesNotContain(secret, everything);
        }

        Assert.DoesNotContain("\u001b[", everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitImport_WritesWhatTheRepositoryHas_WithItsWorkspaceBinding()
    {
        var state = new InMemoryGitHub();
        state.Seed(Repo, Environment("staging").AllowBranches("main"));
        state.Seed(Repo, Environment("prod")
            .RequireReviewers(User("ana"))
            .WithWaitTimer(TimeSpan.FromMinutes(15))
            .BindWorkspace(Workspace(Subscription, "rg-ml", "mlw-prod"))
            .WithVariable("MODEL_NAME", "credit-risk")
            .WithSecret("MODEL_REGISTRY_TOKEN", SecretValue.FromValue("seeded-secret-value-1234")));
        var options = new GitHubEmulatorOptions();
        options.AcceptedTokens.Add(GitHubToken);
        await using var github = await GitHubEmulator.StartAsync(state, options);
        using var mlenv = new Mlenv();
        mlenv.Environment["GITHUB_TOKEN"] = GitHubToken;
        mlenv.Environment["MLENV_GITHUB_URL"] = github.BaseAddress.ToString();

        var import = await mlenv.RunAsync("init", "--repository", Repo.ToString(), "--import");
        var validate = await mlenv.RunAsync("validate", "--output", "json");

        Assert.True(import.ExitCode == 0, import.ToString());
        var definition = MlEnvironmentsJson.DeserializeRepository(mlenv.Read("mlenv.json"));
        Assert.Equal(["staging", "prod"], definition.Environments.Select(e => e.Name));
        var prod = definition.FindEnvironment("prod")!;
        Assert.Equal(User("ana"), Assert.Single(prod.Reviewers));
        Assert.Equal(TimeSpan.FromMinutes(15), prod.WaitTimer);
        Assert.Equal(Workspace(Subscription, "rg-ml", "mlw-prod"), prod.Binding!.Workspace);
        Assert.Equal(["MODEL_NAME"], prod.Variables.Select(v => v.Name));
        Assert.Equal(SecretValue.Existing, Assert.Single(prod.Secrets).Value);
        Assert.Equal(["main"], definition.FindEnvironment("staging")!.BranchPolicy.Patterns.Select(p => p.Pattern));
        Assert.True(validate.ExitCode == 0, validate.ToString());
        Assert.Contains("\"valid\": true", validate.Output);
        Assert.Equal(0, github.Requests.Count(r => r.Method != "GET"));
        Assert.DoesNotContain("seeded-secret-value-1234", mlenv.Read("mlenv.json") + import.All);
    }

    [Fact]
    public async Task RemoteLint_ReadsTheRepositorysWorkflowsThroughTheApi()
    {
        var state = new InMemoryGitHub();
        state.AddRepository(Repo);
        state.SetWorkflowFile(Repo, ".github/workflows/deploy.yml", """
            name: Deploy
            on: workflow_dispatch
            jobs:
              ship:
                runs-on: ubuntu-latest
                environment: prdo
                steps:
                  - run: ./deploy.sh
            """);
        var options = new GitHubEmulatorOptions();
        options.AcceptedTokens.Add(GitHubToken);
        await using var github = await GitHubEmulator.StartAsync(state, options);
        using var mlenv = new Mlenv();
        mlenv.Write("mlenv.json", MlEnvironmentsJson.Serialize(Repository(Repo, Environment("dev"), Environment("prod").RequireReviewers(User("ana")))));
        mlenv.Environment["GITHUB_TOKEN"] = GitHubToken;
        mlenv.Environment["MLENV_GITHUB_URL"] = github.BaseAddress.ToString();

        var lint = await mlenv.RunAsync("workflow", "lint", "--remote");

        Assert.True(lint.ExitCode == 1, lint.ToString());
        Assert.Contains(".github/workflows/deploy.yml:6: error: job \"ship\" runs in environment \"prdo\"", lint.Output);
        Assert.Contains("hint: did you mean \"prod\"?", lint.Output);
        Assert.Empty(github.SchemaViolations);
        Assert.DoesNotContain(GitHubToken, lint.All);
    }

    [Fact]
    public async Task RejectedToken_IsOneErrorLineWithAHint_AndTheTokenIsNotPrinted()
    {
        var options = new GitHubEmulatorOptions();
        options.AcceptedTokens.Add("ghp_the_only_token_the_emulator_accepts");
        await using var github = await GitHubEmulator.StartAsync(new InMemoryGitHub().AddRepository(Repo), options);
        using var mlenv = new Mlenv();
        mlenv.Write("mlenv.json", MlEnvironmentsJson.Serialize(Repository(Repo, Environment("dev"))));
        mlenv.Environment["GITHUB_TOKEN"] = "ghp_wrong_token_that_must_never_be_printed";
        mlenv.Environment["MLENV_GITHUB_URL"] = github.BaseAddress.ToString();

        var plan = await mlenv.RunAsync("plan");

        Assert.True(plan.ExitCode == 1, plan.ToString());
        var lines = plan.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("hint: ", lines[1], StringComparison.Ordinal);
        Assert.Contains("GITHUB_TOKEN", plan.Error);
        Assert.DoesNotContain("ghp_wrong_token_that_must_never_be_printed", plan.All);
    }
}
