using System.Security.Cryptography;
using System.Text.Json;
using MlEnvironments.GitHub;
using MlEnvironments.MachineLearning;
using MlEnvironments.Promotion;
using MlEnvironments.Testing;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Cli.Tests;

/// <summary>
/// The promotion commands as a separate process against the loopback GitHub (HTTP) and ARM (HTTPS) emulators, whose
/// state the test holds and seeds directly: trained models, metrics and waiting runs.
/// </summary>
public class PromotionCommandTests
{
    private const string GitHubToken = "ghp_cli_promotion_token_61d0aa";
    private const string ArmToken = "arm-cli-promotion-token-0c93f2";
    private const string Subscription = "00000000-0000-0000-0000-000000000001";
    private static readonly RepositoryId Repo = RepositoryId.Parse("octo-org/fraud-detection");
    private static readonly WorkspaceId Dev = Workspace(Subscription, "rg-ml", "mlw-dev");
    private static readonly WorkspaceId Staging = Workspace(Subscription, "rg-ml", "mlw-staging");
    private static readonly WorkspaceId Prod = Workspace(Subscription, "rg-ml", "mlw-prod");

    private static RepositoryDefinition Definition => Repository(Repo,
        Environment("dev").BindWorkspace(Dev),
        Environment("staging").BindWorkspace(Staging).WithGates(MetricAtLeast("auc", 0.85)),
        Environment("prod").BindWorkspace(Prod)
            .RequireReviewers(User("ana"))
            .WithGates(ImprovesOnChampion("auc", minAbsoluteChange: 0.01), MetricAtLeast("auc", 0.85)));

