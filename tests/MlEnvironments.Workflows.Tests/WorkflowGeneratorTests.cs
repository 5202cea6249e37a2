using System.Diagnostics;
using System.Reflection;
using MlEnvironments.GitHub;
using MlEnvironments.Workflows.Tests.Support;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Workflows.Tests;

public class WorkflowGeneratorTests
{
    [Fact]
    public void Generate_DevStagingProd_RoundTripsThroughYamlDotNet_WithTheWorkflowShape()
    {
        var file = new WorkflowGenerator().Generate(Definitions.DevStagingProd());
        var workflow = Definitions.Parse(file.Content);

        Assert.Equal(".github/workflows/promote.yml", file.Path);
        Assert.Equal(["name", "run-name", "on", "permissions", "concurrency", "jobs"], workflow.Keys());
        Assert.Equal("Promote model", workflow.Text("name"));
        Assert.Equal("mlenv promote ${{ inputs.model }}@${{ inputs.version }}", workflow.Text("run-name"));
        Assert.Contains("run-name: \"mlenv promote ${{ inputs.model }}@${{ inputs.version }}\"", file.Content);

        var inputs = workflow.At("on", "workflow_dispatch", "inputs");
        Assert.Equal(["model", "version", "stop_at"], inputs.Keys());
        Assert.Equal("true", inputs.Text("model", "required"));
        Assert.Equal("string", inputs.Text("model", "type"));
        Assert.Equal("true", inputs.Text("version", "required"));
        Assert.Equal("string", inputs.Text("version", "type"));
        Assert.Equal("choice", inputs.Text("stop_at", "type"));
        Assert.Equal(["dev", "staging", "prod"], ((YamlSequenceNode)inputs.At("stop_at", "options")).Children.Select(n => ((YamlScalarNode)n).Value));
        Assert.Equal("prod", inputs.Text("stop_at", "default"));

        Assert.Equal(["id-token", "contents", "deployments", "actions"], workflow.At("permissions").Keys());
        Assert.Equal("read", workflow.Text("permissions", "actions"));
        Assert.Equal("write", workflow.Text("permissions", "id-token"));
        Assert.Equal("read", workflow.Text("permissions", "contents"));
        Assert.Equal("write", workflow.Text("permissions", "deployments"));

        Assert.Equal(["dev", "staging", "prod"], workflow.At("jobs").Keys());
        Assert.False(workflow.At("jobs", "dev").Has("needs"));
        Assert.False(workflow.At("jobs", "dev").Has("if"));
        Assert.Equal("dev", workflow.Text("jobs", "staging", "needs"));
        Assert.Equal("staging", workflow.Text("jobs", "prod", "needs"));
        Assert.Equal("needs.dev.outputs.next == 'true'", workflow.Text("jobs", "staging", "if"));
        Assert.Equal("needs.staging.outputs.next == 'true'", workflow.Text("jobs", "prod", "if"));
        foreach (var (job, environment) in new[] { ("dev", "dev"), ("staging", "staging") })
        {
            Assert.Equal("${{ steps.next.outputs.next }}", workflow.Text("jobs", job, "outputs", "next"));
            var next = Assert.Single(workflow.Steps(job), s => s.Has("id") && s.Text("id") == "next");
            Assert.Equal("${{ inputs.stop_at }}", next.Text("env", "STOP_AT"));
            Assert.Equal(environment, next.Text("env", "THIS_ENVIRONMENT"));
            Assert.Contains("if [ \"$STOP_AT\" = \"$THIS_ENVIRONMENT\" ]; then", next.Text("run"), StringComparison.Ordinal);
        }

        Assert.False(workflow.At("jobs", "prod").Has("outputs"));
        foreach (var (job, workspace) in new[] { ("dev", "mlw-dev"), ("staging", "mlw-staging"), ("prod", "mlw-prod") })
        {
            Assert.Equal(job, workflow.Text("jobs", job, "environment", "name"));
            Assert.Equal(
                $"https://ml.azure.com/?wsid=/subscriptions/{Definitions.Subscription}/resourceGroups/rg-ml-{job}/providers/Microsoft.MachineLearningServices/workspaces/{workspace}",
                workflow.Text("jobs", job, "environment", "url"));
            Assert.Equal("ubuntu-latest", workflow.Text("jobs", job, "runs-on"));
            var steps = workflow.Steps(job).SkipWhile(s => job == "dev" && s.Has("name") && s.Text("name") == "Check the inputs").ToList();
            Assert.Equal("actions/checkout@v4", steps[0].Text("uses"));
            Assert.Equal("actions/setup-dotnet@v4", steps[1].Text("uses"));
            Assert.Equal("10.0.x", steps[1].Text("with", "dotnet-version"));
            Assert.Equal(
                "dotnet tool install MlEnvironments.Cli --tool-path \"$RUNNER_TEMP/mlenv\" --version \"$TOOL_VERSION\"\necho \"$RUNNER_TEMP/mlenv\" >> \"$GITHUB_PATH\"\n",
                steps[2].Text("run"));
            Assert.Equal(WorkflowGenerationOptions.DefaultToolVersion, steps[2].Text("env", "TOOL_VERSION"));
        }

        Assert.Equal("Check the inputs", workflow.Steps("dev")[0].Text("name"));
    }

