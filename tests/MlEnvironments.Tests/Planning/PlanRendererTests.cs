using System.Text.Json;
using MlEnvironments.Planning;
using static MlEnvironments.MlEnvironment;
using static MlEnvironments.Tests.Planning.PlanningKit;

namespace MlEnvironments.Tests.Planning;

public class PlanRendererTests
{
    /// <summary>A plan with every symbol: creates, updates and deletes, and a note.</summary>
    private static async Task<RepositoryPlan> MixedPlanAsync()
    {
        var (github, repository) = NewGitHub();
        github.Seed(repository, Environment("staging").WithVariable("MODEL", "old").WithVariable("EXTRA", "1"));
        github.Seed(repository, Environment("sandbox"));
        var definition = Repository(RepositoryName,
            Environment("staging").WithWaitTimer(TimeSpan.FromMinutes(30)).WithVariable("MODEL", "new|pipe"),
            Environment("prod").AllowBranches("main").WithSecret("TOKEN", SecretValue.FromValue("plaintext-never-shown")));
        return await DiffAsync(github, definition, new PlanOptions { Prune = true });
    }

    [Fact]
    public async Task ToText_HasOneLinePerChangeWithSymbols_AndTheSummary()
    {
        var plan = await MixedPlanAsync();

        var lines = plan.ToText().Split(System.Environment.NewLine);

        Assert.Equal("Plan for octo-org/credit-risk:", lines[0]);
        Assert.Equal(
            [
                "  ~ environment \"staging\": wait timer: 0 min -> 30 min",
                "  ~ environment \"staging\": variable MODEL: \"old\" -> \"new|pipe\"",
                "  - environment \"staging\": variable EXTRA",
                "  + environment \"prod\" = { reviewers (none); wait timer 0 min; prevent self-review off; admins bypass on; branches: custom patterns }",
                "  + environment \"prod\": branch pattern \"main\"",
                "  + environment \"prod\": secret TOKEN = (sensitive)",
                "  - environment \"sandbox\"",
            ],
            lines[1..8]);
        Assert.Equal("Plan: 3 to add, 2 to change, 2 to destroy.", lines[^1]);
        Assert.Equal(plan.ToText(), plan.ToString());
    }

