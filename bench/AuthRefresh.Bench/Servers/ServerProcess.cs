using System.Diagnostics;
using System.Globalization;
using AuthRefresh.Bench.Load;

namespace AuthRefresh.Bench.Servers;

/// <summary>
/// One of the apps, started from its build in its own project folder (so that its appsettings.json
/// is read), with its output written to a log file. The build is the one of the calling program's
/// configuration: Release for the benchmark, Debug for the tests that start servers as processes.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private ServerProcess(string name, Uri address, Process process, StreamWriter log, string logPath)
    {
        Name = name;
        Address = address;
        _process = process;
        _log = log;
        LogPath = logPath;
    }

    public string Name { get; }

    public Uri Address { get; }

    public string LogPath { get; }

    public int ProcessId => _process.Id;

    /// <summary>The configuration this program was built in, so the one of the apps it starts.</summary>
    public static string BuildConfiguration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";

    /// <summary>
    /// Starts the app <paramref name="name"/> on <paramref name="port"/>; <paramref name="displayName"/>
    /// (the app's name by default) names the process in reports and its log file.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(
        string repositoryRoot, string name, int port, IReadOnlyDictionary<string, string> settings, string logFolder,
        CancellationToken cancellationToken, string? displayName = null)
    {
        var projectFolder = Path.Combine(repositoryRoot, name);
        var assembly = Path.Combine(projectFolder, "bin", BuildConfiguration, "net10.0", name + ".dll");
        if (!File.Exists(assembly))
        {
            throw new FileNotFoundException($"{assembly} is missing: build the solution in {BuildConfiguration} first (bench.sh does).", assembly);
        }

        var address = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = projectFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        start.Environment["ASPNETCORE_URLS"] = address.ToString().TrimEnd('/');
        start.Environment["DOTNET_NOLOGO"] = "1";
        InlineSocketCompletions.ForServer(start.Environment, InlineSocketCompletions.Inherited);
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        displayName ??= name;
        var logPath = Path.Combine(logFolder, displayName + ".log");
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{displayName} did not start.");
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new ServerProcess(displayName, address, process, log, logPath);
        await server.WaitUntilHealthyAsync(cancellationToken);
        return server;
    }

    /// <summary>
    /// The process's memory from /proc, in MB: resident (VmRSS), its anonymous and file-backed
    /// parts (RssAnon, RssFile: the mapped assemblies and libraries), and the peak (VmHWM).
    /// </summary>
    public MemoryStatus Memory()
    {
        var values = File.ReadLines($"/proc/{_process.Id}/status")
            .Select(line => line.Split(':', 2))
            .Where(parts => parts.Length == 2 && parts[1].TrimEnd().EndsWith(" kB", StringComparison.Ordinal))
            .ToDictionary(parts => parts[0], parts => long.Parse(parts[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0);
        return new MemoryStatus(values["VmRSS"], values["RssAnon"], values["RssFile"], values["VmHWM"]);
    }

    private async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                break;
            }

            try
            {
                using var response = await http.GetAsync(new Uri(Address, "health"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(200, cancellationToken);
        }

        await DisposeAsync();
        var tail = string.Join(Environment.NewLine, File.ReadLines(LogPath).TakeLast(30));
        throw new InvalidOperationException($"{Name} did not become healthy on {Address}. The end of {LogPath}:{Environment.NewLine}{tail}");
    }

    /// <summary>Writes one line of a process's output to its log (both streams write to it).</summary>
    internal static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }

    /// <summary>Kills the process with SIGKILL, as a crash would: nothing of it runs after this.</summary>
    public ValueTask DisposeAsync() => StopAsync(_process, _log);

    /// <summary>Kills a server process (and its children) with SIGKILL, then closes its log.</summary>
    internal static async ValueTask StopAsync(Process process, StreamWriter log)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        lock (log)
        {
            log.Dispose();
        }
    }
}
