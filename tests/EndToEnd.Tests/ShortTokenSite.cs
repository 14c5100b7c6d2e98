namespace EndToEnd.Tests;

/// <summary>3-second access tokens, so that a test can wait for one to expire.</summary>
public sealed class ShortTokenSite() : Site(
    new() { ["Tokens:AccessTokenLifetime"] = "00:00:03" },
    new() { ["SampleClient:RefreshMargin"] = "00:00:00" });
