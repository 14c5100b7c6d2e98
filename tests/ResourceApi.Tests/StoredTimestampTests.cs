using System.Globalization;
using ResourceApi.Notes;

namespace ResourceApi.Tests;

public sealed class StoredTimestampTests
{
    [Theory]
    [InlineData("2026-11-28 13:41:19.1234567+00:00")]
    [InlineData("2026-11-28 13:41:19.1+00:00")]
    [InlineData("2026-11-28 13:41:19.0012+00:00")]
    [InlineData("2026-11-28 13:41:19+00:00")]
    [InlineData("2024-02-29 23:59:59.9999999-05:30")]
    [InlineData("2026-01-01 00:00:00.5+14:00")]
    [InlineData("2026-11-28T13:41:19.1234567Z")]
    [InlineData("2026-11-28 13:41:19.12345678+00:00")]
    [InlineData("2026-11-28 13:41:19 +01:00")]
    [InlineData("2026-11-28 13:41")]
    public void A_stored_timestamp_reads_as_DateTimeOffset_Parse_reads_it(string text)
    {
        var expected = DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

        var read = NotesReader.ParseStored(text);

        Assert.Equal(expected, read);
        Assert.Equal(expected.Offset, read.Offset);
    }

    [Theory]
    [InlineData("2026-02-30 10:00:00+00:00")]
    [InlineData("2026-13-01 10:00:00+00:00")]
    [InlineData("not a date at all, 25 chars")]
    public void Text_that_is_not_a_timestamp_is_refused_as_DateTimeOffset_Parse_refuses_it(string text)
        => Assert.Throws<FormatException>(() => NotesReader.ParseStored(text));

    [Fact]
    public void What_EF_Core_writes_reads_back_exactly()
    {
        var random = new Random(42);
        for (var i = 0; i < 1_000; i++)
        {
            var value = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.FromMinutes(random.Next(-14 * 60, 14 * 60 + 1)))
                .AddTicks(random.NextInt64(TimeSpan.TicksPerDay * 365 * 50));
            var stored = value.ToString(@"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);

            Assert.Equal((value, value.Offset), (NotesReader.ParseStored(stored), NotesReader.ParseStored(stored).Offset));
        }
    }
}
