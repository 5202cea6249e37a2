
namespace MlEnvironments.Cli.Tests;

/// <summary>The steps mlenv suggests after init work, in an empty folder, without credentials; or say precisely what to add.</summary>
public class SuggestedPathTests
{
    private const string Subscription = "00000000-0000-0000-0000-000000000001";

    /// <summary>
    /// <c>mlenv init --repository o/r --azure-subscription … &amp;&amp; mlenv validate &amp;&amp; mlenv plan --in-memory
    /// &amp;&amp; mlenv workflow generate &amp;&amp; mlenv workflow lint</c>: every step exits 0.
    /// </summary>
    [Fact]
    public async Task InitWithASubscription_ThenValidatePlanGenerateLint_AllSucceed()
    {
        using var mlenv = new Mlenv();

        var results = await ChainAsync(mlenv, ["init", "--repository", "o/r", "--azure-subscription", Subscription]);

        Assert.True(results.Count == 5 && results.All(r => r.ExitCode == 0), string.Join("\n", results));
        Assert.Contains("mlenv workflow generate and mlenv workflow lint", results[0].Output);
        Assert.Contains("(In memory: planned against an empty in-memory repository", results[2].Output);
        Assert.Contains("0 errors, 0 warnings in 1 workflow file.", results[4].Output);
        var workflow = mlenv.Read(".github/workflows/promote.yml");
        Assert.Contains("azure/login@v2", workflow);
        Assert.Contains("id-token: write", workflow);
        var definition = MlEnvironmentsJson.DeserializeRepository(mlenv.Read("mlenv.json"));
        Assert.All(definition.Environments, e => Assert.Equal(WorkspaceLoginKind.Oidc, e.Binding?.Login?.Kind));
        Assert.Equal("id-github-prod", definition.FindEnvironment("prod")!.Binding!.Login!.Identity.Name);
    }

    /// <summary>
    /// The same chain without a subscription: init, validate and the in-memory plan work; generate stops, naming every
    /// environment and the exact command (or JSON) that binds them; nothing is written.
    /// </summary>
    [Fact]
    public async Task InitWithoutASubscription_StopsAtGenerate_SayingPreciselyWhatToAdd()
    {
        using var mlenv = new Mlenv();

        var results = await ChainAsync(mlenv, ["init", "--repository", "o/r"]);

        Assert.True(results.Count == 4, string.Join("\n", results));
        Assert.All(results.Take(3), r => Assert.True(r.ExitCode == 0, r.ToString()));
        Assert.Contains("Before mlenv workflow generate, bind each environment", results[0].Output);
        var generate = results[3];
        Assert.Equal(1, generate.ExitCode);
        Assert.StartsWith("error: The workflow cannot promote through 3 environments of o/r:", generate.Error, StringComparison.Ordinal);
        foreach (var name in new[] { "dev", "staging", "prod" })
        {
            Assert.Contains($"  - Environment '{name}' has no workspace binding", generate.Error);
        }

        Assert.Contains("hint: nothing was written. No environment is bound yet: `mlenv init --repository o/r --azure-subscription <guid> --force`", generate.Error);
        Assert.DoesNotContain("Environments  are", generate.Error);
        Assert.False(Directory.Exists(mlenv.PathOf(".github")));

        // What the hint says to run makes the rest of the chain work.
        var rebound = await ChainAsync(mlenv, ["init", "--repository", "o/r", "--azure-subscription", Subscription, "--force"]);
        Assert.True(rebound.Count == 5 && rebound.All(r => r.ExitCode == 0), string.Join("\n", rebound));
    }

    [Fact]
    public async Task InitExample_NeedsNoRepository_AndItsInMemoryPlanNeedsNoSecret()
    {
        using var mlenv = new Mlenv();

        var results = await ChainAsync(mlenv, ["init", "--example"]);

        Assert.True(results.Count == 5 && results.All(r => r.ExitCode == 0), string.Join("\n", results));
        Assert.Contains("Wrote mlenv.json: octo-org/credit-risk: dev → staging → prod.", results[0].Output);
        Assert.Contains("a placeholder stood in for configuration key Secrets:DevServicePrincipal", results[2].Output);
        Assert.DoesNotContain("secret-reference-unresolved", results[2].All);
        Assert.DoesNotContain(PlaceholderText, results[2].All);
    }

    [Theory]
    [InlineData(new[] { "valdate" }, "'valdate': did you mean 'validate'?")]
    [InlineData(new[] { "plan", "--in-memroy" }, "'--in-memroy': did you mean '--in-memory'?")]
    [InlineData(new[] { "workflow", "lnit" }, "'lnit': did you mean 'lint'?")]
    [InlineData(new[] { "dispatch", "--modle", "fraud", "--version", "3" }, "'--modle': did you mean '--model'?")]
    public async Task MistypedCommandsAndOptions_GetADidYouMean(string[] arguments, string expected)
    {
        using var mlenv = new Mlenv();

        var result = await mlenv.RunAsync(arguments);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(expected, result.Error);
        Assert.DoesNotContain("more)", result.Error);
    }

    [Fact]
    public async Task SeveralParseErrors_AreAllShown()
    {
        using var mlenv = new Mlenv();

        var result = await mlenv.RunAsync("plan", "--bogus", "--other", "--output", "xml");

        Assert.True(result.ExitCode == 1, result.ToString());
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("error: 3 problems with the command line:", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("  - ", StringComparison.Ordinal) && l.Contains("xml", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  - ", StringComparison.Ordinal) && l.Contains("'--bogus'", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  - ", StringComparison.Ordinal) && l.Contains("'--other'", StringComparison.Ordinal));
        Assert.StartsWith("hint: run `mlenv plan --help`", lines[^1], StringComparison.Ordinal);
        Assert.DoesNotContain("(and ", result.Error);
    }

    [Theory]
    [InlineData("on: [push\njobs: {\n")]
    [InlineData("jobs: {")]
    [InlineData("jobs:\n  a:\n    runs-on: x\n  a:\n    runs-on: y\n")]
    public async Task WorkflowLint_UnparsableYaml_IsAFindingWithItsLine_NeverACrash(string content)
    {
        using var mlenv = new Mlenv();
        Assert.Equal(0, (await mlenv.RunAsync("init", "--repository", "o/r")).ExitCode);
        mlenv.Write(".github/workflows/broken.yml", content);

        var result = await mlenv.RunAsync("workflow", "lint");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Matches(@"\.github/workflows/broken\.yml:\d+: error: The file is not valid YAML", result.Output);
        Assert.Contains("[yaml-syntax]", result.Output);
        Assert.DoesNotContain("this is a bug", result.All);
        Assert.DoesNotContain("Unexpected", result.All);
    }

    private const string PlaceholderText = "in-memory-placeholder-secret";

    /// <summary>Runs init (with the given arguments), validate, plan --in-memory, workflow generate and workflow lint, stopping at the first failure as <c>&amp;&amp;</c> does.</summary>
    private static async Task<List<Mlenv.Result>> ChainAsync(Mlenv mlenv, string[] init)
    {
        string[][] chain = [init, ["validate"], ["plan", "--in-memory"], ["workflow", "generate"], ["workflow", "lint"]];
        var results = new List<Mlenv.Result>();
        foreach (var arguments in chain)
        {
            var result = await mlenv.RunAsync(arguments);
            results.Add(result);
            if (result.ExitCode != 0)
            {
                break;
            }
        }

        return results;
    }
}
