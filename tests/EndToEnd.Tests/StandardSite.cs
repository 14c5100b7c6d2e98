namespace EndToEnd.Tests;

/// <summary>Default settings: 5-minute access tokens, demonstration mode on.</summary>
public sealed class StandardSite : Site;
