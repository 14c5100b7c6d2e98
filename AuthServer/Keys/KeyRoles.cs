namespace AuthServer.Keys;

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
