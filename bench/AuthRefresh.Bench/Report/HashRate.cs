using static System.FormattableString;

namespace AuthRefresh.Bench.Report;

/// <summary>The hash rate of all cores measured just before and just after a password run.</summary>
public readonly record struct HashRate(double Before, double After)
{
    public double Mean => (Before + After) / 2;

    public override string ToString() => Invariant($"{Before:F1} / {After:F1}");
}
