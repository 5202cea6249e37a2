using System.Text.Json;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Cli.Tests;

/// <summary>Flags, files, help and exit codes, through the built tool; nothing here needs a network.</summary>
public class CommandLineTests
{
    [Theory]
    [InlineData("plan", "--bogus")]
    [InlineData("plan", "--output", "xml")]
    [InlineData("frobnicate")]
    [InlineData("apply", "--auto-approve", "extra")]
    [InlineData("workflow", "lint", "--remote", "--ref")]
    [InlineData("promote", "--from", "dev", "--to", "staging")]
    [InlineData("approve", "--run-id", "not-a-number", "--comment", "ok")]
    [InlineData("history")]
    [InlineData("rollback", "--environment", "prod")]
    [InlineData("dispatch", "--model", "fraud")]
    public async Task BadFlags_ExitOne_WithEveryErrorAndAHint(params string[] arguments)
    {
        using var mlenv = new Mlenv();

        var result = await mlenv.RunAsync(arguments);

        Assert.True(result.ExitCode == 1, result.ToString());
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.All(lines[1..^1], l => Assert.StartsWith("  - ", l, StringComparison.Ordinal));
        Assert.Equal(lines.Length == 2 ? "error: " : $"error: {lines.Length - 2} problems with the command line:", lines.Length == 2 ? lines[0][..7] : lines[0]);
        Assert.StartsWith("hint: run `mlenv", lines[^1], StringComparison.Ordinal);
        Assert.Contains("--help", lines[^1], StringComparison.Ordinal);
        Assert.DoesNotContain("more)", result.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Output);
    }

