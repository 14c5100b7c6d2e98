using AuthRefresh.Bench.Suite;

namespace Bench.Tests;

/// <summary>The command line: <c>--peer</c> takes no value, the other options one each.</summary>
public sealed class BenchOptionsTests
{
    [Fact]
    public void Peer_is_a_flag_among_options_with_values()
    {
        var options = BenchOptions.Parse(["refresh", "--peer", "--concurrency", "16,64", "--runs", "1"]);

        Assert.True(options.Peer);
        Assert.Equal(["refresh"], options.Commands);
        Assert.Equal([16, 64], options.Concurrency);
        Assert.Equal(1, options.Runs);
    }

    [Fact]
    public void Without_the_flag_there_is_no_peer()
        => Assert.False(BenchOptions.Parse(["refresh", "--runs", "1"]).Peer);
}