    [Fact]
    public void Generate_LogsInTheWayEachBindingSays()
    {
        var workflow = Definitions.Parse(new WorkflowGenerator().Generate(Definitions.DevStagingProd()).Content);

        var devLogin = Assert.Single(workflow.Steps("dev"), s => s.Has("uses") && s.Text("uses") == "azure/login@v2");
        Assert.Equal(["creds"], devLogin.At("with").Keys());
        Assert.Equal("${{ secrets.AZURE_CREDENTIALS }}", devLogin.Text("with", "creds"));

        foreach (var job in new[] { "staging", "prod" })
        {
            var steps = workflow.Steps(job);
            var login = Assert.Single(steps, s => s.Has("uses") && s.Text("uses") == "azure/login@v2");
            Assert.Equal("${{ vars.AZURE_CLIENT_ID }}", login.Text("with", "client-id"));
            Assert.Equal("${{ vars.AZURE_TENANT_ID }}", login.Text("with", "tenant-id"));
            Assert.Equal("${{ vars.AZURE_SUBSCRIPTION_ID }}", login.Text("with", "subscription-id"));
            Assert.True(steps.ToList().IndexOf(login) < steps.Count - 1, "the login comes before mlenv promote");
        }

        Assert.Equal(WorkspaceLogin.ClientIdVariable, "AZURE_CLIENT_ID");
        Assert.Equal(WorkspaceLogin.TenantIdVariable, "AZURE_TENANT_ID");
        Assert.Equal(WorkspaceBinding.SubscriptionVariable, "AZURE_SUBSCRIPTION_ID");
        Assert.Equal(WorkspaceLogin.CredentialsSecretName, "AZURE_CREDENTIALS");
    }

    [Fact]
    public void Generate_PromotionSteps_RunMlenvPromote_FromThePreviousEnvironment_IntoTheStepSummary()
    {
        var workflow = Definitions.Parse(new WorkflowGenerator().Generate(Definitions.DevStagingProd()).Content);

        foreach (var (from, to) in new[] { ("dev", "staging"), ("staging", "prod") })
        {
            var promote = workflow.Promote(to);
            Assert.Equal("mlenv promote --file=\"$MLENV_FILE\" --repository=\"$MLENV_REPOSITORY\" --from=\"$FROM_ENVIRONMENT\" --to=\"$TO_ENVIRONMENT\" --model=\"$MODEL\" --version=\"$VERSION\" --run-id \"$GITHUB_RUN_ID\" --output markdown >> \"$GITHUB_STEP_SUMMARY\"", promote.Text("run"));
            Assert.Equal("mlenv.json", promote.Text("env", "MLENV_FILE"));
            Assert.Equal("octo-org/credit-risk", promote.Text("env", "MLENV_REPOSITORY"));
            Assert.Equal(from, promote.Text("env", "FROM_ENVIRONMENT"));
            Assert.Equal(to, promote.Text("env", "TO_ENVIRONMENT"));
            Assert.Equal("${{ inputs.model }}", promote.Text("env", "MODEL"));
            Assert.Equal("${{ inputs.version }}", promote.Text("env", "VERSION"));
            Assert.Equal("${{ github.token }}", promote.Text("env", "GH_TOKEN"));
            Assert.Equal("${{ github.token }}", promote.Text("env", "GITHUB_TOKEN"));
        }

        Assert.DoesNotContain(workflow.Steps("dev"), s => s.Has("run") && s.Text("run").Contains("mlenv promote", StringComparison.Ordinal));
    }