    [Fact]
    public async Task PromoteHistoryPendingApproveRollback_OverBothEmulators()
    {
        await using var world = await World.StartAsync();
        var mlenv = world.Mlenv;
        var github = world.GitHub;
        var ml = world.Arm.MachineLearning;
        var apply = await mlenv.RunAsync("apply", "--auto-approve");
        Assert.True(apply.ExitCode == 0, apply.ToString());

        // fraud@1: dev → staging names the registration; the ledger shows it; promoting it again is a no-op.
        await TrainAsync(ml, "1", 0.90);
        var v1Staging = await mlenv.RunAsync("promote", "--from", "dev", "--to", "staging", "--model", "fraud", "--version", "1");
        Assert.True(v1Staging.ExitCode == 0, v1Staging.ToString());
        Assert.Contains("PASS auc ≥ 0.85 — auc 0.9 ≥ 0.85", v1Staging.Output);
        Assert.Contains("fraud@1 promoted from dev to staging: registered in workspace 'mlw-staging'.", v1Staging.Output);
        var registered = (await ml.GetModelVersionAsync(Staging, "fraud", "1"))!;
        Assert.Equal(Dev.ResourceId, registered.Properties.Tags[ModelPromoter.SourceWorkspaceTag]);

        var history = await mlenv.RunAsync("history", "--environment", "staging");
        Assert.True(history.ExitCode == 0, history.ToString());
        Assert.Contains("Promotion ledger of staging in octo-org/fraud-detection (newest first):", history.Output);
        Assert.Matches(@"#\d+  promotion  fraud@1 +Succeeded +from dev", history.Output);
        Assert.Contains("Current in staging: fraud@1", history.Output);

        var again = await mlenv.RunAsync("promote", "--from", "dev", "--to", "staging", "--model", "fraud", "--version", "1");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("fraud@1 is already the current version in staging", again.Output);
        Assert.Single(await github.State.ListDeploymentsAsync(Repo, "staging", PromotionLedger.Task));

        var v1Prod = await mlenv.RunAsync("promote", "--from", "staging", "--to", "prod", "--model", "fraud", "--version", "1", "--approver", "ana", "--output", "markdown");
        Assert.True(v1Prod.ExitCode == 0, v1Prod.ToString());
        Assert.StartsWith("### ✅ `fraud@1` staging → prod", v1Prod.Output, StringComparison.Ordinal);
        Assert.Contains("**fraud@1 promoted from staging to prod: registered in workspace 'mlw-prod', approved by ana.**", v1Prod.Output);
        Assert.Contains("| Metric | Candidate | Champion | Δ champion | Decides |", v1Prod.Output);
        Assert.Contains("| auc | 0.9 | — | — | ✅ auc improves on the champion", v1Prod.Output);

        // fraud@2 barely improves: the dry run and the promotion exit 3 with the failing verdict and its numbers; nothing reaches prod.
        await TrainAsync(ml, "2", 0.905);
        Assert.Equal(0, (await mlenv.RunAsync("promote", "--from", "dev", "--to", "staging", "--model", "fraud", "--version", "2")).ExitCode);
        var writes = world.Writes;
        var dryRun = await mlenv.RunAsync("promote", "--from", "staging", "--to", "prod", "--model", "fraud", "--version", "2", "--dry-run", "--output", "json");
        Assert.True(dryRun.ExitCode == 3, dryRun.ToString());
        Assert.Equal(writes, world.Writes);
        using (var document = JsonDocument.Parse(dryRun.Output))
        {
            var root = document.RootElement;
            Assert.True(root.GetProperty("dryRun").GetBoolean());
            Assert.False(root.GetProperty("succeeded").GetBoolean());
            Assert.Equal(JsonValueKind.Null, root.GetProperty("outcome").ValueKind);
            var evaluation = root.GetProperty("evaluation");
            Assert.Equal(("fraud", "2", "staging", "prod"), (evaluation.GetProperty("model").GetString(), evaluation.GetProperty("version").GetString(), evaluation.GetProperty("source").GetString(), evaluation.GetProperty("target").GetString()));
            Assert.Equal(0.905, evaluation.GetProperty("metrics").GetProperty("auc").GetDouble());
            Assert.Equal("1", evaluation.GetProperty("champion").GetProperty("version").GetString());
            var champion = evaluation.GetProperty("verdicts")[0];
            Assert.Equal("improvesOnChampion", champion.GetProperty("kind").GetString());
            Assert.False(champion.GetProperty("passed").GetBoolean());
            Assert.Equal(0.905, champion.GetProperty("observed").GetDouble());
            Assert.Equal(0.9, champion.GetProperty("champion").GetDouble());
            Assert.Equal(0.91, champion.GetProperty("required").GetDouble(), 6);
        }

        var refused = await mlenv.RunAsync("promote", "--from", "staging", "--to", "prod", "--model", "fraud", "--version", "2");
        Assert.True(refused.ExitCode == 3, refused.ToString());
        Assert.Contains("FAIL auc improves on the champion (higher is better, by ≥ 0.01) — auc 0.905 vs champion fraud@1 0.9 (+0.005", refused.Output);
        Assert.Contains("1 of 2 gates fail: fraud@2 must not be promoted to prod.", refused.Output);
        Assert.StartsWith("error: fraud@2 was not promoted to prod: 1 of 2 gates failed", refused.Error, StringComparison.Ordinal);
        Assert.Contains("hint: nothing was registered in prod's workspace", refused.Error);
        Assert.Null(await ml.GetModelVersionAsync(Prod, "fraud", "2"));

        // A waiting run for fraud@2: pending shows it with its verdicts; bob is no reviewer (exit 1, and why); ana rejects it.
        var run2 = github.State.AddWaitingRun(Repo, PromotionRunTitle.Format("fraud", "2"), "bob", ["prod"]);
        var pending = await mlenv.RunAsync("pending");
        Assert.True(pending.ExitCode == 0, pending.ToString());
        Assert.Contains($"Run {run2} \"mlenv promote fraud@2\" started by bob", pending.Output);
        Assert.Contains("waits on prod (reviewers: ana; you cannot approve)", pending.Output);
        Assert.Contains("FAIL auc improves on the champion", pending.Output);
        var pendingMarkdown = await mlenv.RunAsync("pending", "--output", "markdown");
        Assert.True(pendingMarkdown.ExitCode == 0, pendingMarkdown.ToString());
        Assert.Contains("| auc | 0.905 | 0.9 | +0.005 |", pendingMarkdown.Output);
        Assert.Contains("```mermaid", pendingMarkdown.Output);
        Assert.Contains("x-axis [\"1\", \"2 (candidate)\"]", pendingMarkdown.Output);
        Assert.Contains("bar [0.9, 0.905]", pendingMarkdown.Output);
        Assert.Contains("(https://ml.azure.com/runs/train-fraud-2?wsid=", pendingMarkdown.Output);
        var pendingJson = await mlenv.RunAsync("pending", "--run-id", run2.ToString(System.Globalization.CultureInfo.InvariantCulture), "--output", "json");
        Assert.True(pendingJson.ExitCode == 0, pendingJson.ToString());
        using (var document = JsonDocument.Parse(pendingJson.Output))
        {
            var item = Assert.Single(document.RootElement.GetProperty("pending").EnumerateArray());
            Assert.Equal(run2, item.GetProperty("runId").GetInt64());
            Assert.Equal(("fraud", "2", "bob"), (item.GetProperty("model").GetString(), item.GetProperty("version").GetString(), item.GetProperty("startedBy").GetString()));
            var waits = Assert.Single(item.GetProperty("waitsOn").EnumerateArray());
            Assert.Equal("prod", waits.GetProperty("environment").GetString());
            Assert.Equal(["user:ana"], waits.GetProperty("reviewers").EnumerateArray().Select(r => r.GetString()));
            Assert.False(Assert.Single(item.GetProperty("evaluations").EnumerateArray()).GetProperty("passed").GetBoolean());
        }

        github.State.CurrentUserLogin = "bob";
        writes = world.Writes;
        var notReviewer = await mlenv.RunAsync("approve", "--run-id", Id(run2), "--comment", "looks fine to me");
        Assert.True(notReviewer.ExitCode == 1, notReviewer.ToString());
        Assert.StartsWith("error: The token's user may not review 'prod' (reviewers: ana).", notReviewer.Error, StringComparison.Ordinal);
        Assert.Contains("required reviewer", notReviewer.Error);
        Assert.Contains("GitHub App", notReviewer.Error);
        Assert.Equal(writes, world.Writes);
        github.State.CurrentUserLogin = "ana";
        var reject = await mlenv.RunAsync("reject", "--run-id", Id(run2), "--comment", "does not beat the champion");
        Assert.True(reject.ExitCode == 0, reject.ToString());
        Assert.Contains($"Rejected run {run2} for prod", reject.Output);
        Assert.Equal("failure", (await github.State.GetWorkflowRunAsync(Repo, run2))!.Conclusion);

        // fraud@3 beats the champion: ana approves the waiting run; promote with --run-id reads her approval; the ledger shows it all.
        await TrainAsync(ml, "3", 0.93);
        Assert.Equal(0, (await mlenv.RunAsync("promote", "--from", "dev", "--to", "staging", "--model", "fraud", "--version", "3")).ExitCode);
        var run3 = github.State.AddWaitingRun(Repo, PromotionRunTitle.Format("fraud", "3"), "bob", ["prod"]);
        var approve = await mlenv.RunAsync("approve", "--run-id", Id(run3), "--comment", "auc beats the champion");
        Assert.True(approve.ExitCode == 0, approve.ToString());
        Assert.Contains($"Approved run {run3} for prod", approve.Output);
        var nothingWaits = await mlenv.RunAsync("pending");
        Assert.Contains("No workflow run of octo-org/fraud-detection waits for review.", nothingWaits.Output);
        var v3Prod = await mlenv.RunAsync("promote", "--from", "staging", "--to", "prod", "--model", "fraud", "--version", "3", "--run-id", Id(run3));
        Assert.True(v3Prod.ExitCode == 0, v3Prod.ToString());
        Assert.Contains("fraud@3 promoted from staging to prod: registered in workspace 'mlw-prod', approved by ana.", v3Prod.Output);
        Assert.Equal("ana", (await ml.GetModelVersionAsync(Prod, "fraud", "3"))!.Properties.Tags[ModelPromoter.ApproverTag]);
        var prodHistory = await mlenv.RunAsync("history", "--environment", "prod", "--model", "fraud");
        Assert.Matches($@"promotion  fraud@3 +Succeeded +from staging, run {run3}, approved by ana", prodHistory.Output);
        Assert.Matches(@"promotion  fraud@2 +Failed +from staging — Gate failed: auc 0.905", prodHistory.Output);
        Assert.Contains("Current in prod: fraud@3", prodHistory.Output);

        // Rollback: the gates refuse version 1 (exit 3, the message says --skip-gates); with --skip-gates it is current again.
        var gated = await mlenv.RunAsync("rollback", "--environment", "prod", "--model", "fraud");
        Assert.True(gated.ExitCode == 3, gated.ToString());
        Assert.Contains("--skip-gates", gated.Error);
        var rollback = await mlenv.RunAsync("rollback", "--environment", "prod", "--model", "fraud", "--skip-gates", "--reason", "latency regression in v3", "--output", "json");
        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        using (var document = JsonDocument.Parse(rollback.Output))
        {
            Assert.Equal("rolledBack", document.RootElement.GetProperty("outcome").GetString());
            var record = document.RootElement.GetProperty("record");
            Assert.Equal(("rollback", "succeeded", "1", true), (record.GetProperty("kind").GetString(), record.GetProperty("state").GetString(), record.GetProperty("version").GetString(), record.GetProperty("gatesSkipped").GetBoolean()));
            Assert.Equal("latency regression in v3", record.GetProperty("reason").GetString());
        }

        var afterJson = await mlenv.RunAsync("history", "-e", "prod", "-o", "json");
        using (var document = JsonDocument.Parse(afterJson.Output))
        {
            var records = document.RootElement.GetProperty("records").EnumerateArray().ToList();
            Assert.Equal(["1", "1", "3", "2", "1"], records.Select(r => r.GetProperty("version").GetString()));
            Assert.Equal(["rollback", "rollback", "promotion", "promotion", "promotion"], records.Select(r => r.GetProperty("kind").GetString()));
            Assert.Equal(["succeeded", "failed", "succeeded", "failed", "succeeded"], records.Select(r => r.GetProperty("state").GetString()));
            Assert.Equal(run3, records[2].GetProperty("runId").GetInt64());
        }

        Assert.Equal("1", (await new PromotionLedger(github.State).GetCurrentAsync(Repo, "prod", "fraud"))!.Version);
        Assert.Empty(github.SchemaViolations);
        Assert.Empty(world.Arm.UnmatchedRequests);
    }

