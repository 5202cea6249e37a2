using System.Text.RegularExpressions;
using MlEnvironments.Analyzers;

namespace MlEnvironments.Analyzers.Tests;

/// <summary>Every diagnostic's help link opens a README section written for it.</summary>
public sealed partial class HelpLinkTests
{
    public static TheoryData<string> Ids => new(new DefinitionAnalyzer().SupportedDiagnostics.Select(d => d.Id));

    [Theory]
    [MemberData(nameof(Ids))]
    public void The_help_link_names_a_README_section_with_why_and_fix(string id)
    {
        var descriptor = new DefinitionAnalyzer().SupportedDiagnostics.Single(d => d.Id == id);
        Assert.StartsWith(Descriptors.HelpBase, descriptor.HelpLinkUri, StringComparison.Ordinal);
        var anchor = descriptor.HelpLinkUri[Descriptors.HelpBase.Length..];

        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var sections = Heading().Split(readme);
        var section = sections.SkipWhile(s => GitHubAnchor(s) != anchor).Skip(1).FirstOrDefault();

        Assert.True(section is not null, $"README.md has no heading whose anchor is #{anchor}.");
        Assert.Contains("*Why.*", section, StringComparison.Ordinal);
        Assert.Contains("*Fix.*", section, StringComparison.Ordinal);
        Assert.Contains("*Suppress.*", section, StringComparison.Ordinal);
        Assert.Contains(id, section[section.IndexOf("*Suppress.*", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.Contains("```csharp", section, StringComparison.Ordinal);
        Assert.Contains(descriptor.DefaultSeverity.ToString().ToLowerInvariant(), section, StringComparison.Ordinal);
        Assert.Contains(descriptor.Category, section, StringComparison.Ordinal);
    }

    // GitHub's anchors: lower case, spaces to '-', punctuation other than '-' and '_' dropped.
    private static string GitHubAnchor(string heading) =>
        new string(heading.Trim().ToLowerInvariant().Replace(' ', '-').Where(c => char.IsLetterOrDigit(c) || c is '-' or '_').ToArray());

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "MlEnvironments.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("MlEnvironments.sln was not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"^#{2,4} (.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();
}
