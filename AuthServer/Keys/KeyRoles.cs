namespace AuthServer.Keys;

/// <summary>What a stored key is used for at a given time.</summary>
public enum KeyRole
{
    /// <summary>Signs (or encrypts) new tokens: the newest key whose time has come.</summary>
    Current,

    /// <summary>Published and known for validation and decryption, not used yet.</summary>
    Announced,

    /// <summary>A newer key took over; kept for the tokens this one signed or encrypted.</summary>
    Retired,
}

/// <summary>How the stored keys of one use are ordered and what each is for.</summary>
public static class KeyRoles
{
    /// <summary>
    /// The keys of one use at <paramref name="now"/>, the current one first, then the announced
    /// ones (the next first), then the retired ones (the latest first). OpenIddict signs and
    /// encrypts with the first key of its lists, and its sort keeps the order of keys that are
    /// not certificates.
    /// </summary>
    public static IReadOnlyList<(StoredKey Key, KeyRole Role)> Arrange(IEnumerable<StoredKey> keys, DateTimeOffset now)
    {
        var all = keys.ToList();
        var live = all.Where(k => k.RetiredAt is null).ToList();
        var current = live.Where(k => k.ActivatesAt <= now).OrderByDescending(k => k.ActivatesAt).ThenByDescending(k => k.CreatedAt).FirstOrDefault()
            ?? live.OrderBy(k => k.ActivatesAt).FirstOrDefault(); // Note: none due yet: the next one rather than none.

        var announced = live.Where(k => k != current && k.ActivatesAt > now).OrderBy(k => k.ActivatesAt);
        var retired = all.Where(k => k != current && (k.RetiredAt is not null || k.ActivatesAt <= now))
            .OrderByDescending(k => k.RetiredAt ?? current!.ActivatesAt).ThenByDescending(k => k.ActivatesAt);

        return
        [
            .. current is null ? [] : new[] { (current, KeyRole.Current) },
            .. announced.Select(k => (k, KeyRole.Announced)),
            .. retired.Select(k => (k, KeyRole.Retired)),
        ];
    }
}

/// <summary>What one run of the rotation job changed, as <c>use:id</c> of each key.</summary>
public sealed class KeyRotation
{
    public List<string> Announced { get; } = [];

    public List<string> Retired { get; } = [];

    public List<string> Deleted { get; } = [];

    public bool Changed => Announced.Count + Retired.Count + Deleted.Count > 0;

    public override string ToString()
        => $"announced [{string.Join(", ", Announced)}], retired [{string.Join(", ", Retired)}], deleted [{string.Join(", ", Deleted)}]";
}