    [Fact]
    public async Task HistoryAt_AndStagePointerDrift_OverBothEmulators()
    {
        await using var world = await World.StartAsync();
        var mlenv = world.Mlenv;
        var ml = world.Arm.MachineLearning;
        Assert.Equal(0, (await mlenv.RunAsync("apply", "--auto-approve")).ExitCode);
        await TrainAsync(ml, "1", 0.90);
        await TrainAsync(ml, "2", 0.95);
        Assert.Equal(0, (await mlenv.RunAsync("promote", "--from", "dev", "--to", "staging", "--model", "fraud", "--version", "1")).ExitCode);
        Assert.Equal(0, (await mlenv.RunAsync("promote", "--from", "dev", "--to", "staging", "--model", "fraud", "--version", "2")).ExitCode);
        Assert.Equal(("staging", (string?)null), ((await ml.GetModelVersionAsync(Staging, "fraud", "2"))!.Properties.Stage, (await ml.GetModelVersionAsync(Staging, "fraud", "1"))!.Properties.Stage));

        // A rollback moves the stage back in the workspace.
        var rollback = await mlenv.RunAsync("rollback", "--environment", "staging", "--model", "fraud", "--reason", "drift in v2");
        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.Equal(("staging", (string?)null), ((await ml.GetModelVersionAsync(Staging, "fraud", "1"))!.Properties.Stage, (await ml.GetModelVersionAsync(Staging, "fraud", "2"))!.Properties.Stage));
        var agreeing = await mlenv.RunAsync("history", "-e", "staging");
        Assert.DoesNotContain("Drift", agreeing.Error);

        // Time travel: before anything, nothing; now, the version the rollback brought back.
        var before = await mlenv.RunAsync("history", "-e", "staging", "--at", "2000-01-01T00:00:00Z");
        Assert.True(before.ExitCode == 0, before.ToString());
        Assert.Contains("fraud: none (not promoted to staging yet)", before.Output);
        var later = DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var now = await mlenv.RunAsync("history", "-e", "staging", "--at", later, "-o", "json");
        Assert.True(now.ExitCode == 0, now.ToString());
        using (var document = JsonDocument.Parse(now.Output))
        {
            var record = document.RootElement.GetProperty("current")[0].GetProperty("record");
            Assert.Equal(("1", "rollback"), (record.GetProperty("version").GetString(), record.GetProperty("kind").GetString()));
            Assert.NotEqual(JsonValueKind.Null, record.GetProperty("completedAt").ValueKind);
        }

        var bad = await mlenv.RunAsync("history", "-e", "staging", "--at", "yesterday");
        Assert.True(bad.ExitCode == 1, bad.ToString());
        Assert.Contains("--at 'yesterday' is not an ISO 8601 time.", bad.Error);

        // Someone marks version 2 by hand: history reports the drift (text and JSON).
        var tampered = (await ml.GetModelVersionAsync(Staging, "fraud", "2"))!.Properties;
        tampered.Stage = "staging";
        await ml.CreateOrUpdateModelVersionAsync(Staging, "fraud", "2", tampered);
        var drift = await mlenv.RunAsync("history", "-e", "staging");
        Assert.True(drift.ExitCode == 0, drift.ToString());
        Assert.Contains("warning: Drift in staging: the ledger says fraud@1", drift.Error);
        using (var document = JsonDocument.Parse((await mlenv.RunAsync("history", "-e", "staging", "-o", "json")).Output))
        {
            var pointer = document.RootElement.GetProperty("pointers")[0];
            Assert.True(pointer.GetProperty("drift").GetBoolean());
            Assert.Equal(["1", "2"], pointer.GetProperty("markedVersions").EnumerateArray().Select(v => v.GetString()));
        }

        Assert.Empty(world.GitHub.SchemaViolations);
        Assert.Empty(world.Arm.UnmatchedRequests);
    }

