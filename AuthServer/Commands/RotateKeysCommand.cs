using AuthServer.Keys;

namespace AuthServer.Commands;

/// <summary>
/// <c>rotate-keys</c>: retires the current signing and encryption keys and creates new ones.
/// Servers sign with the new key from their next start; the old keys stay published, so the
/// tokens they signed stay valid and resource servers pick the new key up from the JWKS.
/// </summary>
public static class RotateKeysCommand
{
    public const string Name = "rotate-keys";

    public static async Task<int> RunAsync(IServiceProvider services, TextWriter output)
    {
        using var scope = services.CreateScope();
        var created = await scope.ServiceProvider.GetRequiredService<KeyStore>().RotateAsync(CancellationToken.None);
        await output.WriteLineAsync($"New keys: {string.Join(", ", created)}. Restart every AuthServer node to use them.");
        return 0;
    }
}
