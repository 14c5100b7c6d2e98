using System.Globalization;
using System.Text.RegularExpressions;
using AuthRefresh.Bench.Load;
using AuthRefresh.Bench.Report;

namespace Bench.Tests;

/// <summary>The chart of requests/s against concurrency that PERFORMANCE.md shows.</summary>
public sealed partial class ChartTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("chart-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Labels_of_two_scenarios_close_at_one_concurrency_do_not_overlap()
    {
        // The quoted report's sweep at 16 clients: on a scale from 10 to 100,000 (password's 18/s
        // sets its foot), http's 22,960 and api's 17,214 lie 11 px apart.
        var svg = Draw(15_000, Result("password", 1, 13), Result("password", 16, 18),
            Result("http", 1, 10_500), Result("http", 16, 22_960), Result("api", 1, 6_029), Result("api", 16, 17_214));

        var http = LabelY(svg, "22,960");
        var api = LabelY(svg, "17,214");

        Assert.True(api - http >= 14, $"the labels are {api - http:F1} px apart");
    }

    [Fact]
    public void Labels_on_the_y_axis_start_at_their_point_and_stay_clear_of_the_axis_labels()
    {
        // The 08:15 report's sweep: http's 7,618 at one client lay level with the axis's 10,000.
        var svg = Draw(apiTarget: null, Result("http", 1, 7_618), Result("http", 16, 20_002));

        var first = Label(svg, "7,618");
        var axis = Label(svg, "10,000");
        var other = Label(svg, "20,002");

        Assert.Equal("start", first.Groups["anchor"].Value);
        Assert.True(X(first) > X(axis) + 8, $"the label starts at {X(first):F1}, the axis label ends at {X(axis):F1}");
        Assert.Equal("middle", other.Groups["anchor"].Value);
    }

    [Fact]
    public void A_label_that_a_target_line_would_cross_goes_below_its_point()
    {
        // The 08:15 report's sweep: api's 10,273 at 64 clients lay 13 px under the 15,000 target,
        // and the target's dashed line ran through its label.
        var svg = Draw(15_000, Result("api", 1, 5_405), Result("api", 64, 10_273), Result("password", 64, 18));

        Assert.True(LabelY(svg, "10,273") > PointY(svg, "10,273"), "the label is above its point, on the target's line");
        Assert.True(LabelY(svg, "5,405") < PointY(svg, "5,405"), "a label far from the line is not above its point");
    }

    [Fact]
    public void A_label_with_another_scenario_just_below_and_a_target_just_above_stays_above_with_a_halo()
    {
        // The 12:51 report's sweep at one client: http's 10,897 lies 11 px under the api target and
        // 12 px above api's 7,725; below its point, its label sat across the api's line.
        var svg = Draw(15_000, Result("password", 1, 8), Result("http", 1, 10_897), Result("http", 4, 19_093),
            Result("api", 1, 7_725), Result("api", 4, 12_221));

        Assert.True(LabelY(svg, "10,897") < PointY(svg, "10,897"), "the http label is below its point, across the api's line");
        Assert.True(LabelY(svg, "7,725") > PointY(svg, "7,725"), "the api label is above its point, on the http point");
        Assert.Matches("""<text[^>]*paint-order="stroke"[^>]*>10,897</text>""", svg);
    }

    [Fact]
    public void A_point_counts_only_the_2xx_answers()
    {
        // The 02:52 report's sweep: at 64 clients the hash gate answered 23,500 password requests
        // a second, all but 12 of them with a 429, and the chart drew 23,500.
        var shed = new LoadResult("password", 64, 10, 235_001, 23_500.1, 1, 1, 1, 1, new Dictionary<string, long> { ["429"] = 234_884 });
        var svg = Draw(apiTarget: null, Result("password", 16, 37), shed);

        Assert.Matches(">12</text>", svg);
        Assert.DoesNotMatch(">23,500</text>", svg);
    }

    /// <summary>The chart of <paramref name="results"/>, with the api target's line if there is one.</summary>
    private string Draw(double? apiTarget, params LoadResult[] results)
        => File.ReadAllText(Chart.WriteSvg(Path.Combine(_folder, "chart.svg"), results, "test",
            apiTarget is { } target ? new Dictionary<string, double> { ["api"] = target } : new Dictionary<string, double>()));

    /// <summary>The height of the point a label belongs to (the circle drawn just before it).</summary>
    private static double PointY(string svg, string label)
        => double.Parse(Regex.Match(svg, $"""<circle cx="[^"]+" cy="([^"]+)"[^>]*/><text[^>]*>{Regex.Escape(label)}</text>""").Groups[1].Value, CultureInfo.InvariantCulture);

    private static LoadResult Result(string scenario, int concurrency, double rps)
        => new(scenario, concurrency, 10, (long)(rps * 10), rps, 1, 1, 1, 1, new Dictionary<string, long>());

    /// <summary>The text element that shows <paramref name="text"/>: its position and its anchor.</summary>
    private static Match Label(string svg, string text)
        => Regex.Match(svg, $"""<text x="(?<x>[^"]+)" y="(?<y>[^"]+)" text-anchor="(?<anchor>[^"]+)"[^>]*>{Regex.Escape(text)}</text>""");

    private static double LabelY(string svg, string text) => Coordinate(Label(svg, text), "y");

    private static double X(Match label) => Coordinate(label, "x");

    private static double Coordinate(Match label, string axis) => double.Parse(label.Groups[axis].Value, CultureInfo.InvariantCulture);
}