    [Fact]
    public async Task BadInput_ExitsOne_WithTheMessage_AndWritesNothing()
    {
        await using var world = await World.StartAsync();
        var mlenv = world.Mlenv;
        Assert.Equal(0, (await mlenv.RunAsync("apply", "--auto-approve")).ExitCode);
        await TrainAsync(world.Arm.MachineLearning, "1", 0.90);
        var writes = world.Writes;

        var unknownModel = await mlenv.RunAsync("promote", "--from", "dev", "--to", "staging", "--model", "nosuch", "--version", "1");
        var unknownVersion = await mlenv.RunAsync("promote", "--from", "dev", "--to", "staging", "--model", "fraud", "--version", "7");
        var notNext = await mlenv.RunAsync("promote", "--from", "dev", "--to", "prod", "--model", "fraud", "--version", "1");
        var undeclared = await mlenv.RunAsync("promote", "--from", "dev", "--to", "qa", "--model", "fraud", "--version", "1");
        var nothingToRollBack = await mlenv.RunAsync("rollback", "--environment", "prod", "--model", "fraud");
        var noRun = await mlenv.RunAsync("approve", "--run-id", "987654", "--comment", "ok");

        AssertError(unknownModel, "error: Workspace 'mlw-dev' of environment 'dev' has no model named 'nosuch'.");
        AssertError(unknownVersion, "error: Workspace 'mlw-dev' of environment 'dev' has no version 7 of 'fraud'; it has: 1.");
        AssertError(notNext, "error: 'prod' is not the environment after 'dev' in octo-org/fraud-detection's pipeline (dev → staging → prod); the next one is 'staging'.");
        Assert.Contains("--to is the environment right after --from", notNext.Error);
        AssertError(undeclared, "error: The target environment 'qa' is not declared for octo-org/fraud-detection; declared: dev, staging, prod.");
        AssertError(nothingToRollBack, "error: fraud was never promoted to 'prod': there is nothing to roll back.");
        AssertError(noRun, "error: octo-org/fraud-detection has no workflow run 987654");
        Assert.Equal(writes, world.Writes);
        Assert.Null(await world.Arm.MachineLearning.GetModelVersionAsync(Staging, "nosuch", "1"));
        Assert.Empty(await world.GitHub.State.ListDeploymentsAsync(Repo, null, null));

        static void AssertError(Mlenv.Result result, string first)
        {
            Assert.True(result.ExitCode == 1, result.ToString());
            var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(2, lines.Length);
            Assert.StartsWith(first, lines[0], StringComparison.Ordinal);
            Assert.StartsWith("hint: ", lines[1], StringComparison.Ordinal);
            Assert.Equal(string.Empty, result.Output);
        }
    }

