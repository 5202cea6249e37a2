using MlEnvironments.Analyzers;
using MlEnvironments.ValidationCases;

namespace MlEnvironments.Analyzers.Tests;

/// <summary>
/// The analyzers and Validate() share one rule table (src/Shared/DefinitionRules.cs). For every case of the shared
/// catalogue, the definition is built through the API and validated, and written in source and analyzed: the rules
/// reported must be the same.
/// </summary>
public sealed class CatalogueAgreementTests
{
    public static TheoryData<int> Cases => new(Enumerable.Range(0, ValidationCatalogue.Cases.Count));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task The_analyzers_report_what_validation_reports(int index)
    {
        var @case = ValidationCatalogue.Cases[index];
        var validation = @case.Build().Validate().Errors.Select(e => e.Rule).Where(ValidationCatalogue.SharedRules.Contains)
            .Distinct().Order(StringComparer.Ordinal).ToArray();

        var (compiler, analyzer) = await Sources.AnalyzeAsync(Sources.InMethod("        _ = " + @case.ToSource() + ";"));

        Assert.Empty(compiler);
        var reported = analyzer.Select(d => d.Properties.TryGetValue(Descriptors.RuleProperty, out var rule) ? rule : "(no rule: " + d.Id + ")")
            .Distinct().Order(StringComparer.Ordinal).ToArray();
        Assert.True(reported.SequenceEqual(validation),
            $"{@case}: Validate() reports [{string.Join(", ", validation)}], the analyzers [{string.Join(", ", reported)}].");
        Assert.All(analyzer, d => Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Error, d.Severity));
    }
}
