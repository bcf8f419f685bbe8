using Ioc.AllInOne;

var builder = WebApplication.CreateBuilder(args);
if (StartupChecks.FindPortConflicts(builder.Configuration) is { Count: > 0 } conflicts)
{
    foreach (var conflict in conflicts)
    {
        Console.Error.WriteLine(conflict);
    }

    return 2;
}

builder.AddAllInOne();

var app = builder.Build();
app.MapAllInOne();
try
{
    app.Run();
}
catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
{
    // Taken between the check and the bind: still one line a person can act on.
    Console.Error.WriteLine($"Ioc: {ex.Message} Choose another address with --urls http://127.0.0.1:PORT.");
    return 2;
}
catch (InvalidOperationException ex) when (ex.InnerException is System.Net.Sockets.SocketException)
{
    Console.Error.WriteLine($"Ioc: {ex.Message}");
    return 2;
}

return Environment.ExitCode;

/// <summary>Entry point, visible to the integration tests' WebApplicationFactory-free host runs.</summary>
public partial class Program;
