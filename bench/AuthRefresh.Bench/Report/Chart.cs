using System.Diagnostics;
using System.Globalization;
using System.Text;
using AuthRefresh.Bench.Load;

namespace AuthRefresh.Bench.Report;

/// <summary>
/// Requests/s against concurrency, one line per scenario, both axes logarithmic (the scenarios
/// differ by three orders of magnitude). A point counts the 2xx answers only: a password grant
/// the hash gate refuses at once with a 429 is not throughput. Written as SVG, then rendered to PNG by headless Chromium
/// when it is installed.
/// </summary>
public static class Chart
{
    private const int Width = 820;
    private const int Height = 500;
    private const int Left = 80;
    private const int Right = 170;
    private const int Top = 50;
    private const int Bottom = 60;

    private static readonly Dictionary<string, string> Colors = new()
    {
        [Scenarios.Api] = "#1b9e77",
        [Scenarios.Refresh] = "#d95f02",
        [Scenarios.Password] = "#7570b3",
        [Scenarios.Http] = "#999999",
    };

    /// <summary>Writes the chart; <paramref name="targets"/> are drawn as dashed lines (req/s by scenario).</summary>
    public static string WriteSvg(string path, IReadOnlyList<LoadResult> results, string title, IReadOnlyDictionary<string, double>? targets = null)
    {
        targets ??= new Dictionary<string, double>();
        var concurrencies = results.Select(r => r.Concurrency).Distinct().Order().ToArray();
        var minX = Math.Log2(concurrencies.Min());
        var maxX = Math.Max(minX + 1, Math.Log2(concurrencies.Max()));
        var minY = Math.Floor(Math.Log10(Math.Max(1, results.Min(r => r.SucceededPerSecond))));
        var maxY = Math.Ceiling(Math.Log10(Math.Max(10, results.Select(r => r.SucceededPerSecond).Concat(targets.Values).Max())));
        double X(int concurrency) => Left + ((Math.Log2(concurrency) - minX) / (maxX - minX) * (Width - Left - Right));
        double Y(double rps) => Height - Bottom - ((Math.Log10(Math.Max(rps, 1)) - minY) / (maxY - minY) * (Height - Top - Bottom));

        var svg = new StringBuilder();
        svg.Append(Invariant($"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{Height}" font-family="sans-serif" font-size="13">"""));
        svg.Append(Invariant($"""<rect width="{Width}" height="{Height}" fill="white"/>"""));
        svg.Append(Invariant($"""<text x="{Width / 2}" y="28" text-anchor="middle" font-size="16">{Escape(title)}</text>"""));

        for (var decade = minY; decade <= maxY; decade++)
        {
            var y = Y(Math.Pow(10, decade));
            svg.Append(Invariant($"""<line x1="{Left}" x2="{Width - Right}" y1="{y:F1}" y2="{y:F1}" stroke="#ddd"/>"""));
            svg.Append(Invariant($"""<text x="{Left - 8}" y="{y + 4:F1}" text-anchor="end">{Math.Pow(10, decade):N0}</text>"""));
        }

        foreach (var concurrency in concurrencies)
        {
            var x = X(concurrency);
            svg.Append(Invariant($"""<line x1="{x:F1}" x2="{x:F1}" y1="{Top}" y2="{Height - Bottom}" stroke="#eee"/>"""));
            svg.Append(Invariant($"""<text x="{x:F1}" y="{Height - Bottom + 20}" text-anchor="middle">{concurrency}</text>"""));
        }

        svg.Append(Invariant($"""<text x="{(Left + Width - Right) / 2}" y="{Height - 15}" text-anchor="middle">concurrent clients (workers)</text>"""));
        svg.Append(Invariant($"""<text transform="translate(22 {(Top + Height - Bottom) / 2}) rotate(-90)" text-anchor="middle">2xx answers/s (log scale)</text>"""));

        // Note: what a point's label should not cover, in the chart's pixels: the scenarios' lines,
        // the points, the targets' labels, the labels placed before it and, if it can, the targets' lines.
        var obstacles = new List<Box>();
        foreach (var (scenario, target) in targets)
        {
            var color = Colors.GetValueOrDefault(scenario, "#333");
            var y = Y(target);
            svg.Append(Invariant($"""<line x1="{Left}" x2="{Width - Right}" y1="{y:F1}" y2="{y:F1}" stroke="{color}" stroke-width="1.5" stroke-dasharray="6 4"/>"""));
            // Note: between the first two concurrencies, where no point is.
            var labelX = concurrencies.Length > 1 ? (X(concurrencies[0]) + X(concurrencies[1])) / 2 : Left + 60;
            var text = $"{scenario} target {target.ToString("N0", CultureInfo.InvariantCulture)}";
            svg.Append(Invariant($"""<text x="{labelX:F1}" y="{y - 5:F1}" text-anchor="middle" font-size="11" fill="{color}" {Halo}>{Escape(text)}</text>"""));
            obstacles.Add(Box.Around(labelX - (TextWidth(text) / 2), labelX + (TextWidth(text) / 2), y - 5));
        }

        var series = results.Select(r => r.Scenario).Distinct()
            .Select(scenario => (Scenario: scenario, Points: results.Where(r => r.Scenario == scenario).OrderBy(r => r.Concurrency)
                .Select(r => (X: X(r.Concurrency), Y: Y(r.SucceededPerSecond), RequestsPerSecond: r.SucceededPerSecond)).ToList()))
            .ToList();
        var lines = series.Select(s => s.Points.Select(p => (p.X, p.Y)).ToArray()).ToList();
        var targetLines = targets.Values.Select(target => new[] { (X: (double)Left, Y: Y(target)), (X: (double)(Width - Right), Y: Y(target)) }).ToList();
        obstacles.AddRange(series.SelectMany(s => s.Points).Select(p => new Box(p.X - 4, p.X + 4, p.Y - 4, p.Y + 4)));

        var legend = Top + 10;
        foreach (var (scenario, points) in series)
        {
            var color = Colors.GetValueOrDefault(scenario, "#333");
            svg.Append(Invariant($"""<polyline fill="none" stroke="{color}" stroke-width="2.5" points="{string.Join(' ', points.Select(p => Invariant($"{p.X:F1},{p.Y:F1}")))}"/>"""));
            foreach (var point in points)
            {
                svg.Append(Invariant($"""<circle cx="{point.X:F1}" cy="{point.Y:F1}" r="4" fill="{color}"/>"""));
                // Note: a label on the y axis starts at its point, so that it never runs into the
                // axis's own labels (7,618 beside 10,000 read as "10,000 618").
                var text = point.RequestsPerSecond.ToString("N0", CultureInfo.InvariantCulture);
                var width = TextWidth(text);
                var (labelX, anchor, from) = point.X <= Left ? (point.X + 6, "start", point.X + 6) : (point.X, "middle", point.X - (width / 2));
                double? FirstClear(IEnumerable<(double X, double Y)[]> avoid) => LabelOffsets.Cast<double?>()
                    .FirstOrDefault(offset => !Box.Around(from, from + width, point.Y + offset!.Value).HitsAny(obstacles, avoid));

                // Note: best where it covers nothing; else where it covers a target's line only,
                // which its halo hides; else above.
                var dy = FirstClear(lines.Concat(targetLines)) ?? FirstClear(lines) ?? LabelOffsets[0];
                obstacles.Add(Box.Around(from, from + width, point.Y + dy));
                svg.Append(Invariant($"""<text x="{labelX:F1}" y="{point.Y + dy:F1}" text-anchor="{anchor}" font-size="11" fill="{color}" {Halo}>{text}</text>"""));
            }

            svg.Append(Invariant($"""<rect x="{Width - Right + 20}" y="{legend - 10}" width="14" height="14" fill="{color}"/>"""));
            svg.Append(Invariant($"""<text x="{Width - Right + 40}" y="{legend + 2}">{Escape(scenario)}</text>"""));
            legend += 24;
        }

        svg.Append("</svg>");
        File.WriteAllText(path, svg.ToString());
        return path;
    }

    /// <summary>Renders the SVG to PNG with headless Chromium; false when it is not installed.</summary>
    public static bool TryRenderPng(string svgPath, string pngPath)
    {
        const string chromium = "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            return false;
        }

        var profile = Directory.CreateTempSubdirectory("bench-chart-");
        try
        {
            var start = new ProcessStartInfo(chromium)
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            foreach (var arg in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--hide-scrollbars", $"--user-data-dir={profile.FullName}",
                $"--window-size={Width},{Height}", $"--screenshot={pngPath}", new Uri(svgPath).AbsoluteUri,
            })
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            return process.WaitForExit(60_000) && process.ExitCode == 0 && File.Exists(pngPath);
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    /// <summary>Where a point's label may go: its baseline's offset from the point, above, then below.</summary>
    private static readonly double[] LabelOffsets = [-9, 18];

    // Note: a white outline under every label's text, so that a line it must cross does not run through its figures.
    private const string Halo = """stroke="white" stroke-width="3" stroke-linejoin="round" paint-order="stroke" """;

    // Note: an 11 px sans-serif figure or comma is at most about 6.2 px wide.
    private static double TextWidth(string text) => text.Length * 6.2;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>A rectangle in the chart's pixels (y grows downwards).</summary>
    private sealed record Box(double Left, double Right, double Top, double Bottom)
    {
        /// <summary>The box of an 11 px label whose baseline is at <paramref name="baseline"/>.</summary>
        public static Box Around(double left, double right, double baseline) => new(left, right, baseline - 9, baseline + 2);

        public bool HitsAny(IEnumerable<Box> boxes, IEnumerable<(double X, double Y)[]> lines)
            => boxes.Any(b => b.Left < Right && Left < b.Right && b.Top < Bottom && Top < b.Bottom) || lines.Any(Crosses);

        // Note: a polyline crosses the box if, over the box's width, its height reaches the box's.
        private bool Crosses((double X, double Y)[] line)
        {
            for (var i = 0; i + 1 < line.Length; i++)
            {
                var (a, b) = (line[i], line[i + 1]);
                var from = Math.Max(Left, a.X);
                var to = Math.Min(Right, b.X);
                if (from > to || b.X <= a.X)
                {
                    continue;
                }

                double At(double x) => a.Y + ((b.Y - a.Y) * (x - a.X) / (b.X - a.X));
                var (low, high) = (Math.Min(At(from), At(to)), Math.Max(At(from), At(to)));
                if (low < Bottom && Top < high + 1)
                {
                    return true;
                }
            }

            return false;
        }
    }

    private static string Escape(string text) => System.Security.SecurityElement.Escape(text);
}
