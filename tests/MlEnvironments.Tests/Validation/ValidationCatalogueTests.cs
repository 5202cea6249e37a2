using MlEnvironments.ValidationCases;

namespace MlEnvironments.Tests.Validation;

/// <summary>
/// Validate() gives every case of the shared catalogue its expected rules (MlEnvironments.Analyzers.Tests checks that
/// the analyzers report the same for the same definitions written in source).
/// </summary>
public sealed class ValidationCatalogueTests
{
    public static TheoryData<int> Cases => new(Enumerable.Range(0, ValidationCatalogue.Cases.Count));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Validation_reports_exactly_the_expected_rules(int index)
    {
        var @case = ValidationCatalogue.Cases[index];

        var rules = @case.Build().Validate().Errors.Select(e => e.Rule).Distinct().Order(StringComparer.Ordinal).ToArray();

        Assert.True(rules.SequenceEqual(@case.ExpectedRules.Distinct().Order(StringComparer.Ordinal)),
            $"{@case}: validation reported [{string.Join(", ", rules)}].");
    }

    [Fact]
    public void The_catalogue_covers_every_shared_rule_with_a_refused_case()
    {
        var covered = ValidationCatalogue.Cases.SelectMany(c => c.ExpectedRules).ToHashSet(StringComparer.Ordinal);

        Assert.Empty(ValidationCatalogue.SharedRules.Except(covered));
        Assert.Empty(covered.Except(ValidationCatalogue.SharedRules));
    }

    [Fact]
    public void The_catalogue_has_accepted_cases_of_every_kind()
    {
        var kinds = ValidationCatalogue.Cases.Where(c => c.ExpectedRules.Length == 0).Select(c => c.Kind).ToHashSet();

        Assert.Equal(Enum.GetValues<CaseKind>().Length, kinds.Count);
    }
}
