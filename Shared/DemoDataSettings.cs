namespace AuthRefresh.Shared;

/// <summary>
/// Development's demo data: AuthServer's users (alice, admin) and ResourceApi's notes for alice.
/// Bound from the <c>DemoData</c> section.
/// </summary>
public sealed class DemoDataSettings
{
    public const string SectionName = "DemoData";

    /// <summary>Whether the demo data is created at start. The default value is false.</summary>
    public bool Enabled { get; set; }
}
