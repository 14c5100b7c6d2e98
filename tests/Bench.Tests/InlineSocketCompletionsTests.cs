using AuthRefresh.Bench.Load;

namespace Bench.Tests;

/// <summary>The servers the benchmark starts do not inherit the load generator's socket setting.</summary>
public sealed class InlineSocketCompletionsTests
{
    [Theory]
    [InlineData(null)] // not set when the benchmark started: the runtime's default for the servers
    [InlineData("0")]  // set by whoever started it: passed on as it was
    public void A_server_gets_the_variable_as_the_benchmark_was_started_with_it(string? inherited)
    {
        var environment = new Dictionary<string, string?>
        {
            [InlineSocketCompletions.Variable] = "1",
            ["ASPNETCORE_ENVIRONMENT"] = "Benchmark",
        };

        InlineSocketCompletions.ForServer(environment, inherited);

        Assert.Equal(inherited, environment.GetValueOrDefault(InlineSocketCompletions.Variable));
        Assert.Equal("Benchmark", environment["ASPNETCORE_ENVIRONMENT"]);
    }
}