    [Fact]
    public async Task Dispatch_StartsThePromotionWorkflow_WithTheModelVersionAndStop()
    {
        await using var world = await World.StartAsync();
        var mlenv = world.Mlenv;
        Assert.Equal(0, (await mlenv.RunAsync("apply", "--auto-approve")).ExitCode);
        var missing = await mlenv.RunAsync("dispatch", "--model", "fraud", "--version", "4");
        // The workflow needs a login for every bound environment; the promotion commands here run on the emulator's token.
        var identity = ManagedIdentity(Subscription, "rg-identities", "id-github");
        mlenv.Write("workflow.json", MlEnvironmentsJson.Serialize(Repository(Repo, [.. Definition.Environments.Select(e => e.UseOidcLogin(identity))])));
        var generate = await mlenv.RunAsync("workflow", "generate", "--stdout", "--file", "workflow.json");
        world.GitHub.State.SetWorkflowFile(Repo, ".github/workflows/promote.yml", generate.Output);
        var undeclared = await mlenv.RunAsync("dispatch", "--model", "fraud", "--version", "4", "--stop-at", "qa");

        var dispatch = await mlenv.RunAsync("dispatch", "--workflow", "promote.yml", "--model", "fraud", "--version", "4", "--stop-at", "STAGING");

        Assert.True(generate.ExitCode == 0, generate.ToString());
        Assert.True(missing.ExitCode == 1, missing.ToString());
        Assert.Contains("hint: check that .github/workflows/promote.yml exists", missing.Error);
        Assert.True(undeclared.ExitCode == 1, undeclared.ToString());
        Assert.Contains("--stop-at 'qa' is not declared", undeclared.Error);
        Assert.True(dispatch.ExitCode == 0, dispatch.ToString());
        Assert.Contains("Started promote.yml on main of octo-org/fraud-detection for fraud@4, stopping at staging.", dispatch.Output);
        var started = Assert.Single(world.GitHub.State.GetWorkflowDispatches(Repo));
        Assert.Equal("main", started.Ref);
        Assert.Equal(new Dictionary<string, string> { ["model"] = "fraud", ["version"] = "4", ["stop_at"] = "staging" }, started.Inputs);
        Assert.Empty(world.GitHub.SchemaViolations);
    }

