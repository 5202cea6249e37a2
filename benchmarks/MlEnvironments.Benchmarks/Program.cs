using BenchmarkDotNet.Running;
using MlEnvironments.Benchmarks.Scale;

// `--scale` runs the request-counting scale run against the loopback GitHub emulator; every other argument goes to
// BenchmarkDotNet's switcher; `--promotion` counts the requests of a promotion against both emulators (e.g. --filter '*PlanBenchmarks*').
if (args.Contains("--promotion"))
{
    return await MlEnvironments.Benchmarks.Promotion.PromotionRun.RunAsync(args);
}

if (args.Contains("--scale"))
{
    return await ScaleRun.RunAsync(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
