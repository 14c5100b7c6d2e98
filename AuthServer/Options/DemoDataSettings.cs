namespace AuthServer.Options;

/// <summary>Demo users (alice, admin). Bound from the <c>DemoData</c> section.</summary>
public sealed class DemoDataSettings
{
    public const string SectionName = "DemoData";

    /// <summary>Whether the demo users are created at start. The default value is false.</summary>
    public bool Enabled { get; set; }
}