    [Fact]
    public void Generate_NeverPutsAnExpressionInAShellScript()
    {
        var workflow = Definitions.Parse(new WorkflowGenerator().Generate(Definitions.DevStagingProd()).Content);

        var scripts = workflow.At("jobs").Keys().SelectMany(job => workflow.Steps(job)).Where(s => s.Has("run")).Select(s => s.Text("run")).ToList();
        Assert.NotEmpty(scripts);
        Assert.All(scripts, script => Assert.DoesNotContain("${{", script, StringComparison.Ordinal));
    }

    [Fact]
    public void Generate_FirstEnvironment_ValidatesTrainsAndChecksTheModelVersion()
    {
        var workflow = Definitions.Parse(new WorkflowGenerator().Generate(Definitions.DevStagingProd()).Content);

        var runs = workflow.Steps("dev").Where(s => s.Has("run")).Select(s => s.Text("run")).ToList();
        Assert.Equal("Train in dev", workflow.Text("jobs", "dev", "name"));
        Assert.Contains("mlenv validate --file=\"$MLENV_FILE\" --repository=\"$MLENV_REPOSITORY\"", runs);
        Assert.Contains("az extension add --name ml --yes", runs);
        var train = Assert.Single(workflow.Steps("dev"), s => s.Has("run") && s.Text("run").StartsWith("az ml job create", StringComparison.Ordinal));
        Assert.Contains("--file \"$JOB_FILE\"", train.Text("run"), StringComparison.Ordinal);
        Assert.Contains("--stream", train.Text("run"), StringComparison.Ordinal);
        Assert.Equal("train/job.yml", train.Text("env", "JOB_FILE"));
        Assert.Equal("${{ vars.AZUREML_WORKSPACE }}", train.Text("env", "AZUREML_WORKSPACE"));
        Assert.Contains(runs, r => r.StartsWith("az ml model show --name \"$MODEL\" --version \"$VERSION\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Generate_Options_NameTheWorkflow_PinTheTool_MoveTheDefinition_AndDropTraining()
    {
        var generator = new WorkflowGenerator(new WorkflowGenerationOptions
        {
            WorkflowName = "Ship the model",
            FileName = "ship.yaml",
            ToolVersion = "0.3.1",
            ToolSource = "https://pkgs.example.com/nuget/v3/index.json",
            IncludeTrainingJob = false,
            DefinitionFile = "config/mlenv.json",
            RunsOn = "self-hosted",
            DotNetVersion = "10.0.1xx",
        });

        var file = generator.Generate(Definitions.DevStagingProd());
        var workflow = Definitions.Parse(file.Content);

        Assert.Equal(".github/workflows/ship.yaml", file.Path);
        Assert.Equal("Ship the model", workflow.Text("name"));
        Assert.Equal("Check in dev", workflow.Text("jobs", "dev", "name"));
        Assert.Equal("self-hosted", workflow.Text("jobs", "prod", "runs-on"));
        Assert.Equal("10.0.1xx", workflow.Steps("prod")[1].Text("with", "dotnet-version"));
        Assert.StartsWith(
            "dotnet tool install MlEnvironments.Cli --tool-path \"$RUNNER_TEMP/mlenv\" --version \"$TOOL_VERSION\" --add-source \"$TOOL_SOURCE\"\n",
            workflow.Steps("prod")[2].Text("run"),
            StringComparison.Ordinal);
        Assert.Equal("0.3.1", workflow.Steps("prod")[2].Text("env", "TOOL_VERSION"));
        Assert.Equal("https://pkgs.example.com/nuget/v3/index.json", workflow.Steps("prod")[2].Text("env", "TOOL_SOURCE"));
        Assert.DoesNotContain("az ml job create", file.Content, StringComparison.Ordinal);
        Assert.Contains(workflow.Steps("dev"), s => s.Has("run") && s.Text("run") == "mlenv validate --file=\"$MLENV_FILE\" --repository=\"$MLENV_REPOSITORY\"" && s.Text("env", "MLENV_FILE") == "config/mlenv.json");
        Assert.Equal("config/mlenv.json", workflow.Promote("prod").Text("env", "MLENV_FILE"));
        Assert.Equal("staging", workflow.Promote("prod").Text("env", "FROM_ENVIRONMENT"));
        Assert.Contains("from config/mlenv.json", file.Content.Split('\n')[0], StringComparison.Ordinal);
        Assert.Contains("gh workflow run ship.yaml", file.Content, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_WithoutOidc_DoesNotAskForAnIdToken()
    {
        var definition = Repository("octo-org/plain",
            Environment("dev").Bound("mlw-dev"),
            Environment("prod").RequireReviewers(User("ana")).Bound("mlw-prod"));

        var workflow = Definitions.Parse(new WorkflowGenerator().Generate(definition).Content);

        Assert.Equal(["contents", "deployments", "actions"], workflow.At("permissions").Keys());
        Assert.Contains(workflow.Steps("prod"), s => s.Has("with") && s.At("with").Keys().Contains("creds"));
    }

    [Fact]
    public void Generate_ASingleUnboundEnvironment_HasNoUrlOrAzureSteps()
    {
        var workflow = Definitions.Parse(new WorkflowGenerator().Generate(Repository("octo-org/plain", Environment("dev"))).Content);

        Assert.Equal(["name"], workflow.At("jobs", "dev", "environment").Keys());
        Assert.Equal("Check in dev", workflow.Text("jobs", "dev", "name"));
        Assert.DoesNotContain(workflow.Steps("dev"), s => s.Has("uses") && s.Text("uses").StartsWith("azure/", StringComparison.Ordinal));
        Assert.DoesNotContain(workflow.Steps("dev"), s => s.Has("run") && s.Text("run").StartsWith("az ", StringComparison.Ordinal));
    }

    [Fact]
    public void Generate_APipelineWithAnUnboundEnvironment_IsRefused_NamingIt()
    {
        var definition = Repository("octo-org/plain", Environment("dev").Bound("mlw-dev"), Environment("prod"));

        var error = Assert.Throws<ArgumentException>(() => new WorkflowGenerator().Generate(definition));

        Assert.Contains("Environment 'prod' has no workspace binding, and it is a promotion target", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_AwkwardEnvironmentNames_GiveValidJobIds_QuotedShellWords_AndStringScalars()
    {
        var definition = Repository("octo-org/odd",
            Environment("2-canary").Bound("mlw-1"),
            Environment("Pre Prod").Bound("mlw-2"),
            Environment("yes").Bound("mlw-3"),
            Environment("pre-prod").Bound("mlw-4"));

        var file = new WorkflowGenerator().Generate(definition);
        var workflow = Definitions.Parse(file.Content);

        Assert.Equal(["env-2-canary", "Pre-Prod", "yes", "pre-prod-2"], workflow.At("jobs").Keys());
        Assert.All(workflow.At("jobs").Keys(), id => Assert.Matches("^[A-Za-z_][A-Za-z0-9_-]*$", id));
        Assert.Equal("Pre Prod", workflow.Text("jobs", "Pre-Prod", "environment", "name"));
        Assert.Equal("mlenv promote --file=\"$MLENV_FILE\" --repository=\"$MLENV_REPOSITORY\" --from=\"$FROM_ENVIRONMENT\" --to=\"$TO_ENVIRONMENT\" --model=\"$MODEL\" --version=\"$VERSION\" --run-id \"$GITHUB_RUN_ID\" --output markdown >> \"$GITHUB_STEP_SUMMARY\"", workflow.Promote("Pre-Prod").Text("run"));
        Assert.Equal("2-canary", workflow.Promote("Pre-Prod").Text("env", "FROM_ENVIRONMENT"));
        Assert.Equal("Pre Prod", workflow.Promote("Pre-Prod").Text("env", "TO_ENVIRONMENT"));
        Assert.Equal("env-2-canary", workflow.Text("jobs", "Pre-Prod", "needs"));
        var yes = (YamlScalarNode)workflow.At("jobs", "yes", "environment", "name");
        Assert.Equal("yes", yes.Value);
        Assert.NotEqual(ScalarStyle.Plain, yes.Style);
        Assert.Equal("needs.Pre-Prod.outputs.next == 'true'", workflow.Text("jobs", "yes", "if"));
    }

    [Fact]
    public void Generate_HeaderSaysItIsGenerated_ByWhat_AndFromWhat()
    {
        var content = new WorkflowGenerator().Generate(Definitions.DevStagingProd()).Content;
        var lines = content.Split('\n');

        Assert.True(WorkflowGenerator.IsGenerated(content));
        Assert.StartsWith("# Generated by mlenv workflow generate (MlEnvironments.Workflows ", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("from mlenv.json,", lines[0], StringComparison.Ordinal);
        Assert.Equal("# the definition of octo-org/credit-risk: dev -> staging -> prod.", lines[1]);
        Assert.StartsWith("# Do not edit by hand", lines[2], StringComparison.Ordinal);
        Assert.False(WorkflowGenerator.IsGenerated("name: hand written\non: push\n"));
        Assert.DoesNotContain("\r", content, StringComparison.Ordinal);
        Assert.DoesNotContain("\n...", content, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_IsDeterministic_AndItsOutputLintsClean()
    {
        var definition = Definitions.DevStagingProd();
        var first = new WorkflowGenerator().Generate(definition);
        var second = new WorkflowGenerator().Generate(definition);

        var result = new WorkflowLinter(definition).Lint([first]);

        Assert.Equal(first.Content, second.Content);
        Assert.Empty(result.Findings);
    }

    [Fact]
    public void Generate_RefusesUnusableOptions_AndEmptyOrInvalidDefinitions()
    {
        var options = new WorkflowGenerationOptions { FileName = "../evil.yml", ToolVersion = "1.0; rm -rf /", TrainingJobFile = "$(whoami).yml", ToolSource = "https://feed.example.com/'; rm -rf /" };

        var error = Assert.Throws<ArgumentException>(() => new WorkflowGenerator(options));

        Assert.Contains("FileName", error.Message, StringComparison.Ordinal);
        Assert.Contains("ToolVersion", error.Message, StringComparison.Ordinal);
        Assert.Contains("TrainingJobFile", error.Message, StringComparison.Ordinal);
        Assert.Contains("ToolSource", error.Message, StringComparison.Ordinal);
        foreach (var source in new[] { "./nupkg", "ftp://feed.example.com/", "https://feed.example.com/${{ secrets.X }}", "https://feed.example.com/a b" })
        {
            Assert.Contains(new WorkflowGenerationOptions { ToolSource = source }.Validate(), p => p.StartsWith("ToolSource", StringComparison.Ordinal));
        }

        Assert.Empty(new WorkflowGenerationOptions { ToolSource = "https://pkgs.dev.azure.com/org/_packaging/feed/nuget/v3/index.json" }.Validate());
        Assert.Throws<ArgumentException>(() => new WorkflowGenerator().Generate(Repository("octo-org/empty")));
        Assert.Throws<ValidationFailedException>(() => new WorkflowGenerator().Generate(Repository("octo-org/bad", Environment("a;b"))));
    }

    [Fact]
    public void Generate_CopiesItsOptions()
    {
        var options = new WorkflowGenerationOptions { WorkflowName = "First" };
        var generator = new WorkflowGenerator(options);
        options.WorkflowName = "Second";

        var workflow = Definitions.Parse(generator.Generate(Definitions.DevStagingProd()).Content);

        Assert.Equal("First", workflow.Text("name"));
    }

    [Fact]
    public void RunName_IsTheTitleThePromotionLibraryReadsBack()
    {
        var title = WorkflowGenerator.RunName
            .Replace("${{ inputs.model }}", "credit-risk", StringComparison.Ordinal)
            .Replace("${{ inputs.version }}", "7", StringComparison.Ordinal);

        Assert.Equal(Promotion.PromotionRunTitle.Format("credit-risk", "7"), title);
        Assert.True(Promotion.PromotionRunTitle.TryParse(title, out var model, out var version));
        Assert.Equal("credit-risk", model);
        Assert.Equal("7", version);
    }

    [Fact]
    public void GetStudioUrl_PointsAtTheWorkspace()
    {
        var url = WorkflowGenerator.GetStudioUrl(Workspace(Definitions.Subscription, "rg", "mlw"));

        Assert.Equal($"https://ml.azure.com/?wsid=/subscriptions/{Definitions.Subscription}/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces/mlw", url.AbsoluteUri);
    }

    [Fact]
    public void GeneratedFile_IsAGitHubWorkflowFile()
    {
        GitHubWorkflowFile file = new WorkflowGenerator().Generate(Definitions.DevStagingProd());

        Assert.Equal(file.Path, file.ToString());
    }

    [Fact]
    public void Generate_FirstJob_ChecksTheInputsBeforeAnythingElse_ThroughEnvOnly()
    {
        var workflow = Definitions.Parse(new WorkflowGenerator().Generate(Definitions.DevStagingProd()).Content);

        var check = workflow.Steps("dev")[0];
        Assert.Equal("Check the inputs", check.Text("name"));
        Assert.Equal("bash", check.Text("shell"));
        Assert.Equal("${{ inputs.model }}", check.Text("env", "MODEL"));
        Assert.Equal("${{ inputs.version }}", check.Text("env", "VERSION"));
        var script = check.Text("run");
        Assert.Contains("pattern='^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$'", script, StringComparison.Ordinal);
        Assert.Contains("[[ ! \"$MODEL\" =~ $pattern ]]", script, StringComparison.Ordinal);
        Assert.Contains("[[ ! \"$VERSION\" =~ $pattern ]]", script, StringComparison.Ordinal);
        Assert.Contains("echo \"::error::Input 'model'", script, StringComparison.Ordinal);
        Assert.Contains("echo \"::error::Input 'version'", script, StringComparison.Ordinal);
        Assert.DoesNotContain(workflow.Steps("staging"), s => s.Has("name") && s.Text("name") == "Check the inputs");
    }

    [Theory]
    [InlineData("credit-risk", "3", 0)]
    [InlineData("credit_risk.v2", "2024.01-rc1", 0)]
    [InlineData("@/proc/self/environ", "1", 1)]
    [InlineData("fraud", "@/etc/passwd", 1)]
    [InlineData("--help", "1", 1)]
    [InlineData("fraud", "", 1)]
    [InlineData("bad name", "1", 1)]
    [InlineData("fraud", "1\n::set-output name=x::y", 1)]
    public void Generate_InputCheck_RunInBash_RefusesWhatACliCouldReadAsAFileOrAnOption(string model, string version, int expectedExit)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var workflow = Definitions.Parse(new WorkflowGenerator().Generate(Definitions.DevStagingProd()).Content);
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(workflow.Steps("dev")[0].Text("run"));
        start.Environment["MODEL"] = model;
        start.Environment["VERSION"] = version;

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        Assert.Equal(expectedExit, process.ExitCode);
        if (expectedExit != 0)
        {
            // One line, and never the input itself: a workflow command in it must not reach the log.
            var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("::error::Input '", line, StringComparison.Ordinal);
            Assert.DoesNotContain("/", line, StringComparison.Ordinal);
            Assert.DoesNotContain("set-output", line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Generate_BoundEnvironmentWithoutLogin_IsRefused_NamingItAndWhatToAdd()
    {
        var definition = Repository("octo-org/credit-risk",
            Environment("dev").BindWorkspace(Workspace(Definitions.Subscription, "rg", "mlw-dev"))
                .UseServicePrincipalLogin(Guid.NewGuid(), Guid.NewGuid(), SecretFromEnvironmentVariable("SP")),
            Environment("staging").BindWorkspace(Workspace(Definitions.Subscription, "rg", "mlw-staging")),
            Environment("prod").RequireReviewers(User("ana")).BindWorkspace(Workspace(Definitions.Subscription, "rg", "mlw-prod"))
                .UseOidcLogin(ManagedIdentity(Definitions.Subscription, "rg-identities", "id-github-prod")));

        var problem = Assert.Single(WorkflowGenerator.FindMissingLogins(definition));
        var error = Assert.Throws<ArgumentException>(() => new WorkflowGenerator().Generate(definition));

        Assert.StartsWith("Environment 'staging' is bound to workspace 'mlw-staging' but has no Azure login", problem, StringComparison.Ordinal);
        Assert.Contains("`mlenv promote`", problem, StringComparison.Ordinal);
        Assert.Contains("UseOidcLogin(...) or UseServicePrincipalLogin(...)", problem, StringComparison.Ordinal);
        Assert.Contains("\"login\"", problem, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Equal("definition", error.ParamName);
    }

    [Fact]
    public void FindMissingLogins_CoversTheFirstEnvironment_AndUnboundOnesOfAPipeline()
    {
        var definition = Repository("octo-org/credit-risk",
            Environment("dev").BindWorkspace(Workspace(Definitions.Subscription, "rg", "mlw-dev")),
            Environment("prod"));

        var problems = WorkflowGenerator.FindMissingLogins(definition);

        Assert.Equal(2, problems.Count);
        Assert.StartsWith("Environment 'dev' ", problems[0], StringComparison.Ordinal);
        Assert.Contains("Azure CLI", problems[0], StringComparison.Ordinal);
        Assert.StartsWith("Environment 'prod' has no workspace binding", problems[1], StringComparison.Ordinal);
        Assert.Empty(WorkflowGenerator.FindMissingLogins(Definitions.DevStagingProd()));
        Assert.Empty(WorkflowGenerator.FindMissingLogins(Repository("octo-org/plain", Environment("dev"))));
        Assert.Equal(2, WorkflowGenerator.FindMissingLogins(Repository("octo-org/plain", Environment("dev"), Environment("prod"))).Count);
    }

    [Fact]
    public void Generate_PassesTheRepository_EvenWhenItIsNotTheFilesDefault()
    {
        var definition = Repository("other-org/fork", Environment("dev").Bound("mlw-dev"), Environment("prod").Bound("mlw-prod"));

        var workflow = Definitions.Parse(new WorkflowGenerator(new WorkflowGenerationOptions { DefinitionFile = "deploy/all-repos.json" }).Generate(definition).Content);

        Assert.Contains(workflow.Steps("dev"), s => s.Has("run") && s.Text("run").StartsWith("mlenv validate ", StringComparison.Ordinal) &&
            s.Text("env", "MLENV_FILE") == "deploy/all-repos.json" && s.Text("env", "MLENV_REPOSITORY") == "other-org/fork");
        Assert.Equal("other-org/fork", workflow.Promote("prod").Text("env", "MLENV_REPOSITORY"));
        Assert.Equal("deploy/all-repos.json", workflow.Promote("prod").Text("env", "MLENV_FILE"));
    }

    [Fact]
    public void ToolVersion_DefaultsToThisAssemblysVersion_WithoutBuildMetadata_AndNullPinsItToo()
    {
        var informational = typeof(WorkflowGenerator).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion;

        Assert.Equal(informational.Split('+')[0], WorkflowGenerationOptions.DefaultToolVersion);
        Assert.DoesNotContain("+", WorkflowGenerationOptions.DefaultToolVersion, StringComparison.Ordinal);
        Assert.Equal(WorkflowGenerationOptions.DefaultToolVersion, new WorkflowGenerationOptions().ToolVersion);
        var content = new WorkflowGenerator(new WorkflowGenerationOptions { ToolVersion = null }).Generate(Definitions.DevStagingProd()).Content;
        Assert.Contains($"TOOL_VERSION: \"{WorkflowGenerationOptions.DefaultToolVersion}\"\n", content, StringComparison.Ordinal);
        Assert.DoesNotContain("--global", content, StringComparison.Ordinal);
        Assert.DoesNotContain("--add-source", content, StringComparison.Ordinal);
    }
}
