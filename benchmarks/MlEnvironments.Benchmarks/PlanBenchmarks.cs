using BenchmarkDotNet.Attributes;
using MlEnvironments.Planning;

namespace MlEnvironments.Benchmarks;

/// <summary>
/// The pure diff of 100 or 500 repositories × 5 environments against state already read (no I/O): with no change,
/// and with one environment in ten changed. The cost should grow linearly with the number of repositories.
/// </summary>
[MemoryDiagnoser]
public class PlanBenchmarks
{
    private RepositoryDefinition[] _desired = [];
    private RepositoryDefinition[] _changed = [];
    private RepositoryState[] _observed = [];

    [Params(100, 500)]
    public int Repositories { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (_desired, _observed) = Corpus.Seeded(Repositories, 5);
        _changed = Corpus.ChangeTenPercent(_desired);
        if (Plan(_desired) != 0)
        {
            throw new InvalidOperationException("The unchanged corpus should plan no change.");
        }

        if (Plan(_changed) == 0)
        {
            throw new InvalidOperationException("The changed corpus should plan changes.");
        }
    }

    [Benchmark(Baseline = true)]
    public int PlanNoChanges() => Plan(_desired);

    [Benchmark]
    public int PlanTenPercentChanged() => Plan(_changed);

    private int Plan(RepositoryDefinition[] desired)
    {
        var changes = 0;
        for (var i = 0; i < desired.Length; i++)
        {
            changes += EnvironmentPlanner.Diff(desired[i], _observed[i]).Changes.Length;
        }

        return changes;
    }
}
