namespace MlEnvironments.Cli.Tests;

/// <summary>Text from a file never acts on the terminal: control characters are shown escaped, wherever mlenv prints them.</summary>
public class TerminalEscapeTests
{
    // ESC (clear screen), BEL, a carriage return and a line feed that would forge a line of its own, C1 CSI, a bidi override.
    private const string Hostile = "prod\u001b[2J\u0007\r\nerror: forged line\u009b31m\u202e";

    [Fact]
    public async Task Validate_NamesWithControlCharacters_AreEchoedEscaped()
    {
        using var mlenv = new Mlenv();
        mlenv.Write("mlenv.json", $$"""
            { "repository": "octo-org/x", "environments": [
              { "name": "{{Json(Hostile)}}", "reviewers": ["user:{{Json(Hostile)}}"], "variables": { "A": "{{Json(Hostile)}}" } } ] }
            """);

        var result = await mlenv.RunAsync("validate");

        Assert.True(result.ExitCode == 1, result.ToString());
        AssertEscaped(result);
        Assert.Contains("prod\\u001b[2J\\u0007\\u000d\\u000aerror: forged line\\u009b31m\\u202e", result.Error);
    }

    [Fact]
    public async Task EveryOutput_FromParseErrorsToLint_IsEscaped()
    {
        using var mlenv = new Mlenv();
        Assert.Equal(0, (await mlenv.RunAsync("init", "--repository", "o/r")).ExitCode);
        mlenv.Write(".github/workflows/w.yml", $"on: push\njobs:\n  a:\n    runs-on: x\n    environment: \"{Json(Hostile)}\"\n");

        var parse = await mlenv.RunAsync("plan", "--x" + Hostile);
        var lint = await mlenv.RunAsync("workflow", "lint");
        var dispatch = await mlenv.RunAsync("dispatch", "--repository", "o/r", "--model", Hostile, "--version", "1");
        var file = await mlenv.RunAsync("validate", "--file", Hostile + ".json");

        foreach (var result in new[] { parse, lint, dispatch, file })
        {
            Assert.True(result.ExitCode == 1, result.ToString());
            AssertEscaped(result);
        }

        Assert.Contains("\\u001b[2J", lint.Output);
        Assert.Contains("\\u001b[2J", dispatch.Error);
    }

    private static void AssertEscaped(Mlenv.Result result)
    {
        Assert.DoesNotContain(result.All, c => c is '\u001b' or '\u0007' or '\u009b' or '\u202e' or '\r');
        Assert.DoesNotContain(result.All.Split('\n'), l => l.StartsWith("error: forged", StringComparison.Ordinal));
    }

    private static string Json(string text) => System.Text.Json.JsonEncodedText.Encode(text, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();
}
