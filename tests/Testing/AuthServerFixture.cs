namespace AuthRefresh.Testing;

/// <summary>One AuthServer with default settings, shared by the tests of one class.</summary>
public sealed class AuthServerFixture : IDisposable
{
    public AuthServerFactory Factory { get; } = new();

    public void Dispose() => Factory.Dispose();
}