    [Fact]
    public async Task ToText_WithoutChanges_SaysNoChanges_AndListsNotes()
    {
        var (github, repository) = NewGitHub();
        github.Seed(repository, Environment("prod"));
        github.Seed(repository, Environment("sandbox"));

        var plan = await DiffAsync(github, Repository(RepositoryName, Environment("prod")));
        var text = plan.ToText();

        Assert.StartsWith("No changes.", plan.Summary, StringComparison.Ordinal);
        Assert.EndsWith(plan.Summary, text, StringComparison.Ordinal);
        Assert.Contains("Left alone:", text, StringComparison.Ordinal);
        Assert.Contains("environment \"sandbox\": exists on GitHub but is not declared", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Plan:", text.Split(System.Environment.NewLine)[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToJson_ParsesAndDescribesEveryChange()
    {
        var plan = await MixedPlanAsync();

        using var document = JsonDocument.Parse(plan.ToJson());
        var root = document.RootElement;

        Assert.Equal("octo-org/credit-risk", root.GetProperty("repository").GetString());
        Assert.True(root.GetProperty("hasChanges").GetBoolean());
        var summary = root.GetProperty("summary");
        Assert.Equal((3, 2, 2), (summary.GetProperty("create").GetInt32(), summary.GetProperty("update").GetInt32(), summary.GetProperty("delete").GetInt32()));
        var changes = root.GetProperty("changes").EnumerateArray().ToList();
        Assert.Equal(plan.Changes.Length, changes.Count);
        foreach (var change in changes)
        {
            foreach (var property in new[] { "action", "kind", "environment", "target", "before", "after", "sensitive" })
            {
                Assert.True(change.TryGetProperty(property, out _), $"missing '{property}' in {change}");
            }
        }

        var variable = changes[1];
        Assert.Equal(("update", "variable", "staging", "MODEL", "\"old\"", "\"new|pipe\"", false),
            (variable.GetProperty("action").GetString(), variable.GetProperty("kind").GetString(), variable.GetProperty("environment").GetString(),
             variable.GetProperty("target").GetString(), variable.GetProperty("before").GetString(), variable.GetProperty("after").GetString(),
             variable.GetProperty("sensitive").GetBoolean()));
        var pattern = changes[4];
        Assert.Equal(("create", "branchPattern", "branch:main"), (pattern.GetProperty("action").GetString(), pattern.GetProperty("kind").GetString(), pattern.GetProperty("target").GetString()));
        Assert.Equal(JsonValueKind.Null, pattern.GetProperty("before").ValueKind);
        var secret = changes[5];
        Assert.Equal(("secret", SecretValue.Redacted, true), (secret.GetProperty("kind").GetString(), secret.GetProperty("after").GetString(), secret.GetProperty("sensitive").GetBoolean()));
        var deletion = changes[6];
        Assert.Equal(("delete", "environment", JsonValueKind.Null, JsonValueKind.Null),
            (deletion.GetProperty("action").GetString(), deletion.GetProperty("kind").GetString(), deletion.GetProperty("target").ValueKind, deletion.GetProperty("after").ValueKind));
        Assert.Equal(0, root.GetProperty("notes").GetArrayLength());
    }

    [Fact]
    public async Task ToJson_WithoutChanges_HasEmptyChangesAndTheNotes()
    {
        var (github, repository) = NewGitHub();
        github.Seed(repository, Environment("prod").WithVariable("LEGACY", "1"));

        var plan = await DiffAsync(github, Repository(RepositoryName, Environment("prod")));
        using var document = JsonDocument.Parse(plan.ToJson());

        Assert.False(document.RootElement.GetProperty("hasChanges").GetBoolean());
        Assert.Equal(0, document.RootElement.GetProperty("changes").GetArrayLength());
        var note = Assert.Single(document.RootElement.GetProperty("notes").EnumerateArray().ToList());
        Assert.Equal(("info", "prod"), (note.GetProperty("severity").GetString(), note.GetProperty("environment").GetString()));
        Assert.Contains("LEGACY", note.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToMarkdown_HasATableRowPerChange_WithEscapedPipes()
    {
        var plan = await MixedPlanAsync();

        var lines = plan.ToMarkdown().Split('\n').Select(l => l.TrimEnd('\r')).ToList();

        Assert.Equal("### Plan for `octo-org/credit-risk`", lines[0]);
        var header = lines.IndexOf("| | Environment | Change | Before | After |");
        Assert.True(header > 0, plan.ToMarkdown());
        Assert.Equal("|---|---|---|---|---|", lines[header + 1]);
        var rows = lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|')).ToList();
        Assert.Equal(plan.Changes.Length, rows.Count);
        Assert.Equal("| `~` | staging | variable `MODEL` | \"old\" | \"new\\|pipe\" |", rows[1]);
        Assert.Equal("| `+` | prod | secret `TOKEN` |  | (sensitive) |", rows[5]);
        Assert.StartsWith("| `-` | sandbox | environment | { reviewers (none);", rows[6], StringComparison.Ordinal);
        Assert.Contains("**Plan: 3 to add, 2 to change, 2 to destroy.**", lines);
    }

    [Fact]
    public async Task ToMarkdown_WithoutChanges_HasNoTable_AndNotesInDetails()
    {
        var (github, repository) = NewGitHub();
        github.Seed(repository, Environment("prod"));
        github.Seed(repository, Environment("sandbox"));

        var markdown = (await DiffAsync(github, Repository(RepositoryName, Environment("prod")))).ToMarkdown();

        Assert.DoesNotContain("| Environment |", markdown, StringComparison.Ordinal);
        Assert.Contains("**No changes.", markdown, StringComparison.Ordinal);
        Assert.Contains("<details><summary>Left alone</summary>", markdown, StringComparison.Ordinal);
        Assert.Contains("- environment \"sandbox\": exists on GitHub but is not declared", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToText_EscapesLineBreaksInValues_SoAValueCannotForgePlanLines()
    {
        var (github, _) = NewGitHub();
        var definition = Repository(RepositoryName,
            Environment("prod").WithVariable("NOTE", "ok\n  - environment \"prod\": secret TOKEN"));

        var plan = await DiffAsync(github, definition, PlanOptions.Default);
        var lines = plan.ToText().Split('\n');

        Assert.Contains(lines, l => l.Contains("variable NOTE = \"ok\\n  - environment \\\"prod\\\": secret TOKEN\""));
        Assert.DoesNotContain(lines, l => l.TrimStart().StartsWith("- environment", StringComparison.Ordinal));
    }
}
