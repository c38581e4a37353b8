using ActorMove.Benchmarks;
using BenchmarkDotNet.Running;

// BenchmarkDotNet's switcher: `-- --filter '*'` runs everything, `--filter '*Parse*'` a subset, `--list flat` lists them.
BenchmarkSwitcher.FromAssembly(typeof(BenchmarkConfig).Assembly).Run(args, BenchmarkConfig.Create(args));
