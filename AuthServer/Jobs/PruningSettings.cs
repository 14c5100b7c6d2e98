using System.ComponentModel.DataAnnotations;

namespace AuthServer.Jobs;

/// <summary>
/// The clean-up job that removes dead tokens and authorizations. Bound from the <c>Pruning</c>
/// section.
/// </summary>
public sealed class PruningSettings
{
    public const string SectionName = "Pruning";

    /// <summary>Whether the job is scheduled. The default value is true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Time between two runs. The default value is 1 hour.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00", ErrorMessage = "Pruning:Interval must be between 1 second and 30 days.")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Only entries created longer ago than this are removed, so recent revocations and
    /// redemptions stay visible (reuse detection needs the redeemed token). The default value is
    /// 14 days.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00", ErrorMessage = "Pruning:MinimumAge must be between 0 and 3650 days.")]
    public TimeSpan MinimumAge { get; set; } = TimeSpan.FromDays(14);
}
