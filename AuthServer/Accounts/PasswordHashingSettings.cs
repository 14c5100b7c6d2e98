using System.ComponentModel.DataAnnotations;

namespace AuthServer.Accounts;

/// <summary>
/// How many password verifications (PBKDF2, about 100 ms of one core each) may run at once, and
/// how many may wait. Bound from the <c>PasswordHashing</c> section. A password request that would
/// wait longer than <see cref="QueueTimeout"/> is answered 429 (temporarily_unavailable,
/// Retry-After) at once, without hashing, so that a burst of logins cannot take every core from
/// refreshes and API calls.
/// </summary>
public sealed class PasswordHashingSettings
{
    public const string SectionName = "PasswordHashing";

    /// <summary>Verifications at once. The default value is the number of cores.</summary>
    [Range(1, 1_024)]
    public int MaxConcurrent { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Verifications that may wait for a turn, at most; fewer are let wait when the ones waiting
    /// already hold <see cref="QueueTimeout"/> of work (measured), so the rest of a burst is
    /// answered at once rather than after waiting in vain. The default value is 8 per core.
    /// </summary>
    [Range(0, 100_000)]
    public int QueueLimit { get; set; } = 8 * Environment.ProcessorCount;

    /// <summary>
    /// The nice value (Linux scheduling priority, 0 to 19) of the threads that hash: above 0 they
    /// yield the cores to the rest of the server while both want them. The default value is 10; 0
    /// hashes at the normal priority.
    /// </summary>
    [Range(0, 19)]
    public int Nice { get; set; } = 10;

    /// <summary>The longest a verification waits for its turn. The default value is 1 second.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan QueueTimeout { get; set; } = TimeSpan.FromSeconds(1);
}
