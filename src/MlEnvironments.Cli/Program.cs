using MlEnvironments.Cli;
using MlEnvironments.Cli.Infrastructure;

var environment = ProcessEnvironment.Instance;
return await MlenvApp.RunAsync(args, CliConsole.ForProcess(environment), environment).ConfigureAwait(false);
