namespace AuthRefresh.Shared;

/// <summary>The demo users of Development, as AuthServer creates them and ResourceApi gives notes to.</summary>
public static class DemoUsers
{
    /// <summary>alice's fixed user id: the <c>sub</c> of her tokens.</summary>
    public const string AliceId = "a11ce000-0000-4000-8000-000000000001";
}
