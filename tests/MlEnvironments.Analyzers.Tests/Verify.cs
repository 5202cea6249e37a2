using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using MlEnvironments.Analyzers;

namespace MlEnvironments.Analyzers.Tests;

/// <summary>
/// The analyzer and code-fix tests compile against the running .NET's own assemblies and MlEnvironments.dll: nothing
/// is downloaded (the test framework's default reference assemblies come from NuGet).
/// </summary>
internal static class Sources
{
    public const string Usings = "using System;\nusing System.Threading.Tasks;\nusing MlEnvironments;\nusing static MlEnvironments.MlEnvironment;\n\n";

    public static ImmutableArray<MetadataReference> References { get; } = LoadReferences();

    /// <summary>No reference assembly package: <see cref="References"/> are given instead.</summary>
    public static ReferenceAssemblies None { get; } = new("net10.0");

    /// <summary>Statements in a method of a class, with the usings of the README.</summary>
    public static string InMethod(string statements, string members = "") =>
        Usings + "public class Definitions\n{\n" + members + "    public void Define()\n    {\n" + statements + "\n    }\n}\n";

    /// <summary>Compiles a source and runs the analyzer on it (for the catalogue: many sources, no markup).</summary>
    public static async Task<(ImmutableArray<Diagnostic> Compiler, ImmutableArray<Diagnostic> Analyzer)> AnalyzeAsync(string source)
    {
        var compilation = CSharpCompilation.Create("Catalogue",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))],
            References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var analyzed = compilation.WithAnalyzers([new DefinitionAnalyzer()]);
        var analyzer = await analyzed.GetAnalyzerDiagnosticsAsync();
        var compiler = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
        return (compiler, analyzer);
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(path => string.Equals(Path.GetDirectoryName(path), runtime, StringComparison.Ordinal));
        var library = Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll")
            .Where(path => Path.GetFileName(path) is var name && (name.StartsWith("MlEnvironments.", StringComparison.Ordinal) && !name.Contains("Analyzers", StringComparison.Ordinal) && !name.Contains("Tests", StringComparison.Ordinal)
                || name.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal)));
        return [.. platform.Concat(library).Distinct().Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))];
    }
}

/// <summary>An analyzer test on the local references.</summary>
internal sealed class AnalyzerTest : CSharpAnalyzerTest<DefinitionAnalyzer, DefaultVerifier>
{
    public AnalyzerTest(string source, params DiagnosticResult[] expected)
    {
        TestCode = source;
        ReferenceAssemblies = Sources.None;
        TestState.AdditionalReferences.AddRange(Sources.References);
        ExpectedDiagnostics.AddRange(expected);
    }

    public static Task VerifyAsync(string source, params DiagnosticResult[] expected) => new AnalyzerTest(source, expected).RunAsync();
}

/// <summary>A code-fix test on the local references.</summary>
internal sealed class FixTest<TFix> : CSharpCodeFixTest<DefinitionAnalyzer, TFix, DefaultVerifier>
    where TFix : CodeFixProvider, new()
{
    public FixTest(string source, string fixedSource)
    {
        TestCode = source;
        FixedCode = fixedSource;
        ReferenceAssemblies = Sources.None;
        TestState.AdditionalReferences.AddRange(Sources.References);
        FixedState.AdditionalReferences.AddRange(Sources.References);
    }
}

internal static class Diagnostics
{
    public static DiagnosticResult Error(DiagnosticDescriptor descriptor, int location) => new DiagnosticResult(descriptor).WithLocation(location).WithSeverity(DiagnosticSeverity.Error);

    public static DiagnosticResult Warning(DiagnosticDescriptor descriptor, int location) => new DiagnosticResult(descriptor).WithLocation(location).WithSeverity(DiagnosticSeverity.Warning);
}
