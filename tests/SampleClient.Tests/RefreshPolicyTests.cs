using SampleClient.Tokens;

namespace SampleClient.Tests;

public sealed class RefreshPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(-10, false, false, RefreshPolicy.Expired)]
    [InlineData(0, false, false, RefreshPolicy.Expired)]
    [InlineData(20, false, false, RefreshPolicy.Expiring)]
    [InlineData(30, true, true, RefreshPolicy.Expiring)]
    [InlineData(120, true, true, RefreshPolicy.DataRequest)]
    [InlineData(120, true, false, null)]
    [InlineData(120, false, true, null)]
    public void Decides_whether_and_why_to_refresh(int secondsLeft, bool dataRequest, bool demonstrationMode, string? expected)
    {
        var reason = RefreshPolicy.Decide(Now.AddSeconds(secondsLeft), Now, Margin, dataRequest, demonstrationMode);

        Assert.Equal(expected, reason);
    }
}
