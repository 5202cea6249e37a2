using static MlEnvironments.Analyzers.Tests.Diagnostics;
using D = MlEnvironments.Analyzers.Descriptors;

namespace MlEnvironments.Analyzers.Tests;

/// <summary>A user-defined conversion may change a value: what passes through one is not known.</summary>
public sealed class ConversionTests
{
    private const string Characters = "An environment name must not contain any of '\"`\\,;; found ';'.";

    [Fact]
    public Task A_value_converted_by_a_user_defined_operator_is_not_known() =>
        AnalyzerTest.VerifyAsync(Sources.Usings + """
            public readonly struct EnvironmentName
            {
                private readonly string value;

                private EnvironmentName(string value) => this.value = value;

                public static implicit operator EnvironmentName(string value) => new(value.Replace(';', '-'));

                public static implicit operator string(EnvironmentName name) => name.value;
            }

            public class Definitions
            {
                private static readonly EnvironmentName Shared = "staging;eu";

                public EnvironmentDefinition[] Define()
                {
                    EnvironmentName converted = "prod;eu";
                    object boxed = "prod;eu";
                    var plain = "prod;eu";
                    return [Environment(converted), Environment(Shared), Environment((string)boxed), Environment({|#0:plain|})];
                }
            }
            """,
            Warning(D.InvalidValue, 0).WithArguments("Environment name", "prod;eu", Characters, "environment-name-characters"));
}
