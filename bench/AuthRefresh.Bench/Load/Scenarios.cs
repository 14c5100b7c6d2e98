namespace AuthRefresh.Bench.Load;

/// <summary>The scenarios by name.</summary>
public static class Scenarios
{
    public const string Password = "password";
    public const string Refresh = "refresh";
    public const string Api = "api";
    public const string Http = "http";

    // Note: http before api, so that the api's verdict can quote the ceiling measured just before.
    public static IReadOnlyList<string> All { get; } = [Password, Refresh, Http, Api];

    public static IScenario Create(string name, BenchTarget target) => name switch
    {
        Password => new PasswordScenario(target),
        Refresh => new RefreshScenario(target),
        Api => new ApiScenario(target),
        Http => new HttpScenario(target),
        _ => throw new ArgumentException($"Unknown scenario '{name}'; use one of: {string.Join(", ", All)}.", nameof(name)),
    };
}
