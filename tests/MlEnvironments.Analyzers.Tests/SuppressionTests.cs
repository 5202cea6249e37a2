using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using static MlEnvironments.Analyzers.Tests.Diagnostics;
using D = MlEnvironments.Analyzers.Descriptors;

namespace MlEnvironments.Analyzers.Tests;

/// <summary>The severities the analyzer chooses give way to the user's configuration and suppressions.</summary>
public sealed class SuppressionTests
{
    private const string Characters = "An environment name must not contain any of '\"`\\,;; found ';'.";

    private static readonly string Source = Sources.InMethod("""
                    var name = "staging;eu";
                    var a = Environment({|#0:"prod;eu"|});
                    var b = Environment({|#1:name|});
                    Console.WriteLine($"{a}{b}");
            """);

    private static AnalyzerTest Configured(string severity, params DiagnosticResult[] expected)
    {
        var test = new AnalyzerTest(Source, expected);
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*]\ndotnet_diagnostic.MLENV003.severity = " + severity + "\n"));
        return test;
    }

    private static DiagnosticResult BadName(DiagnosticResult result, string name) =>
        result.WithArguments("Environment name", name, Characters, "environment-name-characters");

    [Fact]
    public Task Without_configuration_a_value_at_the_call_is_an_error_and_a_flowed_one_a_warning() =>
        Configured("default", BadName(Error(D.InvalidValue, 0), "prod;eu"), BadName(Warning(D.InvalidValue, 1), "staging;eu")).RunAsync();

    [Fact]
    public Task Severity_none_removes_the_diagnostic() =>
        Configured("none").RunAsync();

    [Fact]
    public Task Severity_warning_downgrades_the_error() =>
        Configured("warning", BadName(Warning(D.InvalidValue, 0), "prod;eu"), BadName(Warning(D.InvalidValue, 1), "staging;eu")).RunAsync();

    // The test framework does not show a warning that the configuration raises to an error as an error: the compilation
    // is asked directly here, with the options an .editorconfig gives each file.
    [Fact]
    public async Task Severity_error_raises_the_flowed_warning()
    {
        var source = Source.Replace("{|#0:", "", StringComparison.Ordinal).Replace("{|#1:", "", StringComparison.Ordinal).Replace("|}", "", StringComparison.Ordinal);
        var compilation = CSharpCompilation.Create("Configured",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), path: "/0/Test0.cs")],
            Sources.References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable)
                .WithSyntaxTreeOptionsProvider(new Configuration(D.InvalidValueId, ReportDiagnostic.Error)));
        var diagnostics = await compilation.WithAnalyzers([new DefinitionAnalyzer()]).GetAnalyzerDiagnosticsAsync();

        Assert.Collection(diagnostics.OrderBy(d => d.Location.SourceSpan.Start),
            certain => Assert.Equal((D.InvalidValueId, 11, DiagnosticSeverity.Error), (certain.Id, certain.Location.GetLineSpan().StartLinePosition.Line + 1, certain.Severity)),
            flowed => Assert.Equal((D.InvalidValueId, 12, DiagnosticSeverity.Error), (flowed.Id, flowed.Location.GetLineSpan().StartLinePosition.Line + 1, flowed.Severity)));
    }

    // What an .editorconfig entry `dotnet_diagnostic.<id>.severity` gives every file.
    private sealed class Configuration(string id, ReportDiagnostic report) : SyntaxTreeOptionsProvider
    {
        public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken) => GeneratedKind.NotGenerated;

        public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity) =>
            TryGetGlobalDiagnosticValue(diagnosticId, cancellationToken, out severity);

        public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
        {
            severity = diagnosticId == id ? report : ReportDiagnostic.Default;
            return diagnosticId == id;
        }
    }

    [Fact]
    public Task Severity_suggestion_lowers_both() =>
        Configured("suggestion",
            BadName(new DiagnosticResult(D.InvalidValue).WithLocation(0).WithSeverity(DiagnosticSeverity.Info), "prod;eu"),
            BadName(new DiagnosticResult(D.InvalidValue).WithLocation(1).WithSeverity(DiagnosticSeverity.Info), "staging;eu")).RunAsync();

    // The framework's own check wraps the file in '#pragma warning disable' for the expected diagnostics; the restore
    // below would undo it, so that check is left out here: this test is the check.
    [Fact]
    public Task Pragma_warning_disable_suppresses_a_warning_and_an_error() =>
        new AnalyzerTest(Sources.InMethod("""
            #pragma warning disable MLENV002
                    var secret = SecretValue.FromValue("hunter2");
            #pragma warning restore MLENV002
            #pragma warning disable MLENV003
                    var a = Environment("prod;eu");
            #pragma warning restore MLENV003
                    var b = SecretValue.FromValue({|#0:"hunter2"|});
                    Console.WriteLine($"{secret}{a}{b}");
            """),
            Warning(D.SecretInSource, 0).WithArguments("SecretValue.FromValue"))
        {
            TestBehaviors = TestBehaviors.SkipSuppressionCheck,
        }.RunAsync();

    [Fact]
    public Task A_suppression_attribute_suppresses_the_error() =>
        AnalyzerTest.VerifyAsync(Sources.Usings + """
            public class Definitions
            {
                [System.Diagnostics.CodeAnalysis.SuppressMessage("Validation", "MLENV003", Justification = "Checked by a test.")]
                public EnvironmentDefinition Define() => Environment("prod;eu");
            }
            """);
}
