namespace AuthRefresh.Testing;

/// <summary>
/// Tests that time work or keep the cores busy on purpose run alone: one spinning on both cores
/// would starve another's thread pool for a second. (The file is compiled into each test
/// assembly that needs it, since xunit finds collection definitions only in the test assembly.)
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "Timing";
}
