using System.Collections.Concurrent;

namespace AuthServer.Admin;

/// <summary>
/// The token requests this node refused, per hour, for the dashboard's last 24 hours. In memory,
/// not in the database: a refusal costs no write (so a flood of bad requests cannot turn into a
/// flood of writes), at the price of counting this node only, since its start.
/// </summary>
public sealed class RefusalCounter
{
    private const int KeptHours = 25;
    private readonly ConcurrentDictionary<long, int> _byHour = new();

    public void Record(DateTimeOffset at)
    {
        var hour = HourOf(at);
        if (_byHour.TryAdd(hour, 1))
        {
            // Note: hours older than the dashboard's go when a new one begins, not at each
            // refusal, so that a flood of refusals costs a counter increment each.
            foreach (var old in _byHour.Keys.Where(key => key <= hour - KeptHours))
            {
                _byHour.TryRemove(old, out _);
            }

            return;
        }

        _byHour.AddOrUpdate(hour, 1, (_, count) => count + 1);
    }

    /// <summary>The refusals in the hour that starts at <paramref name="hourStart"/>.</summary>
    public int In(DateTimeOffset hourStart) => _byHour.GetValueOrDefault(HourOf(hourStart));

    public static long HourOf(DateTimeOffset at) => at.UtcTicks / TimeSpan.TicksPerHour;
}
