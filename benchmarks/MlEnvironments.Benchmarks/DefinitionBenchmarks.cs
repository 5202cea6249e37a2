using BenchmarkDotNet.Attributes;

namespace MlEnvironments.Benchmarks;

/// <summary>Building and validating definitions: the work done before any call.</summary>
[MemoryDiagnoser]
public class DefinitionBenchmarks
{
    private RepositorySetDefinition _set = RepositorySetDefinition.Empty;

    [GlobalSetup]
    public void Setup() => _set = Build();

    /// <summary>Builds 200 repositories × 5 environments = 1,000 environments through the fluent API.</summary>
    [Benchmark]
    public RepositorySetDefinition Build1000Environments() => Build();

    /// <summary>Validates 1,000 environments (every rule, every field).</summary>
    [Benchmark]
    public ValidationResult Validate1000Environments() => _set.Validate();

    /// <summary>Builds and validates 1,000 environments.</summary>
    [Benchmark]
    public bool BuildAndValidate1000Environments() => Build().Validate().IsValid;

    private static RepositorySetDefinition Build() =>
        MlEnvironment.Repositories(Enumerable.Range(0, 200).Select(i => Corpus.Repository(i, 5)));
}