    [Theory]
    [InlineData("--model", "$(id)", "--model '$(id)' is not a model name")]
    [InlineData("--version", "1;reboot", "--version '1;reboot' is not a model version")]
    [InlineData("--ref", "main;rm -rf /", "--ref 'main;rm -rf /' is not a branch, tag or commit")]
    [InlineData("--ref", "-x", "--ref '-x' is not a branch")]
    [InlineData("--workflow", "..", "--workflow '..' is not a workflow")]
    [InlineData("--workflow", "../../secrets.yml", "--workflow '../../secrets.yml' is not a workflow")]
    [InlineData("--workflow", "promote", "--workflow 'promote' is not a workflow")]
    public async Task Dispatch_HostileInputs_AreRefusedBeforeAnyRequest(string option, string value, string expected)
    {
        await using var world = await World.StartAsync();
        var arguments = new Dictionary<string, string> { ["--model"] = "fraud", ["--version"] = "4", ["--ref"] = "main", ["--workflow"] = "promote.yml" };
        arguments[option] = value;

        var result = await world.Mlenv.RunAsync(["dispatch", .. arguments.SelectMany(a => new[] { a.Key + "=" + a.Value })]);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("error: " + expected, result.Error, StringComparison.Ordinal);
        Assert.Contains("hint: nothing was sent", result.Error);
        Assert.Empty(world.GitHub.Requests);
        Assert.Empty(world.GitHub.State.GetWorkflowDispatches(Repo));
    }

