namespace Bench.Tests;

/// <summary>
/// Tests that time work or keep the cores busy on purpose run alone: one spinning on both cores
/// would starve another's thread pool for a second.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingCollection
{
    public const string Name = "Timing";
}
