namespace Ioc.IntegrationTests.Infrastructure;

public static class RepositoryRoot
{
    /// <summary>The folder that holds Ioc.sln, found upwards from the test binaries.</summary>
    public static string Path { get; } = Find();

    private static string Find()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(System.IO.Path.Combine(folder.FullName, "Ioc.sln")))
        {
            folder = folder.Parent;
        }

        return folder?.FullName ?? throw new InvalidOperationException("repository root (Ioc.sln) not found above " + AppContext.BaseDirectory);
    }
}
