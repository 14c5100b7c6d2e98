namespace AuthRefresh.Testing;

public static class RepositoryPaths
{
    /// <summary>The repository's root: the folder of AuthRefresh.sln above the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    public static string Project(string name) => Path.Combine(Root, name);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "AuthRefresh.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("AuthRefresh.sln was not found above " + AppContext.BaseDirectory);
    }
}
