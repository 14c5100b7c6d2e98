namespace AuthRefresh.Bench.Load;

/// <summary>The benchmark's users: <see cref="Count"/> accounts sharing one password.</summary>
public sealed record BenchUsers(string Prefix, int Count, string Password)
{
    public string Name(int index) => $"{Prefix}{index:D4}";
}
