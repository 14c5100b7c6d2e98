using AuthRefresh.Bench.Load;
using AuthRefresh.Bench.Suite;

namespace AuthRefresh.Bench;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        InlineSocketCompletions.Enable();
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(BenchOptions.Usage);
            return 0;
        }

        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            Console.Error.WriteLine(BenchOptions.Usage);
            return 2;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        return await new BenchSuite(options, RepositoryRoot()).RunAsync(cancel.Token);
    }

    /// <summary>The folder holding AuthRefresh.sln, above the working directory or this program.</summary>
    private static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                if (File.Exists(Path.Combine(folder.FullName, "AuthRefresh.sln")))
                {
                    return folder.FullName;
                }
            }
        }

        throw new InvalidOperationException("AuthRefresh.sln not found above the working directory.");
    }
}