    [Fact]
    public async Task NoCommand_IsAnError()
    {
        using var mlenv = new Mlenv();

        var result = await mlenv.RunAsync();

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingFile_SaysWhereItLooked_AndHowToCreateOne()
    {
        using var mlenv = new Mlenv();

        var result = await mlenv.RunAsync("validate");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: mlenv.json not found (in ", result.Error, StringComparison.Ordinal);
        Assert.Contains("hint: run `mlenv init --repository owner/name`", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{ \"repository\": \"octo-org/x\", ", "not valid JSON")]
    [InlineData("{ \"repository\": \"octo-org/x\", \"environments\": [ { \"nme\": \"prod\" } ] }", "$.environments[0].nme")]
    [InlineData("{ \"repository\": \"not a repository\" }", "$.repository")]
    public async Task MalformedFiles_ExitOne_NamingTheFileAndWhere(string content, string expected)
    {
        using var mlenv = new Mlenv();
        mlenv.Write("broken.json", content);

        var result = await mlenv.RunAsync("plan", "--file", "broken.json", "--in-memory");

        Assert.True(result.ExitCode == 1, result.ToString());
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("error: broken.json: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
        Assert.StartsWith("hint: ", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidDefinition_ListsEveryViolation_WithPathAndRule()
    {
        using var mlenv = new Mlenv();
        mlenv.Write("mlenv.json", """
            {
              "repository": "octo-org/x",
              "environments": [
                { "name": "prod", "reviewers": ["user:ana", "user:ana"], "waitTimerMinutes": 99999, "preventSelfReview": true }
              ]
            }
            """);

        var text = await mlenv.RunAsync("validate");
        var json = await mlenv.RunAsync("validate", "--output", "json");
        var plan = await mlenv.RunAsync("plan", "--in-memory");

        Assert.Equal(1, text.ExitCode);
        Assert.Contains("error: The definition is not valid (2 problems):", text.Error);
        Assert.Contains("  - environments[prod].reviewers[1]: ", text.Error);
        Assert.Contains("[reviewer-duplicate]", text.Error);
        Assert.Contains("  - environments[prod].waitTimerMinutes: ", text.Error);
        Assert.Contains("[wait-timer-range]", text.Error);
        Assert.Equal(1, json.ExitCode);
        using var document = JsonDocument.Parse(json.Output);
        Assert.False(document.RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal(["reviewer-duplicate", "wait-timer-range"],
            document.RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("rule").GetString()));
        Assert.Equal(1, plan.ExitCode);
        Assert.Contains("[wait-timer-range]", plan.Error);
    }

    [Fact]
    public async Task Precedence_FileThenEnvironmentThenFlag()
    {
        using var mlenv = new Mlenv();
        mlenv.Write("mlenv.json", MlEnvironmentsJson.Serialize(Repository("octo-org/from-file", Environment("dev"))));
        mlenv.Write("other.json", MlEnvironmentsJson.Serialize(Repository("octo-org/other-file", Environment("dev"))));

        var file = await mlenv.RunAsync("validate", "-o", "json");
        mlenv.Environment["MLENV_REPOSITORY"] = "octo-org/from-environment";
        mlenv.Environment["MLENV_FILE"] = "other.json";
        var environment = await mlenv.RunAsync("validate", "-o", "json");
        var flag = await mlenv.RunAsync("validate", "-o", "json", "--repository", "octo-org/from-flag", "--file", "mlenv.json");

        Assert.Equal("octo-org/from-file", RepositoryOf(file));
        Assert.Equal("octo-org/from-environment", RepositoryOf(environment));
        Assert.Contains("\"file\": \"other.json\"", environment.Output);
        Assert.Equal("octo-org/from-flag", RepositoryOf(flag));
        Assert.Contains("\"file\": \"mlenv.json\"", flag.Output);

        static string? RepositoryOf(Mlenv.Result result)
        {
            Assert.True(result.ExitCode == 0, result.ToString());
            using var document = JsonDocument.Parse(result.Output);
            return document.RootElement.GetProperty("repository").GetString();
        }
    }

    [Fact]
    public async Task NoCredentials_IsAnError_WithTheInMemoryHint()
    {
        using var mlenv = new Mlenv();
        mlenv.Write("mlenv.json", MlEnvironmentsJson.Serialize(Repository("octo-org/x", Environment("dev"))));

        var result = await mlenv.RunAsync("plan");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error: No GitHub credentials: GITHUB_TOKEN is not set.", result.Error);
        Assert.Contains("--in-memory", result.Error);
    }

    [Fact]
    public async Task EmulatorOnlyAzureToken_IsRefusedForRealAzure_AndNotPrinted()
    {
        using var mlenv = new Mlenv();
        mlenv.Write("mlenv.json", MlEnvironmentsJson.Serialize(Repository("octo-org/x",
            Environment("dev").BindWorkspace(Workspace("00000000-0000-0000-0000-000000000001", "rg", "mlw")))));
        mlenv.Environment["GITHUB_TOKEN"] = "ghp_some_token_value_123456";
        mlenv.Environment["MLENV_AZURE_TOKEN"] = "static-arm-token-never-printed";

        var result = await mlenv.RunAsync("plan");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("MLENV_AZURE_TOKEN is for the loopback Azure Resource Manager emulator only", result.Error);
        Assert.DoesNotContain("static-arm-token-never-printed", result.All);
        Assert.DoesNotContain("ghp_some_token_value_123456", result.All);
    }

    [Fact]
    public async Task InMemory_PlansChanges_ThenApplies_WithoutCredentials()
    {
        using var mlenv = new Mlenv();
        var init = await mlenv.RunAsync("init", "--repository", "octo-org/scaffold", "--azure-subscription", "00000000-0000-0000-0000-000000000001");
        var plan = await mlenv.RunAsync("plan", "--in-memory");
        var markdown = await mlenv.RunAsync("plan", "--in-memory", "--output", "markdown");
        var apply = await mlenv.RunAsync("apply", "--in-memory", "--auto-approve");
        var again = await mlenv.RunAsync("init", "--repository", "octo-org/scaffold");

        Assert.True(init.ExitCode == 0, init.ToString());
        var definition = MlEnvironmentsJson.DeserializeRepository(mlenv.Read("mlenv.json"));
        Assert.Equal(["dev", "staging", "prod"], definition.Environments.Select(e => e.Name));
        Assert.Equal("mlw-prod", definition.FindEnvironment("prod")!.Binding!.Workspace.WorkspaceName);
        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Contains("+ environment \"staging\": branch pattern \"main\"", plan.Output);
        Assert.Contains("In memory", plan.Output);
        Assert.Equal(0, markdown.ExitCode);
        Assert.StartsWith("### Plan for `octo-org/scaffold`", markdown.Output, StringComparison.Ordinal);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Contains("Apply complete:", apply.Output);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("mlenv.json already exists", again.Error);
        Assert.Contains("--force", again.Error);
    }

    [Fact]
    public async Task ApplyAsJson_WithoutAutoApprove_IsRefusedBeforeAnything()
    {
        using var mlenv = new Mlenv();
        mlenv.Write("mlenv.json", MlEnvironmentsJson.Serialize(Repository("octo-org/x", Environment("dev"))));

        var result = await mlenv.RunAsync("apply", "--in-memory", "--output", "json");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--auto-approve", result.Error);
        Assert.Equal(string.Empty, result.Output);
    }

    [Fact]
    public async Task InMemory_MissingSecret_APlaceholderStandsIn_AndTheOutputSaysWhichVariableSetsIt()
    {
        using var mlenv = new Mlenv();
        var init = await mlenv.RunAsync("init", "--repository", "octo-org/x", "--example");

        var plan = await mlenv.RunAsync("plan", "--in-memory");
        var apply = await mlenv.RunAsync("apply", "--in-memory", "--auto-approve");

        Assert.Equal(0, init.ExitCode);
        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Contains("a placeholder stood in for configuration key Secrets:DevServicePrincipal (environment variable Secrets__DevServicePrincipal)", plan.Output);
        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Contains("configuration key Secrets:ModelRegistryToken (environment variable Secrets__ModelRegistryToken)", apply.Output);
    }

    [Fact]
    public async Task Demo_TellsTheWholeStoryInOneScreen_AndExitsZero()
    {
        using var mlenv = new Mlenv();

        var result = await mlenv.RunAsync("demo");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("1. Plan", result.Output);
        Assert.Contains("Plan: 12 to add, 0 to change, 0 to destroy.", result.Output);
        Assert.Contains("Apply complete: 12 applied.", result.Output);
        Assert.Contains("No changes. GitHub matches the definition.", result.Output);
        Assert.Contains("fraud@1 promoted from staging to prod: registered in workspace 'mlw-prod', approved by ana.", result.Output);
        Assert.Contains("FAIL auc improves on the champion (higher is better, by ≥ 0.01) — auc 0.905 vs champion fraud@1 0.9", result.Output);
        Assert.Contains("1 of 2 gates fail: fraud@2 must not be promoted to prod.", result.Output);
        Assert.Contains("\"mlenv promote fraud@3\" started by bob", result.Output);
        Assert.Contains("waits on prod (reviewers: ana; you can approve)", result.Output);
        Assert.Matches(@"mlenv approve --run-id \d+: ana approved prod", result.Output);
        Assert.Contains("fraud@3 promoted from staging to prod: registered in workspace 'mlw-prod', approved by ana.", result.Output);
        Assert.Matches(@"promotion  fraud@2 +Failed", result.Output);
        Assert.Contains("fraud in prod rolled back from version 3 to 1 (gates skipped on request): latency regression in v3.", result.Output);
        Assert.Matches(@"rollback   fraud@1 +Succeeded .*gates skipped", result.Output);
        Assert.Contains("Done:", result.Output);
        Assert.Contains("fraud@1 is current there.", result.Output);
        Assert.True(result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length <= 45, result.Output);
        Assert.DoesNotContain("\u001b[", result.All, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Error);
    }

    [Fact]
    public async Task Promotion_InMemory_SaysWhatIsMissing_AndReadsAnEmptyLedger()
    {
        using var mlenv = new Mlenv();
        mlenv.Write("mlenv.json", MlEnvironmentsJson.Serialize(Repository("octo-org/x",
            Environment("dev").BindWorkspace(Workspace("00000000-0000-0000-0000-000000000001", "rg", "mlw-dev")),
            Environment("prod").RequireReviewers(User("ana")))));

        var unbound = await mlenv.RunAsync("promote", "--in-memory", "--from", "dev", "--to", "prod", "--model", "fraud", "--version", "1");
        var noModel = await mlenv.RunAsync("promote", "--in-memory", "--from", "dev", "--to", "prod", "--model", "bad name", "--version", "1");
        var history = await mlenv.RunAsync("history", "--in-memory", "--environment", "PROD");
        var undeclared = await mlenv.RunAsync("history", "--in-memory", "--environment", "qa");
        var pending = await mlenv.RunAsync("pending", "--in-memory", "--output", "json");
        var emptyComment = await mlenv.RunAsync("approve", "--in-memory", "--run-id", "1", "--comment", " ");

        Assert.True(unbound.ExitCode == 1, unbound.ToString());
        Assert.Contains("error: Environment 'prod' has no workspace binding", unbound.Error);
        Assert.Contains("hint: nothing was written; bind the environment", unbound.Error);
        Assert.True(noModel.ExitCode == 1, noModel.ToString());
        Assert.Contains("error: The model name 'bad name' is not valid in Azure Machine Learning", noModel.Error);
        Assert.True(history.ExitCode == 0, history.ToString());
        Assert.Contains("Promotion ledger of prod in octo-org/x (newest first):", history.Output);
        Assert.Contains("(no promotions)", history.Output);
        Assert.True(undeclared.ExitCode == 1, undeclared.ToString());
        Assert.Contains("error: --environment 'qa' is not declared for octo-org/x; declared: dev, prod.", undeclared.Error);
        Assert.True(pending.ExitCode == 0, pending.ToString());
        using (var document = JsonDocument.Parse(pending.Output))
        {
            Assert.Equal("octo-org/x", document.RootElement.GetProperty("repository").GetString());
            Assert.Empty(document.RootElement.GetProperty("pending").EnumerateArray());
        }

        Assert.True(emptyComment.ExitCode == 1, emptyComment.ToString());
        Assert.Contains("error: --comment is empty.", emptyComment.Error);
    }

    [Fact]
    public async Task Promotion_OutputFromEnvironmentThenFlag_AndTheRepositoryAloneIsEnough()
    {
        using var mlenv = new Mlenv();

        var noFile = await mlenv.RunAsync("history", "--in-memory", "--environment", "prod");
        mlenv.Environment["MLENV_REPOSITORY"] = "octo-org/only-a-name";
        mlenv.Environment["MLENV_OUTPUT"] = "json";
        var json = await mlenv.RunAsync("history", "--in-memory", "--environment", "prod");
        var text = await mlenv.RunAsync("history", "--in-memory", "--environment", "prod", "--output", "text");

        Assert.True(noFile.ExitCode == 1, noFile.ToString());
        Assert.Contains("mlenv.json not found", noFile.Error);
        Assert.True(json.ExitCode == 0, json.ToString());
        using (var document = JsonDocument.Parse(json.Output))
        {
            Assert.Equal("octo-org/only-a-name", document.RootElement.GetProperty("repository").GetString());
            Assert.Equal("prod", document.RootElement.GetProperty("environment").GetString());
        }

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.StartsWith("Promotion ledger of prod in octo-org/only-a-name", text.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("promote")]
    [InlineData("rollback")]
    public async Task Help_OfTheGatedCommands_ListsExitCodeThree(string command)
    {
        using var mlenv = new Mlenv();

        var result = await mlenv.RunAsync(command, "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("3    promote (also --dry-run), rollback: a gate failed; nothing was promoted", result.Output);
        Assert.DoesNotContain("2    plan", result.Output);
    }

    [Theory]
    [InlineData("approve")]
    [InlineData("reject")]
    public async Task Help_OfTheReviewCommands_SaysWhoMayReview(string command)
    {
        using var mlenv = new Mlenv();

        var result = await mlenv.RunAsync(command, "--help");

        Assert.Equal(0, result.ExitCode);
        var flat = string.Join(" ", result.Output.Split((char[])['\n', ' '], StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("one of the environment's required reviewers", flat);
        Assert.Contains("a GitHub App token, such as a workflow's github.token, cannot approve or reject", flat);
    }

    [Theory]
    [InlineData("init")]
    [InlineData("validate")]
    [InlineData("plan")]
    [InlineData("apply")]
    [InlineData("workflow")]
    [InlineData("workflow", "generate")]
    [InlineData("workflow", "lint")]
    [InlineData("promote")]
    [InlineData("pending")]
    [InlineData("approve")]
    [InlineData("reject")]
    [InlineData("history")]
    [InlineData("rollback")]
    [InlineData("dispatch")]
    [InlineData("demo")]
    public async Task Help_ForEveryCommand_ShowsItsOptionsAndAnExample(params string[] command)
    {
        using var mlenv = new Mlenv();

        var result = await mlenv.RunAsync([.. command, "--help"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Usage:", result.Output);
        Assert.Contains("Example", result.Output);
        Assert.Contains("  mlenv " + string.Join(" ", command), result.Output);
    }

    [Fact]
    public async Task RootHelp_ListsTheExitCodes()
    {
        using var mlenv = new Mlenv();

        var result = await mlenv.RunAsync("--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Exit codes:", result.Output);
        Assert.Contains("2    plan: there are changes to apply", result.Output);
        Assert.Contains("3    promote (also --dry-run), rollback: a gate failed; nothing was promoted", result.Output);
    }

    [Fact]
    public async Task AtFileArguments_AreTakenAsGiven_NeverExpandedFromTheFile()
    {
        using var mlenv = new Mlenv();
        mlenv.Write("mlenv.json", MlEnvironmentsJson.Serialize(Repository("octo-org/x",
            Environment("dev").BindWorkspace(Workspace("00000000-0000-0000-0000-000000000001", "rg", "mlw-dev")),
            Environment("prod").BindWorkspace(Workspace("00000000-0000-0000-0000-000000000001", "rg", "mlw-prod")))));
        const string Marker = "RESPONSE_FILE_CONTENT_MUST_NOT_LEAK_4711";
        var secretFile = Path.Combine(Path.GetTempPath(), "mlenv-cli-tests", "leak-" + Guid.NewGuid().ToString("N") + ".txt");
        File.WriteAllText(secretFile, Marker + "\n--version\n" + Marker + "\n");
        try
        {
            var model = await mlenv.RunAsync("promote", "--in-memory", "--from", "dev", "--to", "prod", "--model", "@" + secretFile, "--version", "1");
            var attached = await mlenv.RunAsync("promote", "--in-memory", "--from", "dev", "--to", "prod", "--model=@" + secretFile, "--version=@" + secretFile);
            var argument = await mlenv.RunAsync("validate", "@" + secretFile);

            foreach (var result in new[] { model, attached, argument })
            {
                Assert.True(result.ExitCode == 1, result.ToString());
                Assert.DoesNotContain(Marker, result.All, StringComparison.Ordinal);
            }

            Assert.Contains($"The model name '@{secretFile}' is not valid", model.Error, StringComparison.Ordinal);
            Assert.Contains($"'@{secretFile}'", argument.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(secretFile);
        }
    }

    [Fact]
    public async Task Init_InvalidScaffold_ListsEveryProblem_ExitsOne_AndWritesNothing()
    {
        using var mlenv = new Mlenv();

        var result = await mlenv.RunAsync("init", "--repository", "octo-org/x", "--environments", "dev,DEV", "--azure-subscription", "not-a-subscription");
        mlenv.Write("mlenv.json", "{ \"repository\": \"octo-org/kept\", \"environments\": [] }\n");
        var forced = await mlenv.RunAsync("init", "--repository", "octo-org/x", "--environments", "dev,DEV", "--force");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("error: The definition init would write is not valid (5 problems):", result.Error);
        Assert.Contains("[environment-name-duplicate]", result.Error);
        Assert.Contains("[workspace-subscription-id]", result.Error);
        Assert.Contains("[login-identity]", result.Error);
        Assert.Contains("hint: nothing was written to mlenv.json", result.Error);
        Assert.DoesNotContain("Wrote", result.All, StringComparison.Ordinal);
        Assert.Equal(1, forced.ExitCode);
        Assert.Contains("(1 problem)", forced.Error);
        Assert.Equal("{ \"repository\": \"octo-org/kept\", \"environments\": [] }\n", mlenv.Read("mlenv.json"));
    }

    [Fact]
    public async Task InMemory_AnExplicitFlagWinsOverTheEnvironmentVariable_EitherWay()
    {
        using var mlenv = new Mlenv();
        mlenv.Write("mlenv.json", MlEnvironmentsJson.Serialize(Repository("octo-org/x", Environment("dev"))));

        mlenv.Environment["MLENV_IN_MEMORY"] = "1";
        var fromVariable = await mlenv.RunAsync("plan");
        var flagOff = await mlenv.RunAsync("plan", "--in-memory", "false");
        var flagOffAttached = await mlenv.RunAsync("plan", "--in-memory=false");
        mlenv.Environment["MLENV_IN_MEMORY"] = "0";
        var flagOn = await mlenv.RunAsync("plan", "--in-memory");
        var variableOff = await mlenv.RunAsync("plan");

        Assert.True(fromVariable.ExitCode == 0, fromVariable.ToString());
        Assert.Contains("In memory", fromVariable.Output);
        foreach (var real in new[] { flagOff, flagOffAttached, variableOff })
        {
            Assert.True(real.ExitCode == 1, real.ToString());
            Assert.Contains("error: No GitHub credentials: GITHUB_TOKEN is not set.", real.Error);
        }

        Assert.True(flagOn.ExitCode == 0, flagOn.ToString());
        Assert.Contains("In memory", flagOn.Output);
    }
}
