using BenchmarkDotNet.Running;
using MlEnvironments.Benchmarks.Scale;

// `--scale` runs the request-counting scale run against the loopback GitHub emulator; every other argument goes to
// BenchmarkDotNet's switcher (e.g. --filter '*PlanBenchmarks*').
if (args.Contains("--scale"))
{
    return await ScaleRun.RunAsync(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
