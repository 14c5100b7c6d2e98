using AuthServer.Keys;
using Microsoft.Extensions.Options;

namespace AuthServer.Commands;

/// <summary>
/// <c>rotate-keys [--now]</c>: creates a new signing and a new encryption key. They are announced
/// for <see cref="KeysSettings.AnnouncePeriod"/>, as the rotation job does; with <c>--now</c>
/// (a key that must go), for two <see cref="KeysSettings.ReloadInterval"/>s only, the time every
/// node needs to load them before one uses them. The old keys stay published for the tokens they
/// signed; resource servers fetch the JWKS again when they see a key they do not know.
/// </summary>
public static class RotateKeysCommand
{
    public const string Name = "rotate-keys";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        var now = args.Skip(1).SequenceEqual(["--now"]);
        if (!now && args.Length > 1)
        {
            await error.WriteLineAsync($"Usage: {Name} [--now]");
            return 2;
        }

        var settings = services.GetRequiredService<IOptions<KeysSettings>>().Value;
        var announceFor = now ? 2 * settings.ReloadInterval : settings.AnnouncePeriod;
        using var scope = services.CreateScope();
        var created = await scope.ServiceProvider.GetRequiredService<KeyStore>().RotateAsync(announceFor, CancellationToken.None);
        await output.WriteLineAsync(
            $"New keys: {string.Join(", ", created)}. Every node publishes them within {settings.ReloadInterval} and uses them from {DateTimeOffset.UtcNow + announceFor:u}.");
        return 0;
    }
}
