using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Faults.Tests;

/// <summary>
/// Collects the secrets a test used (passwords, client secrets, every token it received) and then
/// checks a server's whole log for them: no password, no secret, no refresh token and no access
/// token's signature (a JWT's header and claims are no secret, its signature makes it usable).
/// </summary>
internal sealed partial class LeakCheck
{
    private readonly ConcurrentDictionary<string, byte> _words = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<string> _phrases = [];

    public int Count => _words.Count + _phrases.Count;

    /// <summary>A password or secret, looked for as it is.</summary>
    public void Secret(string value) => _phrases.Add(value);

    /// <summary>A refresh token (whole) or access token (its signature).</summary>
    public void Token(string? token)
    {
        if (token is not null)
        {
            _words.TryAdd(token.Split('.')[^1], 0);
        }
    }

    public void AssertNotIn(string log)
    {
        Assert.NotEmpty(log);
        foreach (var phrase in _phrases)
        {
            Assert.False(log.Contains(phrase, StringComparison.Ordinal), "a password or secret is in the log");
        }

        var leaked = Word().Matches(log).Select(m => m.Value).Where(_words.ContainsKey).Take(3).ToList();
        Assert.True(leaked.Count == 0, $"{leaked.Count} token(s) in the log, e.g. {string.Join(", ", leaked.Select(w => w[..8] + "…"))}");
    }

    [GeneratedRegex("[A-Za-z0-9_-]{20,}")]
    private static partial Regex Word();
}
