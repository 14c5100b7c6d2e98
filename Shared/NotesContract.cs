namespace AuthRefresh.Shared;

/// <summary>What AuthServer, ResourceApi and SampleClient agree on about the notes API.</summary>
public static class NotesContract
{
    /// <summary>The scope that grants access to the notes API.</summary>
    public const string Scope = "notes";

    /// <summary>The audience of access tokens for ResourceApi (RFC 9068 <c>aud</c>).</summary>
    public const string Audience = "resource-api";

    /// <summary>The longest note body ResourceApi stores, in characters.</summary>
    public const int MaxBodyLength = 10_000;
}
