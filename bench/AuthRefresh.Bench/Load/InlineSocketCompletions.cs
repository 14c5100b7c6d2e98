namespace AuthRefresh.Bench.Load;

/// <summary>
/// The load generator runs the completions of its sockets on the runtime's socket threads, instead
/// of handing each one to the thread pool (<c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>).
/// The servers it starts get the variable as this process was started with it, so they run as a
/// deployment would.
/// </summary>
/// <remarks>
/// Note: the generator shares the two cores with the servers, so what it spends per request is
/// taken from them. All a worker does with an answer is record it and send the next request, so
/// running that where the answer arrives saves a thread-pool hop per request: 8-9 µs of the
/// generator's 41-47 µs per API call, measured with the two settings side by side. The runtime
/// reads the variable once, when the first socket is used, so <see cref="Enable"/> comes first.
/// </remarks>
public static class InlineSocketCompletions
{
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    private static readonly Lock Gate = new();
    private static bool _enabled;
    private static string? _inherited;

    /// <summary>The variable as this process was started with it; null when it was not set.</summary>
    public static string? Inherited
    {
        get
        {
            lock (Gate)
            {
                return _enabled ? _inherited : Environment.GetEnvironmentVariable(Variable);
            }
        }
    }

    public static void Enable()
    {
        lock (Gate)
        {
            if (!_enabled)
            {
                _inherited = Environment.GetEnvironmentVariable(Variable);
                Environment.SetEnvironmentVariable(Variable, "1");
                _enabled = true;
            }
        }
    }

    /// <summary>Gives a server's <paramref name="environment"/> the variable as <paramref name="inherited"/> says.</summary>
    public static void ForServer(IDictionary<string, string?> environment, string? inherited)
    {
        if (inherited is null)
        {
            environment.Remove(Variable);
        }
        else
        {
            environment[Variable] = inherited;
        }
    }
}
