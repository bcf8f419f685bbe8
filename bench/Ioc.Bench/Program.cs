using Ioc.Bench;

return await BenchCommand.RunAsync(args);
