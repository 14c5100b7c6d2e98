using AuthServer.Stores;

namespace AuthServer.Tests;

/// <summary>The ids and concurrency tokens of stored entries (<see cref="EntryIds"/>).</summary>
public sealed class EntryIdsTests
{
    [Fact]
    public void An_id_is_a_version_7_uuid_whose_text_starts_with_its_time_in_milliseconds()
    {
        var now = DateTimeOffset.FromUnixTimeMilliseconds(0x0193_4A5B_6C7D);

        var id = Guid.Parse(EntryIds.New(now));
        var text = id.ToString();

        Assert.Equal(7, id.Version);
        Assert.InRange(id.Variant, 8, 0xB);
        Assert.StartsWith("01934a5b-6c7d-7", text);
    }

    [Fact]
    public void Ids_of_later_milliseconds_sort_after_earlier_ones_and_no_two_are_alike()
    {
        var start = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, 50_000).Select(i => EntryIds.New(start.AddMilliseconds(i / 100))).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        var firstOfEachMillisecond = ids.Where((_, i) => i % 100 == 0).ToList();
        var lastOfEachMillisecond = ids.Where((_, i) => i % 100 == 99).ToList();
        Assert.All(lastOfEachMillisecond.Zip(firstOfEachMillisecond.Skip(1)),
            pair => Assert.True(string.CompareOrdinal(pair.First, pair.Second) < 0, $"{pair.First} sorts after {pair.Second}"));
    }

    [Fact]
    public void A_concurrency_token_is_a_new_version_4_uuid_each_time()
    {
        var tokens = Enumerable.Range(0, 50_000).Select(_ => EntryIds.NewConcurrencyToken()).ToList();

        Assert.Equal(tokens.Count, tokens.Distinct(StringComparer.Ordinal).Count());
        Assert.All(tokens.Take(100), token => Assert.Equal(4, Guid.Parse(token).Version));
    }
}