    [Fact]
    public async Task Dispatch_NumericWorkflowIdAndSlashedBranch_AreAccepted()
    {
        await using var world = await World.StartAsync();

        var result = await world.Mlenv.RunAsync("dispatch", "--workflow", "12345", "--ref", "release/2.1", "--model", "fraud", "--version", "4");

        // The emulator has no such workflow: the request was sent (GitHub's 404 is the answer), not refused by the checks.
        Assert.DoesNotContain("is not a", result.Error);
        Assert.NotEmpty(world.GitHub.Requests);
    }

    private static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static async Task TrainAsync(InMemoryAzureMachineLearning ml, string version, double auc)
    {
        var job = "train-fraud-" + version;
        ml.AddJob(Dev, job, MachineLearningJobStatus.Completed, experimentName: "fraud");
        ml.LogMetric(Dev, job, "auc", auc);
        var properties = new MachineLearningModelVersionProperties { JobName = job, ModelUri = new Uri($"azureml://jobs/{job}/outputs/artifacts/paths/model/") };
        await ml.CreateOrUpdateModelVersionAsync(Dev, "fraud", version, properties);
    }

    /// <summary>Both emulators with their state, and the tool configured for them, in a folder holding the definition.</summary>
    private sealed class World : IAsyncDisposable
    {
        private World(GitHubEmulator github, AzureResourceManagerEmulator arm, Mlenv mlenv)
        {
            GitHub = github;
            Arm = arm;
            Mlenv = mlenv;
        }

        public GitHubEmulator GitHub { get; }

        public AzureResourceManagerEmulator Arm { get; }

        public Mlenv Mlenv { get; }

        /// <summary>Every write: the requests the GitHub emulator answered that are not reads, and every write to the Azure state (model registrations).</summary>
        public int Writes => GitHub.Requests.Count(r => r.Method != "GET") + Arm.Requests.Count(r => r.Method is "PUT" or "PATCH" or "DELETE") +
            Arm.MachineLearning.Calls.Count(c => c.IsWrite);

        public static async Task<World> StartAsync()
        {
            var state = new InMemoryGitHub();
            state.AddUser("bob");
            state.GrantAccess(Repo, User("ana"));
            var githubOptions = new GitHubEmulatorOptions();
            githubOptions.AcceptedTokens.Add(GitHubToken);
            var github = await GitHubEmulator.StartAsync(state, githubOptions);
            var armOptions = new AzureResourceManagerEmulatorOptions();
            armOptions.AcceptedTokens.Add(ArmToken);
            var arm = await AzureResourceManagerEmulator.StartAsync(new InMemoryAzureMachineLearning(), new InMemoryAzureIdentity(), armOptions);
            arm.MachineLearning.AddWorkspace(Dev).AddWorkspace(Staging).AddWorkspace(Prod);
            var mlenv = new Mlenv();
            mlenv.Write("mlenv.json", MlEnvironmentsJson.Serialize(Definition));
            mlenv.Environment["GITHUB_TOKEN"] = GitHubToken;
            mlenv.Environment["MLENV_GITHUB_URL"] = github.BaseAddress.ToString();
            mlenv.Environment["MLENV_AZURE_ARM_URL"] = arm.Endpoint.ToString();
            mlenv.Environment["MLENV_AZURE_TOKEN"] = ArmToken;
            mlenv.Environment["MLENV_AZURE_ARM_CERTIFICATE_SHA256"] = Convert.ToHexString(arm.Certificate.GetCertHash(HashAlgorithmName.SHA256));
            return new World(github, arm, mlenv);
        }

        public async ValueTask DisposeAsync()
        {
            Mlenv.Dispose();
            await Arm.DisposeAsync();
            await GitHub.DisposeAsync();
        }
    }
}
